"""The ``drillbook`` command: bad input is one line per problem and exit 2, never a traceback.

The commands are called in-process (fast); one test runs the real console script.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from drillbook.authoring.schema import schema_text
from drillbook.scenarios import library
from enginekit import MINI, position_of, unchain, with_injects

FLAGSHIP = str(library.resolve(library.FLAGSHIP))
MODEL_TEAM = str(library.reference_transcript(library.FLAGSHIP))
GOOD_TRANSCRIPT = (
    'scenario: mini\nactions:\n  - {at: "+0:06", role: on_call, action: acknowledge}\n'
)

Run = Callable[..., tuple[int, str, str]]


def lines(text: str) -> list[str]:
    return text.strip("\n").split("\n") if text.strip() else []


def test_validate_a_good_file(cli: Run, write: Callable[[str, str], Path]) -> None:
    path = write("s.yaml", MINI)
    assert cli("validate", path) == (
        0,
        f"{path}: ok — mini: 1 injects, 1 sources, 1 meters\n",
        "",
    )


@pytest.mark.parametrize(
    ("edit", "needle"),
    [
        (("summary: A small scenario.", "summary: [unclosed"), None),  # malformed
        (("title: Mini\n", "title: Mini\ntitle: Again\n"), "title: Again"),  # duplicate key
        (("title: Mini\n", "title: Mini\ncolour: red\n"), "colour"),  # unknown field
        (("    rate: 10\n", "    rate: lots\n"), "lots"),  # wrong type
        (('    at: "+0:05"\n', "    at: 1:30\n"), "1:30"),  # unquoted offset
        (('    at: "+0:05"\n', '    at: "-0:05"\n'), '"-0:05"'),  # before the start
        (("    to: [on_call]\n", "    to: [janitor]\n"), "janitor"),  # unknown role
        (('    at: "+0:05"\n', "    when: {delivered: ghost}\n"), "ghost"),  # unknown inject
    ],
)
def test_validate_a_bad_file_is_one_placed_line_and_exit_2(
    cli: Run, write: Callable[[str, str], Path], edit: tuple[str, str], needle: str | None
) -> None:
    text = MINI.replace(*edit)
    path = write("s.yaml", text)
    code, out, err = cli("validate", path)
    assert code == 2 and out == ""
    [line] = lines(err)
    if needle is not None:
        row, col = position_of(text, needle)
        assert line.startswith(f"{path}:{row}:{col}: ")
    assert any(w in line for w in ("expected", "should be", "malformed YAML"))


def test_validate_reports_every_file_and_every_problem(
    cli: Run, write: Callable[[str, str], Path]
) -> None:
    good = write("good.yaml", MINI)
    bad = write(
        "bad.yaml", MINI.replace("    rate: 10\n", "    rate: lots\n").replace("high", "huge")
    )
    code, out, err = cli("validate", good, bad, good.parent / "gone.yaml")
    assert code == 2
    assert out == f"{good}: ok — mini: 1 injects, 1 sources, 1 meters\n"
    assert [e.split(": ")[0] for e in lines(err)] == [
        f"{bad}:11:13",
        f"{bad}:20:11",
        f"{good.parent / 'gone.yaml'}",
    ]


def test_validate_a_missing_file(cli: Run, tmp_path: Path) -> None:
    assert cli("validate", tmp_path / "gone.yaml") == (
        2,
        "",
        f"{tmp_path / 'gone.yaml'}: no such file\n",
    )


def test_validate_an_empty_folder_is_not_clean(cli: Run, tmp_path: Path) -> None:
    """A folder with no scenario in it is refused, not passed having checked nothing."""
    (tmp_path / "notes.txt").write_text("not a scenario")
    code, out, err = cli("validate", tmp_path)
    assert (code, out) == (2, "") and lines(err) == [
        f"{tmp_path}: is a directory; expected a YAML file"
    ]
    code, _, err = cli("lint", tmp_path)
    assert code != 0 and len(lines(err)) == 1


def test_run_with_a_bad_scenario_or_transcript(cli: Run, write: Callable[[str, str], Path]) -> None:
    scenario = write("s.yaml", MINI)
    bad = write("bad.yaml", MINI.replace("    rate: 10\n", "    rate: lots\n"))
    transcript = write("t.yaml", GOOD_TRANSCRIPT)
    code, out, err = cli("run", bad, "--transcript", transcript)
    assert (
        (code, out) == (2, "")
        and len(lines(err)) == 1
        and err.startswith(f"drillbook: {bad}:20:11:")
    )

    text = (
        "scenario: mini\nactions:\n"
        "  - {at: 1:30, role: on_call, action: acknowledge}\n"
        "  - {at: 10, role: Janitor, action: acknowledge}\n"
        "  - {at: 10, role: on_call, action: dance}\n"
    )
    wrong = write("t2.yaml", text)
    code, out, err = cli("run", scenario, "-t", wrong)
    assert (code, out) == (2, "")
    assert [e.split(": ")[1] for e in lines(err)] == [
        "{}:{}:{}".format(wrong, *position_of(text, needle))
        for needle in ("1:30", "Janitor", "dance")
    ]

    for args in (("ghost-id",), (scenario, "-t", scenario.parent / "gone.yaml")):
        code, out, err = cli("run", *args)
        assert (code, out) == (2, "") and len(lines(err)) == 1


def test_run_with_a_decision_the_engine_refuses(
    cli: Run, write: Callable[[str, str], Path]
) -> None:
    ask = (
        "- {id: ask, at: 30, to: [on_call], channel: chat, title: Ask, "
        "question: {prompt: P, options: [{id: a, label: A}, {id: b, label: B}]}}"
    )
    scenario = write("s.yaml", with_injects(MINI, ask))
    text = "scenario: mini\nactions:\n  - {at: 10, role: on_call, action: answer, inject: ask, option: a}\n"
    transcript = write("t.yaml", text)
    code, out, err = cli("run", scenario, "-t", transcript)
    assert (code, out) == (2, "")
    assert lines(err) == [
        f"drillbook: {transcript}:3:5: +0:10 on_call answer: "
        "on_call answer: inject 'ask' has not reached on_call yet"
    ]


def test_run_json_is_byte_identical_across_runs(cli: Run) -> None:
    first = cli("run", FLAGSHIP, "--transcript", MODEL_TEAM, "--json")
    second = cli("run", FLAGSHIP, "--transcript", MODEL_TEAM, "--json")
    assert first[0] == 0 and first == second
    doc = json.loads(first[1])
    assert doc["seed"] == 1 and doc["ended_at"] == 21600.0
    assert all("wall" not in e for e in doc["events"])
    other = cli("run", FLAGSHIP, "--transcript", MODEL_TEAM, "--json", "--seed", "2")
    assert json.loads(other[1])["seed"] == 2


def test_run_prints_a_summary(cli: Run) -> None:
    code, out, err = cli("run")
    assert (code, err) == (0, "")
    assert out.startswith("3:47 AM: the $14 fares (airline-pricing-0347)\n")
    assert "Journal: not kept" in out


def test_a_journal_is_never_overwritten_without_force(
    cli: Run, write: Callable[[str, str], Path], tmp_path: Path
) -> None:
    scenario = write("s.yaml", MINI)
    transcript = write("t.yaml", GOOD_TRANSCRIPT)
    journal = tmp_path / "j.jsonl"
    assert cli("run", scenario, "-t", transcript, "-j", journal)[0] == 0
    before = journal.read_bytes()
    assert before.count(b"\n") == 4

    code, out, err = cli("run", scenario, "-t", transcript, "-j", journal)
    assert (code, out) == (2, "")
    assert lines(err) == [
        f"drillbook: {journal}: journal already holds events; it is never overwritten without "
        "being asked (use --force to overwrite, or `drillbook play --resume` to continue)"
    ]
    assert journal.read_bytes() == before

    # --force with a transcript that is wrong for the scenario: refused before anything is lost
    other = write("other.yaml", "scenario: other\nactions: []\n")
    assert cli("run", scenario, "-t", other, "-j", journal, "--force")[0] == 2
    assert journal.read_bytes() == before

    assert cli("run", scenario, "-t", transcript, "-j", journal, "--force")[0] == 0
    assert journal.read_bytes() != before  # asked: a new run (new wall times) replaced it


def test_replay(cli: Run, write: Callable[[str, str], Path], tmp_path: Path) -> None:
    journal = tmp_path / "j.jsonl"
    assert cli("run", FLAGSHIP, "-t", MODEL_TEAM, "-j", journal)[0] == 0
    n = len(lines(journal.read_text(encoding="utf-8")))
    assert cli("replay", journal) == (0, f"{journal}: replay reproduces all {n} events\n", "")

    unchain(journal)  # a journal from before the hash chain: only replay can tell
    text = journal.read_text(encoding="utf-8").replace('"sold at $14 so far: 480', '"x')
    tampered = write("tampered.jsonl", text.replace("Tickets sold at $14 so far", "Sold"))
    code, out, err = cli("replay", tampered)
    assert code == 1 and err == (
        f"drillbook: note: {tampered} has no hash chain (written before drillbook chained "
        "its journals); edits to it cannot be detected\n"
    )
    assert out.startswith(f"{tampered}: replay differs: line 2 differs in body")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"seq":0,"type":"run_started","sim":0}\n{oops\n', ":2:2: not a journal event"),
        ('{"type":"note","sim":0}\n', ":1:1: not a drillbook journal"),
        (
            '{"seq":0,"type":"run_started","sim":0,"scenario":"ghost"}\n',
            ":1:1: scenario 'ghost' of this journal cannot be found",
        ),
    ],
)
def test_replay_a_bad_journal(
    cli: Run, write: Callable[[str, str], Path], content: str, message: str
) -> None:
    path = write("j.jsonl", content)
    code, out, err = cli("replay", path)
    assert (code, out) == (2, "")
    [line] = lines(err)
    assert line.startswith(f"drillbook: {path}{message}")


def test_replay_a_missing_journal(cli: Run, tmp_path: Path) -> None:
    gone = tmp_path / "gone.jsonl"
    assert cli("replay", gone) == (2, "", f"drillbook: {gone}: no such journal file\n")


def test_schema_prints_the_scenario_schema(cli: Run) -> None:
    assert cli("schema") == (0, schema_text("scenario"), "")


def test_no_command_prints_help_and_exit_2(cli: Run) -> None:
    code, out, _ = cli()
    assert code == 2 and out.startswith("usage: drillbook")


def test_the_real_console_script(write: Callable[[str, str], Path]) -> None:
    script = Path(sys.executable).parent / "drillbook"
    text = MINI.replace('    at: "+0:05"\n', "    at: no\n").replace(
        "title: Mini\n", "title: Mini\ncolour: red\n"
    )
    path = write("s.yaml", text)
    done = subprocess.run(
        [str(script), "validate", str(path)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 2
    assert done.stdout == "" and "Traceback" not in done.stderr
    assert [e.split(": ")[0] for e in lines(done.stderr)] == [
        f"{path}:{position_of(text, 'colour')[0]}:1",
        f"{path}:{position_of(text, 'no')[0]}:{position_of(text, 'no')[1]}",
    ]


def test_headless_commands_never_import_textual(
    write: Callable[[str, str], Path], tmp_path: Path
) -> None:
    journal = tmp_path / "j.jsonl"
    code = (
        "import sys\n"
        "from drillbook.cli import main\n"
        f"assert main(['run', '--journal', {str(journal)!r}]) == 0\n"
        f"assert main(['validate', {FLAGSHIP!r}]) == 0\n"
        f"assert main(['replay', {str(journal)!r}]) == 0\n"
        "assert main(['schema']) == 0\n"
        "assert 'textual' not in sys.modules, 'textual was imported'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        ({"action": "dance"}, "Input tag 'dance' found using 'action' does not match"),
        # A line of the wrong shape is refused on reading, before replay sees it.
        ({"role": None}, "action_taken event without 'role'; expected text"),
        ({"sim": "soon"}, "'sim' is \"soon\"; expected minutes from 0 to 599999"),
        ({"sim": -5}, "'sim' is -5; expected minutes from 0 to 599999"),
    ],
)
def test_replay_a_hand_edited_journal(
    cli: Run, tmp_path: Path, edit: dict[str, object], message: str
) -> None:
    journal = tmp_path / "j.jsonl"
    assert cli("run", FLAGSHIP, "-t", MODEL_TEAM, "-j", journal)[0] == 0
    unchain(journal)  # an unchained journal: its edits reach replay (a chained one is refused)
    events = [json.loads(line) for line in lines(journal.read_text(encoding="utf-8"))]
    n = next(i for i, e in enumerate(events) if e["type"] == "action_taken")
    for key, value in edit.items():
        if value is None:
            del events[n][key]
        else:
            events[n][key] = value
    journal.write_text("".join(json.dumps(e) + "\n" for e in events), encoding="utf-8")
    code, out, err = cli("replay", journal)
    assert (code, out) == (2, "")
    [line] = lines(err)
    if "expected" in message:  # refused on reading: the line's shape
        assert line == f"drillbook: {journal}:{n + 1}:1: {message}"
        return
    prefix = f"drillbook: {journal}:{n + 1}:1: event seq {n} (action_taken) cannot be replayed: "
    assert line.startswith(prefix + message)
    assert line.endswith("; expected the event as drillbook journaled it")
