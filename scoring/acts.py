"""A decision as the scorer counts it: the engine's record, and what the journal backs.

Before any rule looks at a decision the scorer asks two things of it (``counted``): could the
role have known to take it yet (``scoring.knowledge``), and which of its self-declared flags
(``tested``, ``disaggregated``) the journal supports. The answers travel with the decision as
an :class:`Act`, so every rule reads the same verdict on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from drillbook.scenarios.model import Scenario
from drillbook.scoring.knowledge import Knowledge
from drillbook.simulator.state import ActionRecord


@dataclass(frozen=True)
class Act(ActionRecord):
    """One decision as journaled (``action_taken``), as the scorer counts it: the engine's
    :class:`~simulator.state.ActionRecord` and what the scorer found about it.

    ``params`` are the parameters the journal *backs*: a self-declared flag the journal does
    not support (``tested`` with no test of that fix before it, ``disaggregated`` before the
    group-level data reached the team) is read as false, and ``unbacked`` says why. ``known``
    is false for a decision nobody could have made yet (see :mod:`scoring.knowledge`); such a
    decision earns nothing and counts as noise.
    """

    known: bool = True
    why_not: str = ""
    unbacked: tuple[str, ...] = ()

    @classmethod
    def of(
        cls,
        seq: int,
        sim: float,
        role: str,
        action: str,
        params: dict[str, Any],
        known: bool,
        why_not: str,
        unbacked: tuple[str, ...],
    ) -> Act:
        """The same record as ``Act(...)``, made without the frozen ``__init__``'s eight
        guarded ``object.__setattr__`` calls (a run's every decision is made into one, each
        score). Every field is given, so nothing of the generated ``__init__`` is skipped."""
        act = object.__new__(cls)
        d = act.__dict__  # stored one by one: ``update`` with keywords built a dict first
        d["seq"], d["sim"], d["role"], d["action"] = seq, sim, role, action
        d["params"], d["known"], d["why_not"], d["unbacked"] = params, known, why_not, unbacked
        return act


def counted(scenario: Scenario, knowledge: Knowledge, e: dict[str, Any], tests: set[str]) -> Act:
    """A journaled decision as the scorer counts it: could the role know, and what of its
    self-declared flags the journal backs."""
    seq, role, action = int(e["seq"]), str(e["role"]), str(e["action"])
    params = dict(e.get("params") or {})
    known, why_not = True, ""
    at = knowledge.aware.get(role)
    if at is None or at > seq:  # ``knowledge.is_aware(role, seq)``, inline: asked of each
        known = False
        why_not = f"before the team could know: nothing had reached {role} yet"
    elif action == "diagnose" and not knowledge.knew_cause(seq):
        known = False
        why_not = "before the team could know: nothing found so far points to a cause"
    unbacked: tuple[str, ...] = ()
    if action == "remediate" and params.get("tested") is True and params.get("option") not in tests:
        params["tested"] = False
        unbacked = ("tested: no test of this fix before it was deployed",)
    elif (
        action == "assess_impact"
        and params.get("disaggregated") is True
        and not knowledge.had_group_data(seq)
    ):
        params["disaggregated"] = False
        unbacked = ("disaggregated: the group-level data had not reached the team",)
    return Act.of(seq, float(e["sim"]), role, action, params, known, why_not, unbacked)
