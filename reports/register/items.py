"""Improvement items: the corrective actions of every exercise, tracked to completion.

"Post-incident action items are easy to deprioritize when the urgency fades. Assign owners,
set deadlines, and track completion." An item is open until someone closes it; it is overdue
when it is open past its due date.
"""

from __future__ import annotations

import sqlite3
from datetime import date

from scenarios.yamlsource import InputError, Problem

from .store import transaction


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


def close_item(conn: sqlite3.Connection, item_id: str, *, today: date, shown: str) -> str:
    """Close an item; returns what happened, in words. Unknown ids are an input error."""
    try:
        number = int(item_id)
    except ValueError:
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
    with transaction(conn):
        row = conn.execute(
            "SELECT id, status, closed_on FROM improvement_items WHERE id = ?", (number,)
        ).fetchone()
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
        if row["status"] == "closed":
            return f"Item {number} was already closed on {row['closed_on']}."
        conn.execute(
            "UPDATE improvement_items SET status = 'closed', closed_on = ? WHERE id = ?",
            (today.isoformat(), number),
        )
    return f"Item {number} closed on {today.isoformat()}."
