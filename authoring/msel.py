"""The MSEL as a spreadsheet: a scenario's timed injects out to CSV/XLSX and back in.

Facilitators keep a Master Scenario Events List in a spreadsheet (OpenAEV imports one from
XLS). Only *timed* injects fit a row: time, to, channel, sender, title, body, and the columns
after them for the rest of an inject (phase, expects, and JSON for an inject's attachments or
question). Conditional injects, the truth, meters and sources are structure, not rows: they
stay in YAML. An import therefore either goes *into* an existing scenario (its timed injects
are replaced, everything else kept) or writes a scaffold (``drillbook new``'s placeholders
around the sheet's injects) and says what is left to write.

Rows keep the scenario's declaration order (it breaks ties in time), and an import puts the
sheet's injects back into the places the scenario's timed injects held, so exporting and
importing an unchanged sheet reproduces the scenario's injects exactly.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from drillbook.authoring.sheets import Cell, Table
from drillbook.formats.errors import InputError, Problem
from drillbook.formats.offsets import fmt_offset, parse_offset
from drillbook.formats.validation import validate
from drillbook.formats.yamlsource import Document, Positions, parse
from drillbook.scenarios import references
from drillbook.scenarios.model import Inject, Scenario
from drillbook.scenarios.references import PLACEHOLDER

# Plain columns, in the order a facilitator reads them; the header names a sheet uses.
PLAIN = ("id", "time", "to", "channel", "sender", "title", "body", "phase", "expects")
LISTS = ("to", "expects")
REQUIRED = ("time", "to", "channel", "title")
# What other MSEL spreadsheets call the same columns.
ALIASES = {
    "at": "time",
    "recipients": "to",
    "method": "channel",
    "from": "sender",
    "subject": "title",
    "message": "body",
}
_NOT_ROWS = ("at", "when", "delay")  # the trigger: "time" is the row's, the rest is YAML's
_SPLIT = re.compile(r"[,;\n]")
# Written quoted, as the format asks: YAML 1.1 readers take some "+H:MM" for sexagesimal.
_OFFSET_LIKE = re.compile(r"^[+-]?\d+(:\d+)+$")


def json_columns() -> list[str]:
    """Columns holding JSON: every inject field that is not a plain column (attachments,
    question, and whatever the format grows), so a row carries a whole timed inject."""
    fields = [f.alias or n for n, f in Inject.model_fields.items()]
    return [f for f in fields if f not in PLAIN and f not in _NOT_ROWS]


def columns() -> list[str]:
    return [*PLAIN, *json_columns()]


def timed(s: Scenario) -> list[Inject]:
    """The injects with a time of their own (``at``), in declaration order."""
    return [i for i in s.injects if i.at is not None]


def rows(s: Scenario) -> list[list[str]]:
    """One row of text cells per timed inject, under :func:`columns`."""
    out = []
    for inject in timed(s):
        data = inject.model_dump(mode="json", by_alias=True, exclude_defaults=True)
        row = {
            "id": inject.id,
            "time": fmt_offset(inject.at),
            "to": ", ".join(inject.to),
            "channel": inject.channel,
            "sender": inject.sender,
            "title": inject.title,
            "body": inject.body,
            "phase": inject.phase or "",
            "expects": ", ".join(inject.expects),
        }
        for name in json_columns():
            row[name] = json.dumps(data[name], ensure_ascii=False) if name in data else ""
        out.append([row[c] for c in columns()])
    return out


@dataclass(frozen=True)
class SheetInject:
    """One row read back as the raw data of an inject, with the cell each field came from."""

    data: dict[str, Any]
    cells: dict[str, Cell]
    row: int


def injects_of(table: Table) -> list[SheetInject]:
    """The sheet's rows as inject data; every bad header, cell or inject is placed."""
    known = columns()
    problems: list[Problem] = []
    seen: set[str] = set()
    for cell in table.header:
        name = ALIASES.get(cell.text.strip().lower(), cell.text.strip().lower())
        if name not in known:
            problems.append(
                table.problem(cell, f"unknown column '{cell.text}'; expected: {', '.join(known)}")
            )
        elif name in seen:
            problems.append(table.problem(cell, f"column '{name}' appears twice"))
        seen.add(name)
    missing = [c for c in REQUIRED if c not in seen]
    if missing:
        head = table.header[0] if table.header else Cell("", 1, 1)
        problems.append(
            table.problem(
                head,
                f"missing column {', '.join(missing)}; an MSEL row needs {', '.join(REQUIRED)}",
            )
        )
    if problems:
        raise InputError(problems)
    out: list[SheetInject] = []
    ids: dict[str, int] = {}
    for given in table.rows:
        row = {ALIASES.get(k, k): c for k, c in given.items()}
        title = row["title"].text if "title" in row else ""
        item, errs = _inject(table, row, _unique(_slug(title), ids))
        problems += errs
        if item is None:
            continue
        ident = item.data["id"]
        if ident in ids:
            where = row.get("id") or next(iter(row.values()))
            problems.append(
                table.problem(where, f"inject id '{ident}' is also on row {ids[ident]}")
            )
        ids.setdefault(ident, item.row)
        out.append(item)
    if problems:
        raise InputError(problems)
    if not out:
        raise InputError(
            [Problem(table.file, 0, 0, "has no inject rows; expected one per timed inject")]
        )
    return out


def _inject(
    table: Table, row: dict[str, Cell], default_id: str
) -> tuple[SheetInject | None, list[Problem]]:
    first = min(row.values(), key=lambda c: c.col)
    data: dict[str, Any] = {} if "id" in row else {"id": default_id}
    problems: list[Problem] = []
    for name, cell in row.items():
        text = cell.text.strip() if name not in ("body", "title", "sender") else cell.text
        if name == "time":
            data["at"] = _time(text)
        elif name in LISTS:
            data[name] = [v.strip() for v in _SPLIT.split(text) if v.strip()]
        elif name in PLAIN:
            data[name] = text
        else:
            try:
                data[name] = json.loads(text)
            except (ValueError, RecursionError) as exc:
                problems.append(
                    table.problem(cell, f"{name}: not JSON ({exc}); expected the {name} as JSON")
                )
    for name in REQUIRED:
        if name not in row:
            problems.append(table.problem(first, f"row {first.row}: '{name}' is empty"))
    if problems:
        return None, problems
    cells = {("at" if k == "time" else k): c for k, c in row.items()}
    at = {(): (first.row, first.col)} | {(k,): (c.row, c.col) for k, c in cells.items()}
    doc = Document(data, Positions(table.file, at))
    try:
        validate(Inject, doc)
    except InputError as exc:
        return None, exc.problems
    return SheetInject(data, cells, first.row), []


def _time(text: str) -> str | int:
    """A time cell as the format writes an offset: whole minutes, or ``+H:MM`` (a spreadsheet
    shows ``+0:05`` as ``0:05``, so the sign may be missing)."""
    if text.isdigit():
        return int(text)
    return text if text.startswith(("+", "-")) else f"+{text}"


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:40].strip("-") or "inject"


def _unique(base: str, taken: dict[str, int]) -> str:
    name, n = base, 2
    while name in taken:
        name, n = f"{base}-{n}", n + 1
    return name


def merged(
    base: dict[str, Any], sheet: list[SheetInject]
) -> tuple[list[Any], list[int | SheetInject]]:
    """The base's injects with its timed ones replaced by the sheet's, slot by slot (so an
    unchanged sheet gives the base back), extra rows after the last timed slot. Returns the
    raw inject list and, per entry, where it came from (a base index or a sheet row)."""
    old = list(base.get("injects") or [])
    slots = [i for i, d in enumerate(old) if isinstance(d, dict) and "at" in d]
    out: list[Any] = []
    origin: list[int | SheetInject] = []
    rows_left = list(sheet)
    last = slots[-1] if slots else len(old) - 1
    for i, d in enumerate(old):
        if i in slots:
            if rows_left:
                item = rows_left.pop(0)
                out.append(item.data)
                origin.append(item)
        else:
            out.append(d)
            origin.append(i)
        if i == last:
            out += [r.data for r in rows_left]
            origin += rows_left
            rows_left = []
    out += [r.data for r in rows_left]
    origin += rows_left
    return out, origin


def check(
    base: Document, injects: list[Any], origin: list[int | SheetInject], table: Table
) -> Scenario:
    """The merged scenario, validated and cross-checked; a problem in an imported inject is
    placed at its cell, one elsewhere at its place in the base file."""
    data = dict(base.data) | {"injects": injects}

    def place(path: tuple[Any, ...], message: str) -> Problem:
        if len(path) >= 2 and path[0] == "injects" and isinstance(path[1], int):
            src = origin[path[1]] if path[1] < len(origin) else None
            if isinstance(src, SheetInject):
                cell = src.cells.get(str(path[2])) if len(path) > 2 else None
                cell = cell or min(src.cells.values(), key=lambda c: c.col)
                return table.problem(cell, message)
            if isinstance(src, int):
                path = ("injects", src, *path[2:])
        return base.positions.problem(path, message)

    class _Placed(Positions):
        def problem(self, path: Any, message: str, *, key: bool = False) -> Problem:
            return place(tuple(path), message)

    try:
        scenario = validate(Scenario, Document(data, _Placed(base.positions.file)))
    except InputError as exc:
        raise InputError(exc.problems) from None
    problems = [place(tuple(p), msg) for p, msg in references.check(scenario)]
    if problems:
        raise InputError(problems)
    return scenario


# -- writing YAML ---------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """Block style, literal blocks for multi-line text, short lists of scalars on one line."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else ('"' if _OFFSET_LIKE.match(value) else None)
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _list(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.Node:
    flat = all(isinstance(v, str | int | float) and "\n" not in str(v) for v in value)
    return dumper.represent_sequence(
        "tag:yaml.org,2002:seq", value, flow_style=flat and bool(value)
    )


_Dumper.add_representer(str, _str)
_Dumper.add_representer(list, _list)


def dump(value: Any) -> str:
    return yaml.dump(value, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def replace_block(text: str, key: str, value: Any) -> str:
    """``text`` with its top-level ``key:`` block (to the next top-level key) rewritten as
    ``value``; comments elsewhere in the file are kept. Appended if the key is absent."""
    lines = text.splitlines(keepends=True)
    start = next((i for i, ln in enumerate(lines) if re.match(rf"{key}:(\s|$)", ln)), None)
    block = dump({key: value})
    if start is None:
        return text + ("" if text.endswith("\n") else "\n") + "\n" + block
    end = start + 1
    while end < len(lines) and not re.match(r"[A-Za-z_]", lines[end]):
        end += 1
    tail_blank = "\n" if end < len(lines) else ""
    return "".join(lines[:start]) + block + tail_blank + "".join(lines[end:])


def scaffold_text(text: str, sheet: str, scenario: dict[str, Any], injects: list[Any]) -> str:
    """The starter scenario around the sheet's injects: a note on what is left to write
    (above ``id:``), grown by what the injects name, and played long enough for them."""
    note = _scaffold_note(sheet, len(injects))
    text = re.sub(r"(?m)^id:", lambda m: note + "\n" + m.group(0), text, count=1)
    text = grow_scaffold(text, scenario, injects)
    last = max((parse_offset(d["at"]) for d in injects), default=0)
    if last >= parse_offset(scenario.get("ends", 0)):
        ends = fmt_offset(last + 60)  # an hour after the last inject, for the answers
        text = re.sub(r'(?m)^ends: "[^"]*"', f'ends: "{ends}"', text, count=1)
    return text


def _scaffold_note(sheet: str, count: int) -> str:
    return (
        f"# Imported from {Path(sheet).name} by `drillbook msel import`: the sheet carried the\n"
        f"# {count} timed injects below. Conditional injects, the truth, meters and sources stay in\n"
        "# YAML; the ones here are `drillbook new`'s placeholders: replace them with the story's.\n"
    )


def grow_scaffold(text: str, base: dict[str, Any], injects: list[Any]) -> str:
    """A scaffold grown by what the sheet's injects name: the roles they go to, their
    phases, and a placeholder meter for each ``{meter}`` their text shows."""
    for key, wanted in (
        ("roles", [r for d in injects for r in d.get("to", [])]),
        ("phases", [d["phase"] for d in injects if d.get("phase")]),
        (
            "meters",
            [
                m.group(1)
                for d in injects
                for f in ("title", "body")
                for m in PLACEHOLDER.finditer(str(d.get(f, "")))
            ],
        ),
    ):
        entries = list(base.get(key) or [])
        have = {e.get("id") for e in entries if isinstance(e, dict)}
        new = [w for w in dict.fromkeys(wanted) if w not in have]
        if not new:
            continue
        entries += [_placeholder(key, w) for w in new]
        text = replace_block(text, key, entries)
    return text


def _placeholder(key: str, ident: str) -> dict[str, Any]:
    words = ident.replace("_", " ").replace("-", " ")
    if key == "phases":
        return {"id": ident, "title": words.capitalize()}
    if key == "meters":  # it stays at 0 until the author gives it a rate
        return {"id": ident, "label": words.capitalize()}
    return {"id": ident}


def parse_base(text: str, file: str) -> Document:
    """The scenario an import goes into: a mapping whose ``injects`` (if any) is a list, or
    one placed problem (a list or a scalar at the top crashed the merge)."""
    doc = parse(text, file)
    if not isinstance(doc.data, dict):
        raise InputError([doc.positions.problem((), "expected a YAML mapping at the top level")])
    if not isinstance(doc.data.get("injects") or [], list):
        raise InputError([doc.positions.problem(("injects",), "expected a list of injects")])
    return doc


def written_back(text: str, file: str, injects: list[Any]) -> None:
    """The file an import writes must read back with the injects it was given.
    :func:`replace_block` rewrites a block-style top-level ``injects:``; a scenario written
    in flow style (``{id: x, injects: [...]}``, JSON) has none to find, and the text it made
    was not YAML."""
    try:
        ok = parse(text, file).data.get("injects") == injects
    except (InputError, AttributeError):
        ok = False
    if not ok:
        raise InputError(
            [
                Problem(
                    file,
                    1,
                    1,
                    "has no top-level 'injects:' block to replace (written in flow style or as "
                    "JSON?); expected a block-style scenario, as drillbook new writes",
                )
            ]
        )
