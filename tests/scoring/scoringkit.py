"""Helpers for the scorer's tests: the flagship, its transcripts, and variants built in code.

Variants are built on ``Transcript`` objects and played with ``run_transcript`` (no files), so
a single-fault team is the model team with exactly one thing changed, visibly, in the test.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import cache
from typing import Any

from drillbook.scenarios import library
from drillbook.scenarios.actions import parse_action
from drillbook.scenarios.loader import LoadedScenario, load
from drillbook.scenarios.transcript import Decision, Transcript, load_transcript
from drillbook.scoring import Scorecard, default_plan, score
from drillbook.scoring.client import ClientProfile
from drillbook.scoring.files import scenario_client
from drillbook.scoring.plan import ResponsePlan
from drillbook.simulator.headless import run_transcript

Event = dict[str, Any]


@cache
def flagship() -> LoadedScenario:
    return load(library.resolve(library.FLAGSHIP))


@cache
def plan() -> ResponsePlan:
    return default_plan()


@cache
def skylark() -> ClientProfile:
    loaded = flagship()
    profile = scenario_client(loaded.path, loaded.scenario, plan())
    assert profile is not None
    return profile


@cache
def model() -> Transcript:
    return load_transcript(library.reference_transcript(library.FLAGSHIP, "model"))


@cache
def article() -> Transcript:
    return load_transcript(library.reference_transcript(library.FLAGSHIP, "article"))


def play(t: Transcript) -> list[Event]:
    """The journal's events of a headless run of ``t`` on the flagship."""
    return run_transcript(flagship(), t).history()


def card_of(
    events: list[Event], *, client: bool = True, with_plan: ResponsePlan | None = None
) -> Scorecard:
    """The flagship's scorecard under the default plan and (unless told) Skylark's profile."""
    return score(flagship().scenario, with_plan or plan(), events, skylark() if client else None)


def edit(
    t: Transcript,
    keep: Callable[[Decision], bool] = lambda d: True,
    change: Callable[[Decision], Decision] = lambda d: d,
) -> Transcript:
    """``t`` with decisions dropped (``keep`` false) or changed, re-sorted by time (stable)."""
    decisions = [change(d) for d in t.decisions if keep(d)]
    return replace(t, decisions=sorted(decisions, key=lambda d: d.at), document=None, file="")


def is_(d: Decision, action: str, **params: Any) -> bool:
    """Whether ``d`` is ``action`` with (at least) these parameters."""
    if d.action.action != action:
        return False
    data = d.action.model_dump(mode="json", by_alias=True)
    return all(data.get(k) == v for k, v in params.items())


def with_params(d: Decision, **params: Any) -> Decision:
    data = d.action.model_dump(mode="json", by_alias=True, exclude_none=True)
    return d.model_copy(update={"action": parse_action({**data, **params})})


def credits(card: Scorecard) -> dict[str, float]:
    return {r.id: r.credit for r in card.rules}


def changed(a: Scorecard, b: Scorecard) -> set[str]:
    """Rule ids whose credit or status differs between two scorecards.

    A judged question that reached only one of the two teams (a call that comes only once the
    client is told) has a result in one scorecard alone; it is a consequence of the fault, not
    a rule it broke, and is left out."""
    ra, rb = {r.id: r for r in a.rules}, {r.id: r for r in b.rules}
    return {
        k
        for k in ra.keys() & rb.keys()
        if (ra[k].credit, ra[k].status) != (rb[k].credit, rb[k].status)
    }


def position_of(text: str, needle: str, nth: int = 1) -> tuple[int, int]:
    """1-based (line, col) of the ``nth`` occurrence of ``needle`` in ``text``."""
    at = -1
    for _ in range(nth):
        at = text.index(needle, at + 1)
    return text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1
