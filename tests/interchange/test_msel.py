"""``drillbook msel export|import``: the timed injects of every bundled scenario round-trip
through CSV and XLSX, and a hostile or wrong sheet ends in one placed line (issue 16, 9)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from drillbook.authoring import msel, sheets
from drillbook.scenarios import library
from drillbook.scenarios.loader import load

BUNDLED = library.bundled()


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
@pytest.mark.parametrize("path", BUNDLED, ids=[p.stem for p in BUNDLED])
def test_export_then_import_reproduces_the_timed_injects(cli, tmp_path, path, kind):
    sheet = tmp_path / f"msel.{kind}"
    assert cli("msel", "export", path, "-o", sheet)[0] == 0
    out = tmp_path / "back.yaml"
    code, _, err = cli("msel", "import", sheet, "-o", out, "--into", path)
    assert (code, err) == (0, "")
    original, back = load(path).scenario, load(out).scenario
    assert msel.timed(back) == msel.timed(original)
    assert back.injects == original.injects  # conditional ones kept, in their places
    assert back.model_copy(update={"injects": []}) == original.model_copy(update={"injects": []})


def test_a_scaffold_import_validates_and_says_what_stays_in_yaml(cli, tmp_path):
    sheet = tmp_path / "msel.xlsx"
    assert cli("msel", "export", library.FLAGSHIP, "-o", sheet)[0] == 0
    out = tmp_path / "from-sheet.yaml"
    code, stdout, _ = cli("msel", "import", sheet, "-o", out)
    assert code == 0
    assert "Conditional injects, truth, meters and sources stay in YAML" in stdout
    scaffold = load(out).scenario
    assert scaffold.id == "from-sheet"
    original = msel.timed(load(library.resolve(library.FLAGSHIP)).scenario)
    assert msel.timed(scaffold) == original
    assert scaffold.ends > max(i.at for i in original)  # the last inject is delivered
    assert cli("lint", out)[0] == 0  # warnings about the placeholders, no errors


def test_text_a_spreadsheet_would_run_is_quoted_and_comes_back_exact():
    assert sheets.as_text("=HYPERLINK(x)") == "'=HYPERLINK(x)"
    for text in ("=1+1", "+0:05", "-x", "@SUM", "'quoted", "plain"):
        assert sheets.from_text(sheets.as_text(text)) == text


def _csv(tmp_path: Path, text: str, name: str = "msel.csv") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


HEADER = "time,to,channel,title,body\n"


@pytest.mark.parametrize(
    ("rows", "place", "expected"),
    [
        ('"+0:05",on_call,fax,Alert,x\n', ":2:3:", "'fax' is not allowed"),
        ('"+0:05",ceo,pager,Alert,x\n', ":2:2:", "'ceo'"),
        ("soon,on_call,pager,Alert,x\n", ":2:1:", "at"),
        ('"+0:05",on_call,pager,Alert,{nothing}\n', ":2:5:", "names no meter"),
        ('"+0:05",on_call,pager,,x\n', ":2:1:", "'title' is empty"),
    ],
)
def test_a_bad_cell_is_placed_at_its_row_and_column(cli, tmp_path, rows, place, expected):
    sheet = _csv(tmp_path, HEADER + rows)
    code, _, err = cli(
        "msel", "import", sheet, "-o", tmp_path / "x.yaml", "--into", library.FLAGSHIP
    )
    assert code == 2
    # The sheet's cell is named at its row and column. A one-row sheet replaces every timed
    # inject, so conditions naming the others are reported too; problems sort by file path,
    # which puts either file first depending on where the repository and the temp dir are.
    lines = [line.removeprefix("drillbook: ") for line in err.splitlines()]
    placed = [line for line in lines if line.startswith(f"{sheet}{place}")]
    assert placed, err
    assert expected in placed[0]
    assert not (tmp_path / "x.yaml").exists()


def test_an_unknown_column_lists_the_columns_there_are(cli, tmp_path):
    sheet = _csv(tmp_path, "time,to,channel,title,colour\n+0:05,on_call,pager,A,red\n")
    code, _, err = cli("msel", "import", sheet, "-o", tmp_path / "x.yaml")
    assert code == 2
    assert err == (
        f"drillbook: {sheet}:1:5: unknown column 'colour'; expected: {', '.join(msel.columns())}\n"
    )


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"time,to\n\xff\xfe,x\n", ":2:1: not UTF-8 text"),
        (b'time,to,channel,title\n"+0:05,on_call\n', ":2:1: not a CSV row"),
        (b"time,to,channel,title\n+0:05,on\x00call,pager,A\n", ":2:2: control character U+0000"),
        (b"", "is empty; expected a header row first"),
        (b"time,to,channel,title\n", "has no inject rows"),
    ],
)
def test_a_hostile_csv_ends_in_one_line(cli, tmp_path, content, expected):
    sheet = tmp_path / "msel.csv"
    sheet.write_bytes(content)
    code, out, err = cli("msel", "import", sheet, "-o", tmp_path / "x.yaml")
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and expected in err, err


def _zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"not a zip at all", "not an XLSX workbook"),
        (_zip({"xl/sharedStrings.xml": b"\0" * 20_000_000}), "unpacks to 20,000,000 bytes"),
        (_zip({"hello.txt": b"hi"}), "not a readable XLSX workbook"),
    ],
    # Named: the zips' bytes carry the time they were built, and xdist's workers must collect
    # the same test ids.
    ids=["not-a-zip", "zip-bomb", "no-workbook"],
)
def test_a_hostile_xlsx_ends_in_one_line(cli, tmp_path, content, expected):
    sheet = tmp_path / "msel.xlsx"
    sheet.write_bytes(content)
    code, out, err = cli("msel", "import", sheet, "-o", tmp_path / "x.yaml")
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and expected in err, err


def test_formula_text_is_written_to_xlsx_as_text(tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "t.xlsx"
    sheets.write_table(path, "xlsx", ["title"], [["=cmd|' /C calc'!A0"]])
    cell = load_workbook(path)["MSEL"]["A2"]
    assert cell.data_type == "s" and cell.value == "=cmd|' /C calc'!A0"
    assert sheets.read_table(path).rows[0]["title"].text == "=cmd|' /C calc'!A0"


def test_importing_back_into_the_scenario_itself_needs_force(cli, tmp_path):
    mine = tmp_path / "mine.yaml"
    mine.write_bytes(library.resolve(library.FLAGSHIP).read_bytes())
    sheet = tmp_path / "msel.csv"
    assert cli("msel", "export", mine, "-o", sheet)[0] == 0
    text = sheet.read_text(encoding="utf-8-sig").replace("P3 alert", "P2 alert", 1)
    sheet.write_text(text, encoding="utf-8")
    code, _, err = cli("msel", "import", sheet, "-o", mine, "--into", mine)
    assert code == 2 and "cannot be replaced unasked" in err
    assert cli("msel", "import", sheet, "-o", mine, "--into", mine, "--force")[0] == 0
    assert load(mine).scenario.injects[0].title.startswith("P2 alert")
    assert cli("msel", "import", sheet, "-o", sheet, "--into", mine, "--force")[0] == 2


def test_an_entity_bomb_inside_a_workbook_ends_in_one_line(cli, tmp_path):
    good = tmp_path / "good.xlsx"
    sheets.write_table(good, "xlsx", ["title"], [["x"]])
    dtd = '<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a0 "lol">'
    dtd += "".join(f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10)) + "]>"
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        for name in src.namelist():
            data = src.read(name)
            if name == "xl/worksheets/sheet1.xml":
                data = (dtd + data.decode().replace("<t>title</t>", "<t>&a9;</t>", 1)).encode()
            z.writestr(name, data)
    code, out, err = cli("msel", "import", bomb, "-o", tmp_path / "x.yaml")
    assert code == 2 and out == "" and len(err.splitlines()) == 1
    assert err.startswith(f"drillbook: {bomb}: ") and "XLSX" in err


@pytest.mark.parametrize("sep", [";", "\t"])
def test_a_csv_separated_by_semicolons_or_tabs_reads_the_same(tmp_path, sep):
    text = (
        HEADER.replace(",", sep) + sep.join(['"+0:05"', "on_call", "pager", "Alert", "a, b"]) + "\n"
    )
    [row] = sheets.read_table(_csv(tmp_path, text)).rows
    assert {k: c.text for k, c in row.items()} == {
        "time": "+0:05",
        "to": "on_call",
        "channel": "pager",
        "title": "Alert",
        "body": "a, b",
    }


def test_other_msels_column_names_are_understood(tmp_path):
    text = "At,Recipients,Method,From,Subject,Message\n+0:05,on_call,pager,Monitor,Alert,Down\n"
    [item] = msel.injects_of(sheets.read_table(_csv(tmp_path, text)))
    assert item.data == {
        "id": "alert",
        "at": "+0:05",
        "to": ["on_call"],
        "channel": "pager",
        "sender": "Monitor",
        "title": "Alert",
        "body": "Down",
    }
