"""Spreadsheets in and out: CSV and XLSX tables of text cells, read as carefully as YAML.

A spreadsheet handed to ``drillbook msel import`` may come from anyone: a CSV with NUL bytes
or text that is not UTF-8, an XLSX that is a zip bomb or not a zip at all. Each ends in one
placed line (:class:`InputError`), never a traceback. Cells are placed as ``file:row:column``
(both 1-based: row 7, column 3 is cell C7), which is what a spreadsheet shows.

Text that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@`` first: "CSV
injection") is written to a CSV with a leading ``'``, the spreadsheet's own "this is text"
mark, and that mark is taken off again on reading, so every text round-trips exactly. An XLSX
cell is typed: text is written as text, never as a formula.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import warnings
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from drillbook.formats.errors import InputError, Problem
from drillbook.formats.limits import max_file_bytes, read_bounded

FORMATS = ("csv", "xlsx")
SHEET_TITLE = "MSEL"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")
# An XLSX is a zip of XML parts; a real MSEL's parts unpack to a few times the file's size.
_MAX_XLSX_PARTS = 200
_MAX_XLSX_RATIO = 100
# A sheet's <dimension> is the writer's claim: trusted, "A1:XFD1048576" padded every row to
# 16,384 cells and a far cell made a billion (13 GB, no answer). Rows and cells are read as
# they are in the XML instead, and an MSEL is a few dozen columns wide.
_MAX_XLSX_COLUMNS = 1024
# Tab, newline and carriage return are text; every other C0/C1 control is refused, as in YAML.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Cell:
    """One cell's text and where it sits in its file."""

    text: str
    row: int
    col: int


@dataclass(frozen=True)
class Table:
    """A sheet read back: the header cells and each non-empty row, keyed by header name."""

    file: str
    header: list[Cell]
    rows: list[dict[str, Cell]]

    def problem(self, cell: Cell, message: str) -> Problem:
        return Problem(self.file, cell.row, cell.col, message)


def format_of(path: str | Path, given: str | None = None) -> str:
    """``csv`` or ``xlsx``: as given, else from the file's suffix."""
    kind = (given or Path(path).suffix.lstrip(".")).lower()
    if kind not in FORMATS:
        what = f"'{kind}' is not a spreadsheet format" if kind else "no spreadsheet suffix"
        raise InputError(
            [Problem(str(path), 0, 0, f"{what}; expected a .csv or .xlsx file (or --format)")]
        )
    return kind


def as_text(value: str) -> str:
    """A cell's text as written: quoted with ``'`` if a spreadsheet would run it."""
    return f"'{value}" if value.startswith(_FORMULA_START) else value


def from_text(value: str) -> str:
    """The inverse of :func:`as_text`."""
    return value[1:] if value.startswith("'") else value


def write_table(
    path: Path, kind: str, header: Sequence[str], rows: Sequence[Sequence[str]]
) -> None:
    """Write a table of text cells as CSV (UTF-8 with a BOM, which Excel needs) or XLSX."""
    if kind == "csv":
        buf = io.StringIO(newline="")
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows([as_text(v) for v in row] for row in rows)
        path.write_bytes(b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8"))
        return
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET_TITLE
    for r, values in enumerate([header, *rows], start=1):
        for c, value in enumerate(values, start=1):
            if value == "":
                continue
            cell = sheet.cell(row=r, column=c)
            cell.value = value
            cell.data_type = "s"  # text, even when it starts with '=': never a formula
    sheet.freeze_panes = "A2"
    book.save(path)


def read_table(path: str | Path, kind: str | None = None) -> Table:
    """Read a CSV or XLSX sheet (``kind``, else by suffix); every unreadable input is one
    placed line."""
    kind = format_of(path, kind)
    raw = read_bounded(path, f"a {kind.upper()} file")
    grid = _csv_grid(str(path), raw) if kind == "csv" else _xlsx_grid(str(path), raw)
    if not grid:
        raise InputError([Problem(str(path), 0, 0, "is empty; expected a header row first")])
    for cells in grid:
        for cell in cells:
            bad = _CONTROL.search(cell.text)
            if bad:
                code = f"U+{ord(bad.group()):04X}"
                raise InputError(
                    [
                        Problem(
                            str(path),
                            cell.row,
                            cell.col,
                            f"control character {code} in a cell; expected text",
                        )
                    ]
                )
    header, *body = grid
    names = [c.text.strip().lower() for c in header]
    rows: list[dict[str, Cell]] = []
    for cells in body:
        if len(cells) > len(header) and any(c.text.strip() for c in cells[len(header) :]):
            extra = next(c for c in cells[len(header) :] if c.text.strip())
            raise InputError(
                [Problem(str(path), extra.row, extra.col, "a value beyond the last header column")]
            )
        row = {n: c for n, c in zip(names, cells, strict=False) if n and c.text.strip()}
        if row:
            rows.append(row)
    return Table(str(path), [c for c in header if c.text.strip()], rows)


def _csv_grid(file: str, raw: bytes) -> list[list[Cell]]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(
            [Problem(file, line, 1, "not UTF-8 text; expected a CSV saved as UTF-8")]
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    grid: list[list[Cell]] = []
    start = 1
    try:
        for values in reader:
            grid.append([Cell(from_text(v), start, c) for c, v in enumerate(values, start=1)])
            start = reader.line_num + 1
    except csv.Error as exc:
        raise InputError([Problem(file, start, 1, f"not a CSV row ({exc})")]) from None
    return grid


def _delimiter(text: str) -> str:
    """The header row's separator: a comma, or the semicolon that Excel writes where the
    decimal mark is a comma, or a tab (a sheet pasted as text)."""
    header = text.split("\n", 1)[0]
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _xlsx_grid(file: str, raw: bytes) -> list[list[Cell]]:
    _check_zip(file, raw)
    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():  # openpyxl warns on stderr about styles it ignores
            warnings.simplefilter("ignore")
            book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        what = f"{type(exc).__name__}: {exc}".splitlines()[0][:200]
        raise InputError(
            [Problem(file, 0, 0, f"not a readable XLSX workbook ({what}); expected one")]
        ) from None
    try:
        sheet = book[SHEET_TITLE] if SHEET_TITLE in book.sheetnames else book.worksheets[0]
        sheet.reset_dimensions()  # the cells in the XML, not the size the file claims
        grid = []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for r, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                if len(values) > _MAX_XLSX_COLUMNS:
                    raise InputError(
                        [
                            Problem(
                                file,
                                r,
                                len(values),
                                f"a cell in column {len(values):,}; expected an MSEL of at "
                                f"most {_MAX_XLSX_COLUMNS:,} columns",
                            )
                        ]
                    )
                grid.append([Cell(_cell_text(v), r, c) for c, v in enumerate(values, start=1)])
    except InputError:
        raise
    except Exception as exc:
        what = f"{type(exc).__name__}: {exc}".splitlines()[0][:200]
        raise InputError([Problem(file, 0, 0, f"damaged XLSX sheet ({what})")]) from None
    finally:
        book.close()
    while grid and not any(c.text for c in grid[-1]):
        grid.pop()
    return grid


def _check_zip(file: str, raw: bytes) -> None:
    """An XLSX must be a zip whose parts unpack to a bounded size (no zip bombs)."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InputError([Problem(file, 0, 0, f"not an XLSX workbook ({exc})")]) from None
    total = sum(i.file_size for i in infos)
    limit = min(max_file_bytes() * 5, max(len(raw), 1) * _MAX_XLSX_RATIO)
    if len(infos) > _MAX_XLSX_PARTS or total > limit:
        raise InputError(
            [
                Problem(
                    file,
                    0,
                    0,
                    f"unpacks to {total:,} bytes in {len(infos)} parts; expected an XLSX "
                    f"workbook of at most {limit:,} bytes in {_MAX_XLSX_PARTS} parts",
                )
            ]
        )


def _cell_text(value: object) -> str:
    """A cell's value as the text the MSEL means: times typed by a spreadsheet become
    ``+H:MM``, whole numbers lose their ``.0``."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.time):
        return f"+{value.hour}:{value.minute:02d}"
    if isinstance(value, dt.timedelta):
        minutes = int(value.total_seconds() // 60)
        return f"+{minutes // 60}:{minutes % 60:02d}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)  # an XLSX cell is typed: its text needs no "'" mark taken off
