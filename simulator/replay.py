"""Replay and resume: rebuild a run from its journal.

The journal holds every input (decisions, facilitator changes, clock changes, records)
with its sim time. Feeding those inputs, in order, into a fresh engine with the same
scenario and seed must reproduce the journal exactly (wall-clock fields aside): that is
what ``drillbook replay`` checks, and how ``--resume`` picks a run up after a crash.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from drillbook.formats.yamlsource import InputError, Problem
from drillbook.scenarios import library
from drillbook.scenarios.loader import LoadedScenario, load
from drillbook.scenarios.model import check_id
from drillbook.simulator.commands import command_of, is_story_change
from drillbook.simulator.engine import Engine
from drillbook.simulator.events import Event, Kind
from drillbook.simulator.journal import (
    JOURNAL_FIELDS,
    Journal,
    JournalFile,
    read_journal,
    without_wall,
)
from drillbook.simulator.session import RunSettings, Session
from pydantic import ValidationError

_META = ("seq", "type", "sim", *JOURNAL_FIELDS)
ACCEPT_FLAG = "--accept-changed-scenario"


def settings_of(header: Event) -> RunSettings:
    return RunSettings(
        seed=int(header.get("seed") or 0),
        plan=header.get("plan"),
        client=header.get("client"),
        roster=dict(header.get("roster") or {}),
        practice=bool(header.get("practice")),
        mode=header.get("mode", "play"),
    )


def scenario_of(jf: JournalFile, *, accept_changed: bool = False) -> LoadedScenario:
    """The scenario a journal was played on: its recorded file, else the bundled id.

    The header's path is trusted only as far as it loads as a scenario: a received journal
    naming ``/etc/passwd`` gets one line about the journal, never the other file's contents.
    A scenario whose bytes differ from the digest recorded at the start of the run is
    refused (the story would not be the one played) unless ``accept_changed``.
    """
    header = jf.started
    recorded = header.get("scenario_file")
    path = Path(recorded) if isinstance(recorded, str) and recorded else None
    if path is None or not path.is_file():
        path = _bundled(jf, header.get("scenario"))
    try:
        loaded = load(path)
    except InputError:
        raise InputError(
            [
                Problem(
                    str(jf.path),
                    1,
                    1,
                    f"the scenario file this journal names ({path}) does not load as a "
                    "drillbook scenario; expected the scenario the run was played on",
                )
            ]
        ) from None
    if loaded.scenario.id != header.get("scenario"):
        raise InputError(
            [
                Problem(
                    str(jf.path),
                    1,
                    1,
                    f"journal is for scenario '{header.get('scenario')}', but {path} is '{loaded.scenario.id}'",
                )
            ]
        )
    if scenario_changed(jf, loaded) and not accept_changed:
        recorded_digest = str(header.get("scenario_sha256"))
        raise InputError(
            [
                Problem(
                    str(jf.path),
                    1,
                    1,
                    f"scenario {path} changed since this run was played (SHA-256 "
                    f"{recorded_digest[:12]}… then, {loaded.sha256[:12]}… now); expected the "
                    f"file as played, or {ACCEPT_FLAG} to use it as it is now",
                )
            ]
        )
    return loaded


def scenario_changed(jf: JournalFile, loaded: LoadedScenario) -> bool:
    """Whether ``loaded`` differs from the scenario as the run recorded it (a journal with
    no recorded digest cannot tell, and is taken as it comes)."""
    recorded = jf.started.get("scenario_sha256")
    return recorded is not None and recorded != loaded.sha256


def _bundled(jf: JournalFile, scenario_id: Any) -> Path:
    """The bundled scenario of that id; an id that is not one (a path, say) is not looked up."""
    try:
        if not isinstance(scenario_id, str):
            raise ValueError(scenario_id)
        check_id(scenario_id)
        return library.resolve(scenario_id)
    except (InputError, ValueError):
        raise InputError(
            [
                Problem(
                    str(jf.path),
                    1,
                    1,
                    f"scenario '{scenario_id}' of this journal cannot be found",
                )
            ]
        ) from None


def apply_change(engine: Engine, event: Event) -> bool:
    """Apply a journaled story change (a decision or a facilitator change) to an engine of
    the scorer's at its sim time, through the same command dispatch as a live session.

    Returns False for any other event (a record such as a clock change), which changes
    nothing in the story. The scorer re-runs a run's story changes this way to read its
    meters; a session applies every input line (see :func:`rebuild`).
    """
    if not is_story_change(event):
        return False
    command_of(event).run(engine, _NO_CLOCK, float(event["sim"]))
    return True


class _NoClock:
    """The scorer's re-runs have no clock: a story change never asks for one."""


_NO_CLOCK: Any = _NoClock()


def rebuild(
    jf: JournalFile,
    loaded: LoadedScenario | None = None,
    journal: Journal | None = None,
    *,
    wall: Callable[[], float] = time.monotonic,
) -> Session:
    """A session with every input of ``jf`` re-fed (and its end, if it ended)."""
    loaded = loaded or scenario_of(jf)
    try:
        session = Session(loaded, settings_of(jf.started), wall=wall)
    except (TypeError, ValueError) as exc:
        raise InputError([_unreplayable(jf, 0, exc)]) from None
    session.start({k: v for k, v in jf.started.items() if k not in _META})
    for i, event in enumerate(jf.events[1:], start=1):
        if event["type"] == Kind.INJECT_DELIVERED:
            continue  # the engine's own: applying the inputs delivers it again
        try:  # a hand-edited journal must end in one placed line, not a traceback
            session.apply(command_of(event), at=float(event["sim"]))
        except (KeyError, TypeError, ValueError) as exc:  # ActionRejected is a ValueError
            raise InputError([_unreplayable(jf, i, exc)]) from None
    if not jf.ended:
        # deliveries journaled after the last input (the run went on before it stopped)
        session.run_to(float(jf.events[-1]["sim"]))
    return session


def _unreplayable(jf: JournalFile, i: int, exc: Exception) -> Problem:
    event = jf.events[i]
    if isinstance(exc, KeyError):
        why = f"it has no '{exc.args[0]}'"
    elif isinstance(exc, ValidationError):
        why = exc.errors()[0]["msg"]
    else:
        why = str(exc)
    line = jf.lines[i] if i < len(jf.lines) else i + 1
    return Problem(
        str(jf.path),
        line,
        1,
        f"event seq {event.get('seq')} ({event.get('type')}) cannot be replayed: {why}; "
        "expected the event as drillbook journaled it",
    )


@dataclass(frozen=True)
class ReplayResult:
    """Whether a journal replays to the same events, how many, and the first difference if not."""

    ok: bool
    events: int
    difference: str = ""
    scenario_changed: bool = False


def replay(path: str | Path, *, accept_changed_scenario: bool = False) -> ReplayResult:
    """Rebuild a run from its journal and check that it reproduces the same events."""
    jf = read_journal(path)
    loaded = scenario_of(jf, accept_changed=accept_changed_scenario)
    changed = scenario_changed(jf, loaded)
    session = rebuild(jf, loaded)
    want, got = without_wall(jf.events), without_wall(session.history())
    if not jf.ended:  # a run cut short: the instant it stopped in may hold more than it wrote
        got = got[: len(want)]
    for i, (a, b) in enumerate(zip(want, got, strict=False)):
        if a != b:
            line = jf.lines[i] if i < len(jf.lines) else i + 1
            return ReplayResult(False, len(want), _diff(line, a, b), changed)
    if len(want) != len(got):
        extra = got[len(want)] if len(got) > len(want) else want[len(got)]
        return ReplayResult(
            False,
            len(want),
            f"event counts differ ({len(want)} journaled, {len(got)} replayed); first unmatched: {_short(extra)}",
            changed,
        )
    return ReplayResult(True, len(want), "", changed)


def _short(e: dict[str, Any]) -> str:
    return f"seq {e.get('seq')} {e.get('type')} at {e.get('sim')} ({e.get('inject') or e.get('action') or e.get('verb') or ''})"


def _diff(line: int, a: Event, b: Event) -> str:
    keys = [k for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)]
    return f"line {line} differs in {', '.join(keys)}: journaled {_short(a)}, replayed {_short(b)}"


def resume(
    path: str | Path,
    *,
    wall: Callable[[], float] = time.monotonic,
    accept_changed_scenario: bool = False,
) -> Session:
    """Continue a run from its journal: rebuild it, then append new events to the same file.

    The journal is locked before it is read, so a second resume of the same run is refused
    instead of appending duplicate sequence numbers; nothing is written until the rebuilt
    run's first new event. ``wall`` is the wall clock of the resumed session's clock (tests
    pass a fake one).
    """
    journal = Journal(path, append=True)
    try:
        jf = read_journal(path)
        if jf.ended:
            raise InputError(
                [Problem(str(path), 0, 0, "this run has ended; there is nothing to resume")]
            )
        loaded = scenario_of(jf, accept_changed=accept_changed_scenario)
        session = rebuild(jf, loaded, wall=wall)
    except BaseException:
        journal.close()
        raise
    session.journal = journal
    for event in session.history()[len(jf.events) :]:  # the rest of the instant it stopped in
        journal.write(event)
    session.settle()
    return session
