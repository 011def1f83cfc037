"""The end of play, in one step: write the report beside the journal, add the exercise to the
register, and say where both went.

The TUI calls :func:`finish_exercise` when a facilitator ends play (issue 6: "ending play
writes the report and adds the exercise to the register in the same step"). Both outputs
come from one scoring of the journal, so the report and the register cannot disagree.
"""

from __future__ import annotations

from pathlib import Path

from drillbook.reports.aar import build_aar
from drillbook.reports.exercise import Exercise, load_exercise
from drillbook.reports.records import ImprovementItem
from drillbook.reports.register import add_exercise, connect, resolve_db
from drillbook.reports.report import default_output, render_aar


def register_exercise(
    ex: Exercise, db: str | Path | None = None, items: list[ImprovementItem] | None = None
) -> str:
    """Add ``ex`` (and its Improvement Plan) to the register; the line that says what happened."""
    path = resolve_db(db)
    conn = connect(path)
    try:
        added = add_exercise(conn, ex, build_aar(ex).improvement_plan if items is None else items)
    finally:
        conn.close()
    if added.created:
        return (
            f"Register: exercise #{added.id} added to {path} "
            f"with {added.items} improvement item{'s' if added.items != 1 else ''}."
        )
    same = f"run id {ex.run_id[:12]}…" if ex.run_id else f"SHA-256 {ex.sha256[:12]}…"
    return (
        f"Register: {path} already holds this journal as exercise #{added.id} "
        f"(same {same}); nothing added."
    )


def finish_exercise(
    journal_path: str | Path,
    *,
    db: str | Path | None = None,
    out_dir: str | Path | None = None,
    accept_changed_scenario: bool = False,
) -> list[str]:
    """Write the HTML report next to the journal (or in ``out_dir``) and register the exercise.

    Returns the lines to show the facilitator: ``Report: …`` and ``Register: …``.
    """
    ex = load_exercise(journal_path, accept_changed_scenario=accept_changed_scenario)
    aar = build_aar(ex)
    target = default_output(ex.journal.path, "html")
    if out_dir is not None:
        target = Path(out_dir) / target.name
    from drillbook.reports.output import write_output

    write_output(target, render_aar(aar, "html"), inputs=[ex.journal.path, *ex.inputs])
    return [f"Report: {target}", register_exercise(ex, db, aar.improvement_plan)]
