"""``msel import --into``: the scenario the sheet goes into is read as hostile as any other.

It was decoded without a check (not UTF-8: exit 70), merged without looking at its shape (a
list at the top, or ``injects: 5``: exit 70), and written back by replacing a block that a
flow-style scenario does not have (exit 0, and a file that no longer parsed).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from corpus import FLAGSHIP_FILE, FLAGSHIP_TEXT, edit

from drillbook.cli import EXIT_INPUT, main

Run = Callable[..., tuple[int, str, str]]  # the ``cli`` fixture (conftest.py)


@pytest.fixture
def sheet(tmp_path: Path) -> Path:
    path = tmp_path / "msel.csv"
    assert main(["msel", "export", str(FLAGSHIP_FILE), "-o", str(path)]) == 0
    return path


INTO: dict[str, tuple[bytes, str]] = {
    "not-utf8": (FLAGSHIP_TEXT.encode() + b"\nx: \xff\n", ": not UTF-8 text"),
    "utf16": (FLAGSHIP_TEXT.encode("utf-16"), "1:1: not UTF-8 text"),
    "top-level-list": (b"- a\n- b\n", "1:1: expected a YAML mapping at the top level"),
    "top-level-scalar": (b"hello\n", "1:1: expected a YAML mapping at the top level"),
    "injects-number": (edit("injects:", "injects: 5\nxinjects:").encode(), "expected a list"),
    "flow-style": (
        json.dumps(yaml.safe_load(FLAGSHIP_TEXT)).encode(),
        "1:1: has no top-level 'injects:' block to replace",
    ),
}


@pytest.mark.parametrize("name", sorted(INTO))
def test_a_hostile_scenario_to_import_into_is_one_placed_line(
    cli: Run, sheet: Path, tmp_path: Path, name: str
) -> None:
    data, says = INTO[name]
    (tmp_path / "clients").symlink_to(FLAGSHIP_FILE.parent / "clients")
    into = tmp_path / f"{name}.yaml"
    into.write_bytes(data)
    out = tmp_path / "out.yaml"
    code, _, err = cli("msel", "import", sheet, "--into", into, "-o", out)
    lines = err.strip().splitlines()
    assert code == EXIT_INPUT and len(lines) == 1, err
    assert lines[0].startswith(f"drillbook: {into}:") and says in lines[0], lines[0]
    assert not out.exists() and into.read_bytes() == data
