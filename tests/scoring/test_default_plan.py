"""The bundled plan: every rule and threshold cites the article, and it is general.

A facilitator defends a score by pointing at the plan's sentence; so each ``source`` must be
the article's own words. The check against the article's text runs where the reference copy
sits beside the project (``../shared/reference``); the stable rule ids run everywhere.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from drillbook.scoring import default_plan
from drillbook.scoring.plan import DEFAULT_PLAN_PATH

ARTICLE = Path(__file__).resolve().parents[3] / "shared/reference/ai-incident-response-plan.md"
STABLE_IDS = {
    "acknowledge-alert",
    "classify-severity",
    "activate-team",
    "contain",
    "notify-client",
    "notify-leadership",
    "preserve-evidence-before-changes",
    "assess-regulatory",
    "status-cadence",
    "diagnose-root-cause",
    "assess-impact",
    "public-statement-coordinated",
    "verify-fix",
    "post-incident-review",
    "final-report",
    "action-items-owned",
}
CAPABILITIES = [
    "detection",
    "classification",
    "containment",
    "notification",
    "evidence",
    "investigation",
    "communication",
    "regulatory",
    "remediation",
    "learning",
]


def _cited() -> list[tuple[str, str]]:
    """(what, source) for every rule, threshold and rollup of the default plan."""
    plan = default_plan()
    out = [(f"rule {r.id}", r.source) for r in plan.rules]
    out += [(f"severity {k}", v.source) for k, v in plan.severities.items()]
    out += [("timing", plan.timing.source), ("ratings", plan.ratings.source)]
    out += [("rollup", plan.rollup.source)]
    return out


def test_the_issue_rule_ids_and_capabilities_are_there():
    plan = default_plan()
    assert {r.id for r in plan.rules} >= STABLE_IDS
    assert list(plan.capabilities) == CAPABILITIES


@pytest.mark.parametrize(("what", "source"), _cited(), ids=[w for w, _ in _cited()])
def test_every_rule_and_threshold_cites_the_article(what, source):
    assert source.strip(), f"{what} cites nothing"
    if not ARTICLE.exists():
        pytest.skip("the article is not beside the project here")
    text = re.sub(r"\s+", " ", ARTICLE.read_text(encoding="utf-8"))
    # a source may join sentences with " / " and elide with "…"
    for part in re.split(r" / |…", source):
        part = part.strip(" .")
        if part:
            assert part in text, f"{what}: not the article's words: {part!r}"


def test_the_plan_file_is_what_default_plan_reads():
    assert DEFAULT_PLAN_PATH.name == "default.yaml" and DEFAULT_PLAN_PATH.exists()
