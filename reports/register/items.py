"""Improvement items: the corrective actions of every exercise, tracked to completion.

"Post-incident action items are easy to deprioritize when the urgency fades. Assign owners,
set deadlines, and track completion." An item is open until someone closes it; it is overdue
when it is open past its due date.
"""

from __future__ import annotations

import sqlite3
from datetime import date

from drillbook.formats.yamlsource import InputError, Problem
from drillbook.reports.register.store import transaction

# The range of an SQLite INTEGER: an id outside it cannot be an item's.
_SQLITE_MIN, _SQLITE_MAX = -(2**63), 2**63 - 1


def list_items(
    conn: sqlite3.Connection,
    *,
    today: date,
    overdue: bool = False,
    owner: str | None = None,
    include_closed: bool = False,
) -> list[sqlite3.Row]:
    """Items, soonest due first; ``owner`` matches a person's name or a role, case-blind."""
    where = ["1 = 1"]
    args: list[object] = []
    if not include_closed or overdue:
        where.append("i.status = 'open'")
    if overdue:
        where.append("i.due < ?")
        args.append(today.isoformat())
    if owner:
        where.append("(lower(i.owner) LIKE ? OR lower(coalesce(i.owner_role, '')) = ?)")
        args += [f"%{owner.lower()}%", owner.lower().replace(" ", "_")]
    return conn.execute(
        f"""SELECT i.*, e.scenario, e.held_on, e.client,
                   (i.status = 'open' AND i.due < ?) AS is_overdue
              FROM improvement_items i JOIN exercises e ON e.id = i.exercise_id
             WHERE {" AND ".join(where)}
             ORDER BY i.due, i.id""",
        [today.isoformat(), *args],
    ).fetchall()


def _item(conn: sqlite3.Connection, item_id: str, shown: str) -> sqlite3.Row:
    """The item with this id; an id that is not a number, or not an item, is an input error."""
    try:
        number = int(item_id)
    except ValueError:  # also a number of more digits than Python converts
        raise InputError(
            [
                Problem(
                    shown,
                    0,
                    0,
                    f"'{item_id}' is not an item id; expected a number from `drillbook register items`",
                )
            ]
        ) from None
    row = (
        conn.execute(
            "SELECT id, status, closed_on, plan_change, plan_version, ticket FROM improvement_items"
            " WHERE id = ?",
            (number,),
        ).fetchone()
        if _SQLITE_MIN <= number <= _SQLITE_MAX  # beyond, SQLite cannot bind it: no such item
        else None
    )
    if row is None:
        raise InputError(
            [
                Problem(
                    shown,
                    0,
                    0,
                    f"no improvement item {number}; `drillbook register items` lists them",
                )
            ]
        )
    return row


def mark_plan_change(conn: sqlite3.Connection, item_id: str, *, shown: str) -> str:
    """Mark an item as a change to the response plan (its lesson is fixed in the plan)."""
    with transaction(conn):
        row = _item(conn, item_id, shown)
        conn.execute("UPDATE improvement_items SET plan_change = 1 WHERE id = ?", (row["id"],))
    return (
        f"Item {row['id']} is a plan change; close it with --plan-version once the plan carries it."
    )


def close_item(
    conn: sqlite3.Connection,
    item_id: str,
    *,
    today: date,
    shown: str,
    plan_version: str | None = None,
    ticket: str | None = None,
) -> str:
    """Close an item; returns what happened, in words. With ``plan_version``, the item is a
    plan change and that version of the plan carries it; with ``ticket``, the item was worked
    in a ticketing system and that is its reference (kept, and shown in exports)."""
    with transaction(conn):
        row = _item(conn, item_id, shown)
        number = row["id"]
        if ticket:
            conn.execute("UPDATE improvement_items SET ticket = ? WHERE id = ?", (ticket, number))
        by = f" (ticket {ticket})" if ticket else ""
        if row["status"] == "closed":
            if plan_version and row["plan_version"] != plan_version:
                conn.execute(
                    "UPDATE improvement_items SET plan_change = 1, plan_version = ? WHERE id = ?",
                    (plan_version, number),
                )
                return (
                    f"Item {number} was already closed on {row['closed_on']}; "
                    f"now carried by plan version {plan_version}{by}."
                )
            return f"Item {number} was already closed on {row['closed_on']}{by}."
        if plan_version:
            conn.execute(
                """UPDATE improvement_items SET status = 'closed', closed_on = ?,
                       plan_change = 1, plan_version = ? WHERE id = ?""",
                (today.isoformat(), plan_version, number),
            )
            return f"Item {number} closed on {today.isoformat()}{by}: plan version {plan_version} carries it."
        conn.execute(
            "UPDATE improvement_items SET status = 'closed', closed_on = ? WHERE id = ?",
            (today.isoformat(), number),
        )
    suffix = " (a plan change: name the version with --plan-version)" if row["plan_change"] else ""
    return f"Item {number} closed on {today.isoformat()}{by}.{suffix}"
