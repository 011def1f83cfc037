"""Headless runs: play a transcript of decisions as fast as possible."""

from __future__ import annotations

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
from drillbook.simulator.refusals import ActionRejected
from drillbook.simulator.session import RunSettings, Session


def run_transcript(
    loaded: LoadedScenario,
    transcript: Transcript,
    settings: RunSettings | None = None,
    journal: Journal | None = None,
) -> Session:
    """Play every decision of ``transcript`` at its time, then run to the end of play."""
    check_against(transcript, loaded.scenario)
    settings = settings or RunSettings(seed=transcript.seed or 0, mode="headless")
    session = Session(loaded, settings, journal=journal)
    session.start()
    apply = session.apply
    for d, command in _commands(transcript, loaded.scenario):
        try:
            apply(command, at=d.at)
        except ActionRejected as exc:
            if isinstance(d, EvaluatorRecord):  # as the facilitator console records it
                raise
            if journal:
                journal.abandon()  # kept as far as it got; a --force replacement is dropped
            where = f"{fmt_offset(d.at)} {d.role} {d.action.action}"
            if transcript.document is not None and d.entry >= 0:
                raise InputError(
                    [transcript.document.positions.problem(("actions", d.entry), f"{where}: {exc}")]
                ) from None
            raise InputError(
                [Problem(transcript.file or "transcript", 0, 0, f"{where}: {exc}")]
            ) from None
    session.end()
    return session


def _commands(
    transcript: Transcript, scenario: Scenario
) -> list[tuple[Decision | EvaluatorRecord, Command]]:
    """The transcript's entries as the engine's commands, in time order (at equal times, the
    file's order), however many times it is played (the readiness simulation plays one
    thousands of times): each decision checked (``check_against`` passed, so the engine
    checks only what depends on the run) and its parameters dumped once."""
    known = derived_for(transcript, "simulator.headless", scenario)
    if known is None:
        steps = sorted(
            [*transcript.decisions, *transcript.records], key=lambda step: (step.at, step.entry)
        )
        known = remember_for(
            transcript,
            "simulator.headless",
            scenario,
            [
                (
                    d,
                    Record(d.type, dict(d.fields))
                    if isinstance(d, EvaluatorRecord)
                    else Decide(d.role, d.action, checked=True, params=params_of(d.action)),
                )
                for d in steps
            ],
        )
    return known
