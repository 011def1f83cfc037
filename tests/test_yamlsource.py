"""YAML with positions: scalars as a person means them, duplicate keys caught, every problem placed."""

from __future__ import annotations

from pathlib import Path

import pytest
from drillbook.formats.yamlsource import InputError, parse, read


def problems_of(text: str, file: str = "f.yaml") -> list[str]:
    with pytest.raises(InputError) as info:
        parse(text, file)
    return [str(p) for p in info.value.problems]


def test_yaml_1_1_traps_stay_strings() -> None:
    doc = parse("a: 1:30\nb: no\nc: 2024-01-01\nd: yes\ne: on\n", "f.yaml")
    assert doc.data == {"a": "1:30", "b": "no", "c": "2024-01-01", "d": "yes", "e": "on"}


def test_plain_scalars_are_typed_and_quoted_ones_are_not() -> None:
    doc = parse('i: 42\nf: 1.5\nt: true\nn: ~\ne:\nq: "42"\nu: 1_000\n', "f.yaml")
    assert doc.data == {"i": 42, "f": 1.5, "t": True, "n": None, "e": None, "q": "42", "u": 1000}


def test_positions_point_at_values_and_keys() -> None:
    doc = parse("top:\n  list:\n    - {x: 1}\n    - {y: 2}\n", "f.yaml")
    # line 4 is "    - {y: 2}": the key y at column 8, its value at 11, the mapping at 7
    assert doc.positions.of(("top", "list", 1, "y")) == (4, 11)
    assert doc.positions.of(("top", "list", 1, "y"), key=True) == (4, 8)
    # an unknown path falls back to its nearest known ancestor
    assert doc.positions.of(("top", "list", 1, "nope", 3)) == (4, 7)


def test_duplicate_key_is_placed_at_the_second_and_names_the_first() -> None:
    assert problems_of("a: 1\nb:\n  c: 1\n  c: 2\n") == [
        "f.yaml:4:3: duplicate key 'c' (first at line 3); expected each key once"
    ]


def test_every_duplicate_is_reported_in_one_pass() -> None:
    lines = problems_of("a: 1\na: 2\nb: 1\nb: 2\n")
    assert [line.split(": ")[0] for line in lines] == ["f.yaml:2:1", "f.yaml:4:1"]


def test_merge_keys_are_refused() -> None:
    text = "base: &b {x: 1}\nother:\n  <<: *b\n"
    assert problems_of(text) == ["f.yaml:3:3: merge keys (<<) are not supported"]


def test_malformed_yaml_is_one_placed_line() -> None:
    assert problems_of("a: [1, 2\nb: 3\n") == [
        "f.yaml:2:2: malformed YAML: did not find expected ',' or ']'"
    ]
    assert problems_of('a: "open\n') == [
        "f.yaml:2:1: malformed YAML: found unexpected end of stream"
    ]
    assert problems_of("a: *nope\n") == ["f.yaml:1:4: malformed YAML: found undefined alias"]


def test_tags_never_build_objects() -> None:
    assert parse("a: !!python/object:os.system x\n", "f.yaml").data == {"a": "x"}


def test_empty_file_expects_a_mapping() -> None:
    assert problems_of("# only a comment\n") == [
        "f.yaml:1:1: the file is empty; expected a YAML mapping"
    ]


def test_missing_file_directory_and_bad_encoding(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        read(tmp_path / "nope.yaml")
    assert str(info.value) == f"{tmp_path / 'nope.yaml'}: no such file"
    with pytest.raises(InputError) as info:
        read(tmp_path)
    assert str(info.value) == f"{tmp_path}: is a directory; expected a YAML file"
    latin = tmp_path / "latin.yaml"
    latin.write_bytes(b"title: caf\xe9\n")
    with pytest.raises(InputError) as info:
        read(latin)
    assert str(info.value).startswith(f"{latin}:1:11: not UTF-8 text")  # at the bad byte


# ── the fast path: a text without anchors, a text without control characters ─────────────

TYPED = (
    "a: 42\nb: -7\nc: +1_000\nd: 1.5\ne: .5\nf: 1e3\ng: ~\nh: null\ni: true\nj: False\n"
    "k: no\nl: 1:30\nm: 2024-01-01\nn: 0x1F\no: '<<'\np: <<\nq: =\nr: !!str 5\ns: ! 6\n"
    "t: !custom 7\nu: !!int x\nv: |\n  block\nw: >\n  folded\nx: \"quoted\"\ny: ''\nz:\n"
)


def test_scalars_are_typed_by_drillbook_not_by_yaml_1_1() -> None:
    """PyYAML's tag resolver is off; what each plain, quoted or tagged scalar becomes."""
    assert parse(TYPED, "f.yaml").data == {
        "a": 42, "b": -7, "c": 1000, "d": 1.5, "e": 0.5, "f": 1000.0, "g": None, "h": None,
        "i": True, "j": False, "k": "no", "l": "1:30", "m": "2024-01-01", "n": "0x1F",
        "o": "<<", "p": "<<", "q": "=", "r": 5, "s": 6, "t": "7", "u": "x", "v": "block\n",
        "w": "folded\n", "x": "quoted", "y": "", "z": None,
    }  # fmt: skip


def _typed(data: object) -> object:
    """Data with each scalar's type spelled out (``1 == True`` must not hide a difference)."""
    if isinstance(data, dict):
        return {k: _typed(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_typed(v) for v in data]
    return (type(data).__name__, data)


BUNDLED = sorted((Path(__file__).parents[1] / "data").rglob("*.yaml"))


@pytest.mark.parametrize("path", [None, *BUNDLED], ids=lambda p: p.name if p else "typed")
def test_a_tree_builds_as_the_careful_path_does(path: Path | None) -> None:
    """Without ``&`` no node is shared, and without control characters nothing needs making
    visible; the builder then skips that work. Its data and every position (values and
    keys) must be the careful path's exactly."""
    import yaml
    from drillbook.formats.yamlcompose import Composer as _Composer
    from drillbook.formats.yamlsource import build

    text = path.read_text(encoding="utf-8") if path else TYPED
    fast = build(yaml.compose(text, Loader=_Composer), "f.yaml", graph=False, clean=True)
    careful = build(yaml.compose(text, Loader=_Composer), "f.yaml", graph=True, clean=False)
    assert _typed(fast.data) == _typed(careful.data)
    assert fast.positions._tables() == careful.positions._tables()
    assert len(fast.positions._tables()[0]) > 1


def test_positions_are_tabled_when_first_asked_for() -> None:
    doc = parse("a:\n  - {b: 1, c: [x, y]}\n", "f.yaml")
    assert doc.positions._record is not None  # a load that places nothing never tables them
    assert doc.positions._tables() == (
        {(): (1, 1), ("a",): (2, 3), ("a", 0): (2, 5), ("a", 0, "b"): (2, 9),
         ("a", 0, "c"): (2, 15), ("a", 0, "c", 0): (2, 16), ("a", 0, "c", 1): (2, 19)},
        {("a",): (1, 1), ("a", 0, "b"): (2, 6), ("a", 0, "c"): (2, 12)},
    )  # fmt: skip
    assert doc.positions._record is None
    assert doc.positions == parse("a:\n  - {b: 1, c: [x, y]}\n", "f.yaml").positions


def test_control_characters_are_made_visible_on_both_paths() -> None:
    """A clean text can still spell ESC in a double-quoted escape; a text holding a raw
    bidi override takes the careful path for every scalar and key."""
    assert parse('a: "\\e[31m"\n"k\\a": 1\n', "f.yaml").data == {"a": "␛[31m", "k␇": 1}
    assert parse("a: \u202eevil\n\u202ek: 1\n", "f.yaml").data == {
        "a": "‹U+202E›evil",
        "‹U+202E›k": 1,
    }


def test_a_duplicate_key_names_its_first_line_on_the_fast_path() -> None:
    assert problems_of("a:\n  b: 1\n  c: 2\n  b: 3\n  b: 4\n") == [
        "f.yaml:4:3: duplicate key 'b' (first at line 2); expected each key once",
        "f.yaml:5:3: duplicate key 'b' (first at line 2); expected each key once",
    ]


@pytest.mark.parametrize("depth", [100, 101])
def test_nesting_is_bounded_for_scalars_built_inline(depth: int) -> None:
    text = "{a: " * depth + "1" + "}" * depth  # the root is at depth 0: the scalar at `depth`
    if depth == 100:
        assert parse(text, "f.yaml").data is not None
    else:
        assert problems_of(text) == [
            f"f.yaml:1:{4 * depth + 1}: nested deeper than 100 levels; expected a flatter file"
        ]
