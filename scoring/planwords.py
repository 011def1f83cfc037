"""A response plan's rules and windows in words, for the plan document, the card and diffs.

The scorer reads a rule as data; a person reading the plan at 3:47 AM needs "notify the
client within 30 min of becoming aware (Critical)". The words are built from the same
fields the scorer uses, with a client profile's overrides applied the way
:meth:`scoring.context.Context.window` applies them, so the document and the score cannot
disagree about a deadline.
"""

from __future__ import annotations

from typing import Any

from drillbook.formats.offsets import fmt_duration
from drillbook.scenarios.actions import SEVERITIES
from drillbook.scoring.plan import (
    CadenceRule,
    CoverageRule,
    DeadlineRule,
    GuardRule,
    JudgementRule,
    MatchRule,
    PrecedenceRule,
    ResponsePlan,
)

ANCHOR_WORDS = {
    "start": "the start of the incident",
    "awareness": "becoming aware",
    "acknowledgement": "acknowledging the alert",
    "classification": "classification",
    "containment": "containment",
    "resolution": "resolution",
}
SEVERITY_TITLES = {s: s.capitalize() for s in SEVERITIES}
AUDIENCE_WORDS = {
    "response_team": "the response team",
    "leadership": "leadership",
    "client": "the client",
    "regulator": "regulators",
    "affected_individuals": "the people affected",
    "public": "the public",
}


def duration(minutes: int | None) -> str:
    """``15`` → ``15 min``, ``2880`` → ``48 h``, ``10080`` → ``7 d``: a window as the plan
    says it (hours up to three days, whole days beyond)."""
    if minutes is None:
        return "—"
    day = 24 * 60
    if minutes >= 3 * day and minutes % day == 0:
        return f"{minutes // day} d"
    if minutes >= 60 and minutes % 60 == 0:
        return f"{minutes // 60} h"
    return fmt_duration(minutes)


def windows_of(
    rule: Any, client: Any = None, table: str = "windows"
) -> dict[str, tuple[int, bool]]:
    """Severity → (window in minutes, whether the client profile set it), as the scorer
    would apply them: the profile's ``windows`` entry, else an SLA naming the rule, else the
    plan's own table."""
    own: dict[str, int] = dict(getattr(rule, table, {}) or {})
    out: dict[str, tuple[int, bool]] = {}
    for sev in SEVERITIES:
        if client is not None and table == "windows":
            per = client.windows.get(rule.id, {})
            if sev in per:
                out[sev] = (int(per[sev]), True)
                continue
            sla = next((s for s in client.sla if s.rule == rule.id and s.within is not None), None)
            if sla is not None:
                out[sev] = (int(sla.within), True)
                continue
        if sev in own:
            out[sev] = (own[sev], False)
    return out


def _every(every: int | dict[str, int]) -> dict[str, int]:
    """A phase's cadence per severity (one duration for all is every severity's)."""
    return every if isinstance(every, dict) else {sev: every for sev in SEVERITIES}


def windows_text(windows: dict[str, tuple[int, bool]] | dict[str, int]) -> str:
    """``Critical 15 min · High 1 h`` — or ``14 d at every severity`` when they agree."""
    plain = {s: (w[0] if isinstance(w, tuple) else w) for s, w in windows.items()}
    if not plain:
        return "at no severity"
    if len(plain) == len(SEVERITIES) and len(set(plain.values())) == 1:
        return f"{duration(next(iter(plain.values())))} at every severity"
    return " · ".join(f"{SEVERITY_TITLES[s]} {duration(m)}" for s, m in plain.items())


def _step(plan: ResponsePlan, step_id: str) -> str:
    step = plan.step(step_id)
    return step.title.lower() if step else step_id


def _steps(plan: ResponsePlan, ids: list[str]) -> str:
    names = [_step(plan, s) for s in ids]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def rule_text(rule: Any, plan: ResponsePlan, client: Any = None) -> str:
    """One rule as a sentence a team member can follow."""
    text = _rule_text(rule, plan, client)
    if rule.only_for_types:
        text += f" (for {', '.join(rule.only_for_types)} incidents only)"
    return text


def _rule_text(rule: Any, plan: ResponsePlan, client: Any) -> str:
    anchor = ANCHOR_WORDS.get(getattr(rule, "anchor", ""), "")
    if isinstance(rule, DeadlineRule):
        step = _step(plan, rule.step)
        if rule.obligations:
            extra = ""
            if rule.undue_delay:
                extra = f"; one without a clock of its own: {windows_text(rule.undue_delay)}"
            return f"{step.capitalize()}: every obligation that applies, by its own clock{extra}"
        return f"{step.capitalize()} within {windows_text(windows_of(rule, client))} of {anchor}"
    if isinstance(rule, CoverageRule):
        step = _step(plan, rule.step)
        within = f"within {windows_text(windows_of(rule, client))} of {anchor}"
        if rule.roles:
            return f"{step.capitalize()}: {', '.join(r.replace('_', ' ') for r in rule.roles)} — {within}"
        if rule.param is not None:
            return f"{step.capitalize()}: all of {', '.join(rule.values)} — {within}"
        return f"{step.capitalize()}: at least {rule.count} — {within}"
    if isinstance(rule, PrecedenceRule):
        return f"{_step(plan, rule.before).capitalize()} before {_steps(plan, rule.after)}"
    if isinstance(rule, CadenceRule):
        then = "".join(
            f", then every {windows_text(_every(c.every))} from "
            + (ANCHOR_WORDS[c.from_] if isinstance(c.from_, str) else fmt_duration(c.from_) + " on")
            for c in rule.cadence
        )
        return (
            f"{_step(plan, rule.step).capitalize()} every {windows_text(rule.every)}, from "
            f"{ANCHOR_WORDS[rule.start]} until {ANCHOR_WORDS[rule.until]}{then}"
        )
    if isinstance(rule, MatchRule):
        what = {
            "severity": "severity",
            "root_cause": "root cause",
            "obligations": "obligations",
        }[rule.compare]
        return f"The {what} the team settles on must match what is true"
    if isinstance(rule, GuardRule):
        step = _step(plan, rule.step).capitalize()
        if rule.requires_before:
            return f"{step} only after {_steps(plan, rule.requires_before)}"
        if rule.single:
            return f"{step}: one {rule.single} only" + (", one person" if rule.single_actor else "")
        return f"{step} only once the incident is public"
    if isinstance(rule, JudgementRule):
        return (
            "The judgement calls the scenario puts to the team: a sound answer earns full "
            f"credit, a poor one {rule.poor:g}"
        )
    return rule.title


def step_rules(plan: ResponsePlan, step_id: str) -> list[Any]:
    """The rules that judge a step (as its step, its prerequisite, or in a precedence)."""

    def names(r: Any) -> bool:
        if isinstance(r, PrecedenceRule):
            return step_id in (r.before, *r.after)
        if isinstance(r, GuardRule) and step_id in r.requires_before:
            return True
        return getattr(r, "step", None) == step_id

    return [r for r in plan.rules if names(r)]


def step_windows(
    plan: ResponsePlan, step_id: str, client: Any = None
) -> tuple[dict, str, str | None]:
    """The windows a step is timed by (its first deadline or coverage rule that applies to
    every incident type), the anchor they count from, and that rule's id."""
    timed = [
        r
        for r in plan.rules
        if isinstance(r, DeadlineRule | CoverageRule)
        and r.step == step_id
        and not getattr(r, "obligations", False)
    ]
    timed.sort(key=lambda r: bool(r.only_for_types))
    if not timed:
        return {}, "", None
    first = timed[0]
    return windows_of(first, client), ANCHOR_WORDS.get(first.anchor, first.anchor), first.id
