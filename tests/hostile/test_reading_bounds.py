"""Bounded reading: hostile YAML and special files end in one placed problem, fast.

Every scenario text of :func:`corpus.bad_scenarios` goes through the real loader; the
answer must be an :class:`InputError` (or, for hostile-but-valid text, a scenario whose
strings hold no control character), never another exception and never a hang.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from corpus import (
    ALIAS_BOMB,
    BENIGN_SCENARIOS,
    FLAGSHIP_FILE,
    FLAGSHIP_TEXT,
    bad_scenarios,
    edit,
    special_files,
)
from drillbook.formats.limits import MAX_ALIAS_NODES, MAX_FILE_ENV, MAX_STORY_MINUTES, read_bounded
from drillbook.formats.offsets import parse_offset
from drillbook.formats.safetext import is_clean
from drillbook.formats.yamlsource import InputError, parse, read, walk_paths
from drillbook.scenarios.loader import load
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

SCENARIOS = bad_scenarios()


@pytest.fixture
def scen_dir(tmp_path: Path) -> Path:
    """A folder where a copy of the flagship still finds its client profile."""
    (tmp_path / "clients").symlink_to(FLAGSHIP_FILE.parent / "clients")
    return tmp_path


def _strings(data: object) -> list[str]:
    out: list[str] = []
    for path in walk_paths(data):
        value: object = data
        for el in path:
            value = value[el]  # type: ignore[index]
        if isinstance(value, str):
            out.append(value)
    return out


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_each_hostile_scenario_is_refused_in_place_or_loads_clean(
    name: str, scen_dir: Path
) -> None:
    data = SCENARIOS[name]
    path = scen_dir / f"{name}.yaml"
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    if name in BENIGN_SCENARIOS:
        loaded = load(path)
        doc = read(path)
        assert all(is_clean(s) for s in _strings(doc.data))
        assert is_clean(loaded.scenario.title)
        return
    with pytest.raises(InputError) as info:
        load(path)
    problems = info.value.problems
    assert problems and all(p.file == str(path) for p in problems)
    assert all(p.line >= 1 and "\n" not in p.message for p in problems)  # placed, one line each


def test_the_alias_bomb_is_one_line_at_its_alias() -> None:
    with pytest.raises(InputError) as info:
        parse(ALIAS_BOMB, "bomb.yaml")
    [problem] = info.value.problems
    assert f"aliases expand to more than {MAX_ALIAS_NODES:,} nodes" in problem.message
    # at the list that holds the alias whose copy went over, not at the anchor on line 1
    assert problem.line >= 2 and problem.col == 4


def test_aliases_a_person_would_write_still_work() -> None:
    doc = parse("base: &b {x: 1, y: [a, b]}\none: *b\ntwo: *b\n", "ok.yaml")
    assert doc.data["one"] == doc.data["two"] == {"x": 1, "y": ["a", "b"]}


def test_a_self_containing_alias_is_refused() -> None:
    with pytest.raises(InputError, match="refers to a node that contains it"):
        parse("a: &a [1, *a]\n", "cycle.yaml")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("n: " + "9" * 5000 + "\n", "is too large"),
        ("n: -" + "9" * 17 + "\n", "is too large"),
        ("n: 1e308\n", "is too large"),
        ("n: .inf\n", "not a finite number"),
        ("n: -.Inf\n", "not a finite number"),
        ("n: .NaN\n", "not a finite number"),
    ],
)
def test_numbers_beyond_sense_are_placed(text: str, message: str) -> None:
    with pytest.raises(InputError) as info:
        parse(text, "n.yaml")
    [problem] = info.value.problems
    assert (problem.line, problem.col) == (1, 4) and message in problem.message


def test_the_words_inf_and_nan_are_refused_where_a_number_belongs(scen_dir: Path) -> None:
    for word in ("inf", "Infinity", '"1e999"'):
        path = scen_dir / "s.yaml"
        path.write_text(edit("rate: ", f"rate: {word} #"), encoding="utf-8")
        with pytest.raises(InputError) as info:
            load(path)
        [problem] = info.value.problems
        assert "is not a usable number" in problem.message
    assert parse("title: nan\n", "t.yaml").data == {"title": "nan"}  # text stays text


def test_a_nul_byte_is_one_problem_placed_at_it() -> None:
    with pytest.raises(InputError) as info:
        parse("a: 1\nb: x\x00y\n", "nul.yaml")
    [problem] = info.value.problems
    assert (problem.line, problem.col) == (2, 5)
    assert "#x0000 is not allowed" in problem.message


def test_bad_utf8_is_placed_at_the_byte(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_bytes(b"a: 1\nb: caf\xe9\n")
    with pytest.raises(InputError) as info:
        read(path)
    assert str(info.value).startswith(f"{path}:2:7: not UTF-8 text")


def test_the_story_length_is_the_same_for_both_spellings() -> None:
    last = f"+{MAX_STORY_MINUTES // 60}:{MAX_STORY_MINUTES % 60:02d}"
    assert parse_offset(last) == parse_offset(MAX_STORY_MINUTES) == MAX_STORY_MINUTES
    for beyond in (f"+{MAX_STORY_MINUTES // 60 + 1}:00", MAX_STORY_MINUTES + 1, "+99999999:00"):
        with pytest.raises(ValueError, match="beyond the longest story"):
            parse_offset(beyond)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("fifo", "is a FIFO (named pipe); expected a YAML file"),
        ("dev-zero", "is a device; expected a YAML file"),
        ("directory", "is a directory; expected a YAML file"),
        ("symlink-loop", "cannot read: Too many levels of symbolic links"),
        ("under-a-file", "cannot read: Not a directory"),
        ("missing", "no such file"),
    ],
)
def test_what_is_not_a_regular_file_is_refused_before_opening(
    name: str, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(MAX_FILE_ENV, "1000")  # so "oversized" need not be 11 MB here
    path = special_files(tmp_path, big=False)[name]
    with pytest.raises(InputError) as info:
        read(path)
    assert str(info.value) == f"{path}: {message}"


def test_the_size_limit_is_checked_and_can_be_raised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(FLAGSHIP_TEXT, encoding="utf-8")
    monkeypatch.setenv(MAX_FILE_ENV, "1000")
    with pytest.raises(
        InputError, match=f"expected a YAML file of at most 1,000 bytes .*{MAX_FILE_ENV}"
    ):
        read(path)
    monkeypatch.setenv(MAX_FILE_ENV, str(os.path.getsize(path)))
    assert read_bounded(path) == FLAGSHIP_TEXT.encode("utf-8")


def test_control_characters_are_visible_after_loading(scen_dir: Path) -> None:
    path = scen_dir / "s.yaml"
    path.write_text(edit("title: ", 'title: "\\e]0;PWNED\\a\\u202e\\x9b" #'), encoding="utf-8")
    title = load(path).scenario.title
    assert title.startswith("␛]0;PWNED␇‹U+202E›‹U+009B›")
    assert is_clean(title)


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
@given(
    st.one_of(
        st.text(max_size=300),
        st.binary(max_size=300).map(lambda b: b.decode("latin-1")),
        st.lists(
            st.sampled_from(
                [
                    "a:",
                    " ",
                    "\n",
                    "- ",
                    "&x",
                    "*x",
                    "[",
                    "]",
                    "{",
                    "}",
                    "!!int",
                    "1e999",
                    "9" * 30,
                    ".inf",
                    "<<:",
                    "? ",
                    '"\\e"',
                    "\x00",
                    "\t",
                    ":",
                    "~",
                    "'",
                ]
            ),
            max_size=60,
        ).map("".join),
    )
)
def test_the_yaml_reader_only_ever_answers_input_error(text: str) -> None:
    try:
        doc = parse(text, "fuzz.yaml")
    except InputError as exc:
        assert exc.problems
        return
    assert all(is_clean(s) for s in _strings(doc.data))


def test_an_unreadable_file_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """chmod 000 does not stop root, so the refusal the kernel would give is simulated."""
    from drillbook.simulator.journal import read_journal

    locked = tmp_path / "locked.jsonl"
    locked.write_text('{"seq":0,"type":"run_started","sim":0}\n', encoding="utf-8")
    real_open = os.open

    def deny(path: object, *args: object, **kw: object) -> int:
        if Path(str(path)) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", deny)
    with pytest.raises(InputError) as info:
        read_journal(locked)
    assert str(info.value) == f"{locked}: cannot read: Permission denied"
