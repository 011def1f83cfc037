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
