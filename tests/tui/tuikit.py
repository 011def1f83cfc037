"""Helpers for the TUI's tests: a fake wall clock, a fake scorer, and ways to drive the app.

Tests move the story by moving the fake wall and ticking the app's clock — the same path the
timer takes — so nothing sleeps. The module has its own name (not ``conftest``) so test files
can import it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from drillbook.formats.offsets import fmt_offset
from drillbook.scenarios import library
from drillbook.scenarios.loader import LoadedScenario, load
from drillbook.scoring.scorecard import CapabilityResult, DecisionVerdict, Scorecard, Verdict
from drillbook.simulator.journal import Journal
from drillbook.simulator.session import RunSettings
from drillbook.tui.app import DrillbookApp
from drillbook.tui.factory import make_app
from drillbook.tui.format import capability_ids
from textual.content import Content
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import DataTable, OptionList, Static

# What the fake scorer's verdicts read as on the facilitator's console: a player must never see it.
LATE_BY = 777.0
SENTINEL = "12 h 57 min late"


class FakeWall:
    """Seconds of a wall clock the test moves by hand."""

    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


def flagship() -> LoadedScenario:
    return load(library.resolve(library.FLAGSHIP))


class FakeScorer:
    """A hand-built Scorecard for whatever decisions the journal holds: odd seq late, even met."""

    def __init__(self, loaded: LoadedScenario) -> None:
        self.scenario = loaded.scenario
        self.calls = 0

    def __call__(self, events: list[dict[str, Any]]) -> Scorecard:
        self.calls += 1
        decisions = []
        for e in events:
            if e["type"] != "action_taken":
                continue
            late = e["seq"] % 2 == 1
            decisions.append(
                DecisionVerdict(
                    seq=e["seq"],
                    at=fmt_offset(e["sim"]),
                    sim=e["sim"],
                    role=e["role"],
                    action=e["action"],
                    params=e["params"],
                    verdicts=[
                        Verdict(
                            rule="fake-rule",
                            status="late" if late else "met",
                            credit=0.5 if late else 1.0,
                            late_by=LATE_BY if late else -3.0,
                            note="fake",
                        )
                    ],
                )
            )
        capabilities = {
            c: CapabilityResult(id=c, title=c.title(), score=75, rating="S", computed_rating="S")
            for c in capability_ids(self.scenario)
        }
        return Scorecard(
            scenario=self.scenario.id,
            title=self.scenario.title,
            plan="fake",
            severity="critical",
            readiness=75,
            rating="S",
            capabilities=capabilities,
            rules=[],
            decisions=decisions,
            impact={},
        )


def new_app(
    loaded: LoadedScenario,
    journal_path: Path | None,
    wall: FakeWall,
    *,
    settings: RunSettings | None = None,
    scorer: Any = None,
    on_finish: Any = None,
    speed: float | None = 60,
    capabilities: dict[str, str] | None = None,
) -> DrillbookApp:
    journal = Journal(journal_path) if journal_path else None
    return make_app(
        loaded,
        journal=journal,
        settings=settings or RunSettings(seed=1),
        scorer=scorer,
        on_finish=on_finish,
        wall=wall,
        speed=speed,
        capabilities=capabilities,
    )


async def begin(app: DrillbookApp, pilot: Pilot[Any]) -> None:
    """Leave the setup screen as it is filled in and sit down at the facilitator's seat."""
    await pilot.pause()
    app.screen.action_begin()  # type: ignore[attr-defined]
    await pilot.pause()


def start_clock(app: DrillbookApp) -> None:
    facilitator = app.seat_console("facilitator")
    if not app.session.snapshot().running:  # type: ignore[union-attr]
        facilitator.action_toggle_clock()


def run_clock_to(app: DrillbookApp, wall: FakeWall, minutes: float) -> None:
    """Move the wall so the running clock reads ``minutes``, then tick as the timer would."""
    session = app.session
    assert session is not None
    start_clock(app)
    snap = session.snapshot()
    wall.t += (minutes - snap.now) * 60 / snap.speed
    app.tick_clock()
    assert session.snapshot().reached == minutes


def _plain(prompt: Any) -> str:
    if isinstance(prompt, str):
        return Content.from_markup(prompt).plain
    return str(getattr(prompt, "plain", prompt))


def texts(screen: Screen[Any]) -> str:
    """Every piece of text a screen holds (shown or scrolled away), one line per piece."""
    out: list[str] = []
    for widget in screen.query("*"):
        if isinstance(widget, DataTable):
            for row in range(widget.row_count):
                out.append(" | ".join(str(c) for c in widget.get_row_at(row)))
        elif isinstance(widget, OptionList):
            out += [
                _plain(widget.get_option_at_index(i).prompt) for i in range(widget.option_count)
            ]
        elif isinstance(widget, Static):
            out.append(str(widget.render()))
    return "\n".join(out)
