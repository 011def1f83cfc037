"""Improvement items in a form a ticketing system imports (CSV or JSON), and tickets back.

HSEEP improvement plans end up as tickets (Jira, ServiceNow, GitHub issues). Each item is
written with the fields every importer maps: title, description, owner, due date,
capability, exercise and status; its register id and reference come along so that closing it
later (``register item close ID --ticket REF``) ties the ticket to the item.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from typing import Any

from drillbook.formats.errors import InputError, Problem

FIELDS = (
    "id",
    "ref",
    "title",
    "description",
    "owner",
    "due",
    "capability",
    "exercise",
    "status",
    "closed_on",
    "ticket",
)
_TITLE_MAX = 80
_TICKET_MAX = 200
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def ticket_record(row: sqlite3.Row | dict[str, Any]) -> dict[str, Any]:
    """One item as a ticket: a short title, a description that says where it came from."""
    action = str(row["action"]).strip()
    exercise = f"{row['scenario']} ({row['held_on']})"
    source = ", ".join(
        p
        for p in (
            f"rule {row['rule']}" if row["rule"] else "",
            f"origin {row['origin']}" if row["origin"] else "",
        )
        if p
    )
    description = f"{action}\n\nFrom exercise {exercise}, improvement plan item {row['ref']}"
    description += f" ({source})." if source else "."
    status = "overdue" if row["is_overdue"] else row["status"]
    return {
        "id": row["id"],
        "ref": row["ref"],
        "title": _title(action),
        "description": description,
        "owner": row["owner"],
        "due": row["due"],
        "capability": row["capability"] or "",
        "exercise": exercise,
        "status": status,
        "closed_on": row["closed_on"] or "",
        "ticket": ticket_of(row),
    }


def ticket_of(row: sqlite3.Row | dict[str, Any]) -> str:
    """An item's ticket reference; '' for none, or for a read-only register older than
    tickets (version 4, opened read-only, is never migrated)."""
    keys = row.keys()
    return (row["ticket"] or "") if "ticket" in keys else ""


def _title(action: str) -> str:
    """The action's first line, cut at a word before :data:`_TITLE_MAX` characters."""
    first = action.splitlines()[0] if action else ""
    if len(first) <= _TITLE_MAX:
        return first
    cut = first[: _TITLE_MAX - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def items_text(rows: list[sqlite3.Row], kind: str) -> str:
    """The items as CSV (a header, one row each) or a JSON list of objects."""
    records = [ticket_record(r) for r in rows]
    if kind == "json":
        return json.dumps(records, ensure_ascii=False, indent=2) + "\n"
    buf = io.StringIO(newline="")
    # "\n", not CSV's "\r\n": the text may go to a terminal, which shows a CR as a picture.
    writer = csv.DictWriter(buf, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    for r in records:  # text a spreadsheet would run as a formula is marked as text
        writer.writerow({k: _cell(v) for k, v in r.items()})
    return buf.getvalue()


def _cell(value: Any) -> Any:
    return f"'{value}" if isinstance(value, str) and value.startswith(_FORMULA_START) else value


def check_ticket(ref: str, shown: str) -> str:
    """An external ticket reference as the register keeps it: one short line of text."""
    text = ref.strip()
    bad = next((c for c in text if ord(c) < 32 or 127 <= ord(c) < 160), None)
    if not text or len(text) > _TICKET_MAX or bad is not None:
        raise InputError(
            [
                Problem(
                    shown,
                    0,
                    0,
                    f"--ticket {ref!r} is not a ticket reference; expected one line of at most "
                    f"{_TICKET_MAX} characters, like PROJ-123 or a ticket's URL",
                )
            ]
        )
    return text
