"""The app factory: the one way the ``play`` command and the tests build the app.

Everything the app must not decide for itself comes in here: the scenario, where the journal
goes, the wall clock (a fake one in tests, so nothing sleeps), the scorer and the end-of-play
hook (both optional, so the app works before — and without — the scoring and report packages).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drillbook.scenarios.loader import LoadedScenario
from drillbook.simulator.protocol import SessionLike
from drillbook.simulator.settings import RunSettings
from drillbook.tui.app import DrillbookApp, FinishHook, Scorer

if TYPE_CHECKING:  # a Session (and the engine behind it) is built when play begins
    from drillbook.simulator.journal import Journal
    from drillbook.simulator.session import Session


def make_app(
    loaded: LoadedScenario | None = None,
    *,
    session: Session | SessionLike | None = None,
    journal: Journal | None = None,
    settings: RunSettings | None = None,
    scorer: Scorer | None = None,
    on_finish: FinishHook | None = None,
    wall: Callable[[], float] = time.monotonic,
    speed: float | None = None,
    clients: Sequence[Path] = (),
    capabilities: Mapping[str, str] | Callable[[], Mapping[str, str]] | None = None,
    seats: Sequence[str] | None = None,
    seat_codes: Any = None,
) -> DrillbookApp:
    """A new run of ``loaded`` (set up on screen first), or a resumed ``session``.

    ``settings`` pre-fill the setup screen (roster, client, practice, seed, plan); ``clients``
    are the client profiles offered there; ``speed`` is the clock speed play starts at;
    ``capabilities`` (id → title) are what evaluators rate — the plan's, so every rating is
    one the scorer knows.
    """
    if session is not None:
        return DrillbookApp(
            session.loaded,  # type: ignore[union-attr]  (a remote session has one too)
            session=session,
            scorer=scorer,
            on_finish=on_finish,
            speed=speed,
            capabilities=capabilities,
            seats=seats,
            seat_codes=seat_codes,
        )
    if loaded is None:
        raise ValueError("make_app needs a scenario to set up, or a session to resume")

    def open_session(chosen: RunSettings) -> Session:
        from drillbook.simulator.session import Session

        return Session(loaded, chosen, journal=journal, wall=wall)

    return DrillbookApp(
        loaded,
        open_session=open_session,
        settings=settings or RunSettings(),
        journal_path=journal.path if journal else None,
        scorer=scorer,
        on_finish=on_finish,
        speed=speed,
        clients=clients,
        capabilities=capabilities,
    )
