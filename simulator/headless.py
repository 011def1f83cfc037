"""Headless runs: play a transcript of decisions as fast as possible."""

from __future__ import annotations

from typing import NoReturn

from drillbook.formats.offsets import fmt_offset
from drillbook.formats.yamlsource import InputError, Problem
from drillbook.scenarios.actions import params_of
from drillbook.scenarios.loader import LoadedScenario
from drillbook.scenarios.model import Scenario
from drillbook.scenarios.transcript import (
    Decision,
    EvaluatorRecord,
    Transcript,
    check_against,
    derived_for,
    remember_for,
)
from drillbook.simulator.commands import Command, Decide, Record
from drillbook.simulator.journal import Journal
from drillbook.simulator.playthrough import Step, StepRefused, step_of
from drillbook.simulator.refusals import ActionRejected
from drillbook.simulator.session import RunSettings, Session


def run_transcript(
    loaded: LoadedScenario,
    transcript: Transcript,
    settings: RunSettings | None = None,
    journal: Journal | None = None,
) -> Session:
    """Play every decision of ``transcript`` at its time, then run to the end of play."""
    known = derived_for(transcript, "simulator.headless", loaded.scenario)
    if known is None:  # else these very entries passed ``check_against`` this scenario
        check_against(transcript, loaded.scenario)
    settings = settings or RunSettings(seed=transcript.seed or 0, mode="headless")
    session = Session(loaded, settings, journal=journal)
    session.start()
    entries, steps = known or _commands(transcript, loaded.scenario)
    apply = session.apply
    # nobody can have subscribed to a session made here: its decisions (most entries) go to
    # the engine a stretch at a time (``Engine.play``), not one by one through the door
    play = session.unwatched_play()
    i, n = 0, len(steps)
    while i < n:
        if steps[i] is not None:
            try:
                i = play(steps, i)
            except StepRefused as refused:
                d = entries[refused.step][0]
                assert isinstance(d, Decision)  # a step is a decision's (``_commands``)
                _refused(transcript, d, refused.refusal, journal)
            continue
        d, command = entries[i]
        try:
            apply(command, at=d.at)
        except ActionRejected as exc:
            if isinstance(d, EvaluatorRecord):  # as the facilitator console records it
                raise
            _refused(transcript, d, exc, journal)
        i += 1
    session.end()
    return session


def _refused(
    transcript: Transcript,
    d: Decision,
    exc: ActionRejected,
    journal: Journal | None,
) -> NoReturn:
    """Stop the run at a refused decision: the problem, placed in the transcript's file."""
    if journal:
        journal.abandon()  # kept as far as it got; a --force replacement is dropped
    where = f"{fmt_offset(d.at)} {d.role} {d.action.action}"
    if transcript.document is not None and d.entry >= 0:
        raise InputError(
            [transcript.document.positions.problem(("actions", d.entry), f"{where}: {exc}")]
        ) from None
    raise InputError([Problem(transcript.file or "transcript", 0, 0, f"{where}: {exc}")]) from None


def _commands(
    transcript: Transcript, scenario: Scenario
) -> tuple[list[tuple[Decision | EvaluatorRecord, Command]], tuple[Step | None, ...]]:
    """The transcript's entries as the engine's commands, in time order (at equal times, the
    file's order), worked out once and remembered for however many times it is played (the
    readiness simulation plays one thousands of times; ``run_transcript`` asks the memo
    first): each decision checked (``check_against`` passed, so the engine checks only what
    depends on the run) and its parameters dumped once. Beside them, each entry as
    ``Engine.play`` takes it: a decision's step, or None (a record, applied)."""
    entries = sorted(
        [*transcript.decisions, *transcript.records], key=lambda step: (step.at, step.entry)
    )
    commands: list[tuple[Decision | EvaluatorRecord, Command]] = [
        (
            d,
            Record(d.type, dict(d.fields))
            if isinstance(d, EvaluatorRecord)
            else Decide(d.role, d.action, checked=True, params=params_of(d.action)),
        )
        for d in entries
    ]
    steps = tuple(
        step_of(d.at, c.role, c.action, c.params) if isinstance(c, Decide) else None
        for d, c in commands
    )
    # remembered only here, once ``check_against`` has passed (``run_transcript``)
    return remember_for(transcript, "simulator.headless", scenario, (commands, steps))  # type: ignore[no-any-return]
