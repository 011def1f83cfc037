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
from drillbook.scenarios.actions import parse_action
from drillbook.scenarios.loader import LoadedScenario, load
from drillbook.scenarios.model import check_id
from drillbook.simulator.engine import ENGINE_TYPES, Engine, Event
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
    """Re-feed a journaled decision or facilitator change into an engine at its sim time.

    Returns False for any other event (a record such as a clock change), which changes
    nothing in the story. Shared by replay and by the scorer, which replays a run still in
    progress to read its meters.
    """
    kind = event["type"]
    sim = float(event["sim"])
    if kind == "action_taken":
        action = parse_action({"action": event["action"], **event.get("params", {})})
        engine.submit(event["role"], action, at=sim)
        return True
    if kind != "facilitator":
        return False
    engine.run_until(sim)
    verb = event["verb"]
    if verb == "adhoc":
        engine.send_adhoc(
            event["to"], event["channel"], event["title"], event["body"], at=event["due"]
        )
    elif verb == "retime":
        engine.retime(event["inject"], event["due"])
    elif verb == "cancel":
        engine.cancel(event["inject"])
    else:
        raise InputError(
            [Problem("journal", 0, 0, f"unknown facilitator verb '{verb}' at seq {event['seq']}")]
        )
    return True


def apply_input(session: Session, event: Event) -> None:
    """Re-feed one journaled input into a session at its sim time."""
    if apply_change(session.engine, event):
        return
    session.engine.run_until(float(event["sim"]))
    _restore_clock(session, event)
    session.engine.record(event["type"], **{k: v for k, v in event.items() if k not in _META})


def _restore_clock(session: Session, event: Event) -> None:
    """Keep the clock's state in step with replayed clock events (for a resumed run)."""
    if event["type"] != "clock":
        return
    clock = session.clock
    verb = event.get("verb")
    if verb in ("start", "resume", "speed") and "speed" in event:
        clock.speed = event["speed"]
    if verb in ("start", "resume"):
        clock.started = True


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
    session.engine.start(**{k: v for k, v in jf.started.items() if k not in _META})
    for i, event in enumerate(jf.events[1:], start=1):
        try:  # a hand-edited journal must end in one placed line, not a traceback
            if event["type"] == "run_ended":
                session.engine.finish(float(event["sim"]), event.get("reason", "end of play"))
            elif event["type"] not in ENGINE_TYPES:
                apply_input(session, event)
        except (KeyError, TypeError, ValueError) as exc:  # ActionRejected is a ValueError
            raise InputError([_unreplayable(jf, i, exc)]) from None
    if not jf.ended:
        # deliveries journaled after the last input (the run went on before it stopped)
        session.engine.run_until(float(jf.events[-1]["sim"]))
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
    want, got = without_wall(jf.events), without_wall(session.events)
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
    for event in session.events[len(jf.events) :]:  # the rest of the instant it stopped in
        journal.write(event)
    session.clock._reanchor(session.engine.now)
    return session
