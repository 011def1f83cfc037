"""Broken and hand-edited journals: one placed problem on reading, never a traceback later.

Each journal of :func:`corpus.bad_journals` is read with the real reader; hostile-but-valid
ones must also score. A bounded fuzz throws random lines after a real header.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from corpus import BENIGN_JOURNALS, bad_journals
from drillbook.formats.yamlsource import InputError
from drillbook.simulator.eventshape import event_problem, parse_line
from drillbook.simulator.journal import read_journal
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> list[dict]:
    from drillbook.scenarios import library

    from drillbook.cli import main

    path = tmp_path_factory.mktemp("good") / "run.jsonl"
    transcript = library.reference_transcript(library.FLAGSHIP)
    assert main(["run", library.FLAGSHIP, "-t", str(transcript), "-j", str(path)]) == 0
    # without the hash chain: these journals are hand-edited, and a chained one would be
    # refused for the edit itself before its shape is looked at (tests/test_tamper.py)
    chain_fields = ("run_id", "chain", "hash")
    return [
        {k: v for k, v in json.loads(line).items() if k not in chain_fields}
        for line in path.read_text(encoding="utf-8").splitlines()
    ]


def test_every_broken_journal_is_one_placed_problem(
    good: list[dict], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from drillbook.cli import main

    for name, data in bad_journals(good).items():
        path = tmp_path / f"{name}.jsonl"
        raw = data if isinstance(data, bytes) else data.encode("utf-8")
        path.write_bytes(raw)
        if name in BENIGN_JOURNALS:
            assert read_journal(path).events, name
            continue
        if name in ("header-file-etc", "header-file-dev", "header-plan-etc", "header-client-dev"):
            # well-formed, but the files it names are not a scenario, plan or client
            assert read_journal(path).events
            assert main(["score", str(path)]) == 2, name
            err = capsys.readouterr().err.strip().splitlines()
            assert len(err) == 1 and err[0].startswith("drillbook: "), (name, err)
            continue
        with pytest.raises(InputError) as info:
            read_journal(path)
        [problem] = info.value.problems
        assert problem.file == str(path), name
        assert "expected" in problem.message, (name, problem.message)
        assert path.read_bytes() == raw  # reading never touches the file


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"seq":0,"type":"run_started","sim":"abc"}', "'sim' is \"abc\"; expected minutes"),
        ('{"seq":0,"type":"run_started","sim":NaN}', "NaN is not a number"),
        ('{"seq":0,"type":"run_started","sim":1e400}', "1e400 is too large"),
        ('{"seq":' + "9" * 5000 + ',"type":"x","sim":0}', "a number of 5000 digits"),
        ('{"seq":0,"type":"run_started","sim":0,"roster":[1]}', "'roster' of this run_started"),
        ('{"seq":0,"type":"run_started","sim":0,"plan":["a"]}', "'plan' of this run_started"),
        ('{"seq":3,"type":"action_taken","sim":1,"role":null,"action":"x"}', "'role' of this"),
        ('{"seq":3,"type":"inject_delivered","sim":1,"inject":"a","to":"x"}', "a list of ids"),
        ("[" * 50_000 + "]" * 50_000, "nested too deeply"),
    ],
)
def test_line_shapes_name_the_field_and_what_was_expected(line: str, message: str) -> None:
    try:
        problem = event_problem(parse_line(line))
    except ValueError as exc:
        problem = str(exc)
    assert problem is not None and message in problem and "expected" in problem


@settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.lists(
        st.one_of(
            st.text(max_size=80),
            st.recursive(
                st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
                lambda inner: (
                    st.lists(inner, max_size=4)
                    | st.dictionaries(
                        st.sampled_from(["seq", "type", "sim", "role", "to", "roster", "x"]),
                        inner,
                        max_size=5,
                    )
                ),
                max_leaves=12,
            ).map(lambda v: json.dumps(v, allow_nan=True)),
        ),
        max_size=6,
    ),
    st.booleans(),
)
def test_the_journal_reader_only_ever_answers_input_error(
    good: list[dict], tmp_path: Path, lines: list[str], final_newline: bool
) -> None:
    path = tmp_path / "fuzz.jsonl"
    text = json.dumps(good[0]) + "\n" + "\n".join(lines) + ("\n" if final_newline else "")
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        read_journal(path)
    except InputError as exc:
        assert exc.problems


# A decision's parameters as a hand edit leaves them: each crashed the scorer (exit 70 on
# score, report and register add) before the reader checked them against their action.
BAD_PARAMS = {
    "classify": ({"severity": "zzz"}, "'classify' decision: severity: Input should be"),
    "classify-without-severity": ({"severity": None}, "'classify' decision: severity: "),
    "assess_regulatory": ({"obligations": 5}, "'assess_regulatory' decision: obligations: "),
    "diagnose": ({"root_cause": [1]}, "'diagnose' decision: root_cause: "),
}


@pytest.mark.parametrize("name", sorted(BAD_PARAMS))
@pytest.mark.parametrize("verb", ["score", "report", "register"])
def test_a_decision_its_action_refuses_is_placed_at_its_line(
    good: list[dict],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    verb: str,
) -> None:
    from drillbook.cli import main

    monkeypatch.setenv("DRILLBOOK_CRASH_DIR", str(tmp_path / "crashes"))
    change, says = BAD_PARAMS[name]
    action = name.split("-")[0]
    events = json.loads(json.dumps(good))
    at = next(i for i, e in enumerate(events) if e.get("action") == action)
    params = {**events[at]["params"], **change}
    events[at]["params"] = {k: v for k, v in params.items() if v is not None}
    path = tmp_path / "edited.jsonl"
    path.write_text("".join(json.dumps(e) + "\n" for e in events), encoding="utf-8")
    argv = {
        "score": ["score", str(path)],
        "report": ["report", str(path), "-f", "md", "-o", str(tmp_path / "r.md")],
        "register": ["register", "--db", str(tmp_path / "r.db"), "add", str(path)],
    }[verb]
    assert main(argv) == 2
    err = [ln for ln in capsys.readouterr().err.splitlines() if "has no hash chain" not in ln]
    assert len(err) == 1 and err[0].startswith(f"drillbook: {path}:{at + 1}:1: "), err
    assert says in err[0] and err[0].endswith(f"expected the parameters {action} takes")


def test_a_decision_of_an_action_not_known_here_is_still_read(
    good: list[dict], tmp_path: Path
) -> None:
    events = [
        *good[:3],
        {
            "seq": 3,
            "type": "action_taken",
            "sim": 7,
            "role": "on_call",
            "action": "from-a-later-drillbook",
            "params": {"x": 1},
        },
        *good[3:],
    ]
    path = tmp_path / "later.jsonl"
    path.write_text("".join(json.dumps(e) + "\n" for e in events), encoding="utf-8")
    assert len(read_journal(path).events) == len(events)
