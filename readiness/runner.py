"""One seeded run, and a batch of them: the unit of work an executor hands to a worker.

A run is a pure function of (scenario, plan, client, team model, master seed, run index): its
seed is derived from the master seed and its index alone, so the figures do not depend on how
many workers there are or which executor ran it. What every run shares — the loaded
scenario, plan and client, the playbook, the wake-up points and the plan's timeline (the
counterfactual) — is built once per worker and kept (``shared``).
"""

from __future__ import annotations

import gc
import hashlib
import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import Any

from drillbook.readiness.autopilot import Autopilot
from drillbook.readiness.people import Roster
from drillbook.readiness.playbook import Playbook
from drillbook.readiness.team import TeamModel, check_against
from drillbook.scenarios.conditions import time_points
from drillbook.scenarios.loader import LoadedScenario
from drillbook.scoring.client import ClientProfile
from drillbook.scoring.plan import ResponsePlan
from drillbook.simulator.events import Kind
from drillbook.simulator.session import RunSettings, Session

# The moments a simulation reports, each the first decision of its kind that counts.
MILESTONES = ("acknowledge", "contain", "notify_client", "root_cause")
_YOUNG_DURING_BATCH = 10_000  # the collector's first threshold while a batch plays (700 by default)


@dataclass(frozen=True)
class Spec:
    """What a simulation is: picklable, small, the same for every run of it."""

    scenario: str  # a scenario file
    team: TeamModel
    plan: str | None = None  # a plan file (None: the bundled plan)
    client: str | None = None  # a client profile file (None: the scenario's)
    seed: int = 0

    @property
    def key(self) -> tuple[str, str | None, str | None, str]:
        """What the shared inputs depend on (the team by content: a worker gets a copy)."""
        memo = self.__dict__.get("_key")
        if memo is None:
            memo = (self.scenario, self.plan, self.client, self.team.model_dump_json())
            object.__setattr__(self, "_key", memo)
        return memo


@dataclass(frozen=True)
class RunResult:
    """One run, as the statistics need it (minutes since the story began; None: never)."""

    index: int
    times: dict[str, float | None]
    meters: dict[str, float]
    readiness: float
    rating: str
    rules: dict[str, str]  # rule id → status
    capabilities: dict[str, str]  # capability → rating
    acted: dict[str, int]  # role → decisions taken


@dataclass
class Shared:
    """What the runs of one simulation share in a process: the inputs, the playbook, the
    roster, the wake-up points and the plan's timeline."""

    loaded: LoadedScenario
    plan: ResponsePlan
    client: ClientProfile | None
    playbook: Playbook
    roster: Roster
    wakes: list[float]
    counterfactual: dict[str, float]
    contain_rule: str | None = None  # the plan's deadline on containing (see ``_contained``)


def run_seed(seed: int, index: int) -> int:
    """The seed of run ``index``: the same whatever worker, process or machine runs it."""
    digest = hashlib.sha256(f"drillbook-sim:{seed}:{index}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def _wake_points(loaded: LoadedScenario) -> list[float]:
    s = loaded.scenario
    points = {float(i.at) for i in s.injects if i.at is not None}
    for i in s.injects:
        if i.when is not None:
            points |= {float(t) + float(i.delay) for t in time_points(i.when)}
    return sorted(p for p in points if p <= float(s.ends))


@cache
def _inputs(scenario: str, plan: str | None, client: str | None) -> tuple[Any, Any, Any]:
    from drillbook.scenarios import load
    from drillbook.scoring.files import plan_from, run_client

    loaded = load(scenario)
    plan_model = plan_from(plan)
    return loaded, plan_model, run_client(client, loaded.path, loaded.scenario, plan_model)


_SHARED: dict[tuple[str, str | None, str | None, str], Shared] = {}


def shared(spec: Spec) -> Shared:
    """Everything the runs of ``spec`` share, built on first use in this process."""
    found = _SHARED.get(spec.key)
    if found is not None:
        return found
    loaded, plan, client = _inputs(spec.scenario, spec.plan, spec.client)
    s = loaded.scenario
    check_against(spec.team, list(s.role_ids), [src.id for src in s.sources])
    out = Shared(
        loaded,
        plan,
        client,
        Playbook(s, plan, client, spec.team),
        Roster(spec.team, s.start_datetime),
        _wake_points(loaded),
        {},
    )
    out.counterfactual = _plan_timeline(out)
    out.contain_rule = next(
        (
            r.id
            for r in plan.rules
            if r.kind == "deadline" and getattr(r, "step", None) == "contain"
        ),
        None,
    )
    if len(_SHARED) > 64:
        _SHARED.clear()
    _SHARED[spec.key] = out
    return out


def _plan_timeline(sh: Shared) -> dict[str, float]:
    """The plan's timeline, once: the counterfactual of a team that took no step of its own,
    which is the plan's defaults and its least harmful containment (``scoring.counterfactual``)."""
    from drillbook.scoring import score

    session = Session(sh.loaded, RunSettings(mode="headless"))
    session.start()
    session.end()
    card = score(sh.loaded.scenario, sh.plan, session.history(), sh.client)
    return {k: line.counterfactual for k, line in card.impact.items()}


def play(spec: Spec, index: int) -> tuple[Session, Autopilot]:
    """Play run ``index`` of ``spec`` (the journal stays in memory)."""
    sh = shared(spec)
    seed = run_seed(spec.seed, index)
    rng = random.Random(seed)
    settings = RunSettings(seed=seed % (2**31), plan=spec.plan, client=spec.client, mode="headless")
    session = Session(sh.loaded, settings)
    pilot = Autopilot(session, spec.team, sh.roster, sh.playbook, sh.wakes, rng)
    settings.roster.update({r: s.candidates[0] for r, s in pilot.seats.items() if s.candidates})
    pilot.play()
    return session, pilot


def run_one(spec: Spec, index: int) -> RunResult:
    from drillbook.scoring import score

    sh = shared(spec)
    session, _pilot = play(spec, index)
    events = session.history()
    card = score(
        sh.loaded.scenario,
        sh.plan,
        events,
        sh.client,
        counterfactual=sh.counterfactual,
        own_history=True,  # the session's own history: no replay to judge containment
    )
    times = milestones(events, sh.loaded.scenario.truth.root_cause)
    times["contain"] = _contained(card, sh.contain_rule, events, times["contain"])
    return RunResult(
        index=index,
        times=times,
        meters={k: line.actual for k, line in card.impact.items()},
        readiness=card.readiness,
        rating=card.rating,
        rules={r.id: r.status for r in card.rules},
        capabilities={c: r.rating for c, r in card.capabilities.items()},
        acted=_acted(events),
    )


def run_batch(spec: Spec, indices: list[int]) -> list[RunResult]:
    shared(spec)  # built before the standing data is set aside, so it is among it
    with _standing_set_aside():
        return [run_one(spec, i) for i in indices]


@contextmanager
def _standing_set_aside() -> Iterator[None]:
    """Keep what stands through a batch out of the cyclic collector's scans meanwhile, and
    let it look at young objects less often.

    The loaded scenario, plan and client, the playbook and every imported module outlive
    the batch; each run allocates a journal's worth of objects and drops them, so the
    collector keeps running, and each of its older-generation passes rescanned all of that
    standing data (a full pass is ~30 ms; the collector was a third of a run's time). Frozen
    objects are still freed by reference counting, only never scanned; they are thawed
    after the batch, so nothing frozen is kept from a later collection. A process that froze
    objects of its own is left as it is.

    A night leaves no cycle behind (its people leave the session at the end), so a young
    collection during a batch finds nothing to free: the first threshold is raised to
    ``_YOUNG_DURING_BATCH`` allocations meanwhile (a few per cent of a run) and put back
    after. Nothing a run computes depends on when the collector runs."""
    young, *older = gc.get_threshold()
    gc.set_threshold(max(young, _YOUNG_DURING_BATCH), *older)
    try:
        if gc.get_freeze_count():
            yield
            return
        gc.freeze()
        try:
            yield
        finally:
            gc.unfreeze()
    finally:
        gc.set_threshold(young, *older)


def milestones(events: list[dict[str, Any]], root_cause: str) -> dict[str, float | None]:
    out: dict[str, float | None] = dict.fromkeys(MILESTONES)
    for e in events:
        if e["type"] != Kind.DECISION:
            continue
        a, p, t = e["action"], e.get("params") or {}, float(e["sim"])
        key = {
            "acknowledge": "acknowledge",
            "contain": "contain",
        }.get(a)
        if a == "notify" and p.get("audience") == "client":
            key = "notify_client"
        if a == "diagnose" and p.get("root_cause") == root_cause:
            key = "root_cause"
        if key and out[key] is None:
            out[key] = t
    return out


def _contained(
    card: Any, rule_id: str | None, events: list[dict[str, Any]], first: float | None
) -> float | None:
    """When the harm was contained: the first containment the plan's deadline counted (one
    that left the harm running is not containment, whatever it was called; never, if none
    did), else — a plan without that deadline, or one not judged here — the first ``contain``."""
    result = card.rule(rule_id) if rule_id else None
    if result is None or result.status in ("not_applicable", "pending"):
        return first
    if result.status not in ("met", "late") or result.done_min is None:
        return None
    # the decision that met it, its time unrounded as the other milestones' are
    named = set(result.decisions)
    return min(
        (float(e["sim"]) for e in events if e["seq"] in named and e.get("action") == "contain"),
        key=lambda sim: abs(sim - result.done_min),
        default=result.done_min,
    )


def _acted(events: list[dict[str, Any]]) -> dict[str, int]:
    out: dict[str, int] = {}
    for e in events:
        if e["type"] == Kind.DECISION:
            out[e["role"]] = out.get(e["role"], 0) + 1
    return out
