"""An XLSX sheet's ``<dimension>`` is the writer's claim, never trusted.

With ``A1:XFD1048576`` claimed and one far cell, openpyxl padded every row to 16,384 cells:
``msel import`` grew past 13 GB without answering. The cells are read as the XML holds them
and a row wider than an MSEL can be is refused at its last cell.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from corpus import FLAGSHIP_FILE
from drillbook.authoring.sheets import read_table
from drillbook.formats.errors import InputError

from drillbook.cli import main

SHEET = "xl/worksheets/sheet1.xml"


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    path = tmp_path_factory.mktemp("xlsx") / "msel.xlsx"
    assert main(["msel", "export", str(FLAGSHIP_FILE), "-o", str(path)]) == 0
    with zipfile.ZipFile(path) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


def _with_sheet(path: Path, parts: dict[str, bytes], dimension: str, extra_row: str) -> Path:
    xml = parts[SHEET].decode("utf-8")
    xml, n = re.subn(r'<dimension ref="[^"]*" ?/>', f'<dimension ref="{dimension}"/>', xml)
    assert n == 1, "the exported sheet no longer declares its dimension"
    xml = xml.replace("</sheetData>", extra_row + "</sheetData>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, xml.encode("utf-8") if name == SHEET else data)
    return path


def test_a_claimed_sheet_of_a_billion_cells_is_refused_at_its_far_cell(
    exported: dict[str, bytes], tmp_path: Path
) -> None:
    far = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    path = _with_sheet(tmp_path / "far.xlsx", exported, "A1:XFD1048576", far)
    with pytest.raises(InputError) as info:
        read_table(path)
    [problem] = info.value.problems
    assert (problem.line, problem.col) == (1048576, 16384)
    assert "a cell in column 16,384; expected an MSEL of at most 1,024 columns" in problem.message


def test_a_row_beyond_the_claimed_dimension_is_read_not_dropped(
    exported: dict[str, bytes], tmp_path: Path
) -> None:
    late = '<row r="40"><c r="A40" t="inlineStr"><is><t>late-row</t></is></c></row>'
    path = _with_sheet(tmp_path / "late.xlsx", exported, "A1:B2", late)
    table = read_table(path)
    assert len(table.header) == 11  # the header is all there, though the claim says B
    assert table.rows[-1]["id"].text == "late-row" and table.rows[-1]["id"].row == 40
