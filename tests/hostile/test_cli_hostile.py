"""The promise at the CLI: one placed line and exit 2 for bad input, the internal-error line
for a bug, no traceback, no raw escape on the terminal, no byte of a kept file lost.

Runs the generated corpus in-process (the quick commands; ``sweep.py`` runs all of it as
real processes), then the answers that need a set-up of their own.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from corpus import (
    FLAGSHIP_FILE,
    MODEL_TEAM_FILE,
    Case,
    cases,
    hostile_flagship,
)

from drillbook.cli import EXIT_INPUT, EXIT_INTERNAL, main

Run = Callable[..., tuple[int, str, str]]  # the ``cli`` fixture (conftest.py)

# graph and brief load a scenario exactly as validate does; run and the YAML kinds given to
# score are the sweep's (each costs a full run or a scoring pass).
QUICK = (
    "validate",
    "score",
    "replay",
    "report",
    "register",
    "list",
    "new",
    "msel",
    "pack",
    "unpack",
)


def _quick_cases(tmp: Path, journal: Path) -> list[Case]:
    picked = []
    for case in cases(tmp, journal):
        if case.argv[0] not in QUICK or "oversized" in case.name or case.name == "list/text":
            continue
        if case.argv[0] in ("score", "report") and not case.name.startswith(
            ("report-template", "report/-o", "score/journal", "score/")
        ):
            continue  # the journals again through report: the sweep's job
        picked.append(case)
    return picked


def test_the_corpus_answers_as_promised(cli: Run, journal: Path, tmp_path: Path) -> None:
    answered: dict[str, int] = {}
    for case in _quick_cases(tmp_path, journal):
        kept = {p: p.read_bytes() for p in case.keep}
        code, out, err = cli(*case.argv)
        seen = out + err
        assert "Traceback" not in seen, case.name
        assert "\x1b" not in seen and "\x07" not in seen, case.name
        assert all(p.read_bytes() == data for p, data in kept.items()), case.name
        lines = err.strip().splitlines()
        if case.expect == "input":
            assert code == EXIT_INPUT and lines, (case.name, code, err)
        elif case.expect == "ok":
            assert code == 0, (case.name, err)
        else:
            assert code in (0, 1, EXIT_INPUT), (case.name, code, err)
        answered[case.name] = code
    assert len(answered) > 150  # the corpus did not quietly shrink


def test_a_bug_is_one_line_with_a_crash_log(
    cli: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import drillbook.commands.validate as validate

    def broken(args: object) -> int:
        raise RuntimeError("the \x1b[2J bug")

    monkeypatch.setattr(validate, "run", broken)
    code, out, err = cli("validate", str(FLAGSHIP_FILE))
    assert code == EXIT_INTERNAL and out == ""
    [line] = err.strip().splitlines()
    assert line.startswith("drillbook: internal error: RuntimeError: the ␛[2J bug; details in ")
    log = Path(line.rsplit("details in ", 1)[1])
    assert log.parent == tmp_path / "crashes"
    assert "Traceback" in log.read_text(encoding="utf-8")


def test_output_onto_places_that_cannot_take_it(cli: Run, journal: Path, tmp_path: Path) -> None:
    plain = tmp_path / "plain.txt"
    plain.write_text("x\n")
    for target in (tmp_path, plain / "x.html", Path("/proc/version")):
        code, _, err = cli("report", journal, "-o", target)
        [line] = err.strip().splitlines()
        assert code == EXIT_INPUT and line.startswith("drillbook: ") and "cannot" in line
    assert plain.read_text() == "x\n"


def _registered(cli: Run, journal: Path, db: Path) -> None:
    code, _, err = cli("register", "--db", db, "add", journal)
    assert code == 0, err


def test_a_read_only_register_can_be_read(
    cli: Run, journal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from drillbook.reports.register import store

    db = tmp_path / "register.db"
    _registered(cli, journal, db)
    for extra in ("-wal", "-shm"):
        Path(f"{db}{extra}").unlink(missing_ok=True)
    db.chmod(0o444)
    monkeypatch.setattr(store, "_writable", lambda path: False)  # root ignores chmod
    before = db.read_bytes()
    for verb in (("list",), ("items",), ("trend",)):
        code, out, err = cli("register", "--db", db, *verb)
        assert code == 0 and err == "", (verb, err)
    assert "airline-pricing-0347" in cli("register", "--db", db, "list")[1]
    code, out, err = cli("list", "--db", db)
    assert code == 0 and err == "" and "Register: none yet" not in out
    assert db.read_bytes() == before


def test_a_corrupted_register_does_not_stop_list(cli: Run, tmp_path: Path) -> None:
    db = tmp_path / "register.db"
    db.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 16)
    code, out, err = cli("list", "--db", db)
    assert code == 0 and "airline-pricing-0347" in out
    [line] = err.strip().splitlines()
    assert line.startswith(f"drillbook: {db}: ") and "without the register" in line
    code, out, err = cli("register", "--db", db, "list")
    assert code == EXIT_INPUT and len(err.strip().splitlines()) == 1


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The flagship with markup, escapes and tags in every text field, and a run of it."""
    folder = tmp_path_factory.mktemp("hostile")
    (folder / "clients").symlink_to(FLAGSHIP_FILE.parent / "clients")
    scenario = folder / "hostile.yaml"
    scenario.write_text(hostile_flagship(), encoding="utf-8")
    run = folder / "run.jsonl"
    assert main(["run", str(scenario), "-t", str(MODEL_TEAM_FILE), "-j", str(run)]) == 0
    return scenario, run


def test_hostile_text_plays_and_reports_inert(
    cli: Run, hostile: tuple[Path, Path], tmp_path: Path
) -> None:
    scenario, run = hostile
    events = [json.loads(x) for x in run.read_text(encoding="utf-8").splitlines()]
    assert "␛]0;PWNED␇" in events[0]["title"] and "\x1b" not in run.read_text(encoding="utf-8")
    for args in (("score", run), ("replay", run), ("graph", scenario), ("validate", scenario)):
        code, out, err = cli(*args)
        assert code == 0 and "\x1b" not in out + err, (args, err)
    md, html = tmp_path / "r.md", tmp_path / "r.html"
    assert cli("report", run, "-f", "md", "-o", md)[0] == 0
    assert cli("report", run, "-o", html)[0] == 0
    for path in (md, html):
        text = path.read_text(encoding="utf-8")
        assert "PWNED" in text and "\x1b" not in text and "\x07" not in text
        assert "<script>alert" not in text  # escaped for its format
    mermaid = cli("graph", scenario)[1]
    assert "<script>" not in mermaid and "#lt;script#gt;" in mermaid


def test_raw_escapes_in_a_journal_never_reach_the_terminal(
    cli: Run, journal: Path, tmp_path: Path
) -> None:
    events = [json.loads(x) for x in journal.read_text(encoding="utf-8").splitlines()]
    events[0]["title"] = "\x1b]0;PWNED\x07\x1b[2J"
    edited = tmp_path / "edited.jsonl"
    edited.write_text("".join(json.dumps(e) + "\n" for e in events), encoding="utf-8")
    for args in (("score", edited), ("report", edited, "-f", "md", "-o", "-")):
        _, out, err = cli(*args)
        assert "\x1b" not in out + err and "\x07" not in out + err
