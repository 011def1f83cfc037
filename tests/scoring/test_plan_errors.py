"""Bad response plans end in one placed line per problem, as bad scenarios do.

Each case starts from a small valid plan written here, so every expected position can be read
off the text; ``position_of`` finds it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from drillbook.formats.yamlsource import InputError
from drillbook.scoring.plan import DEFAULT_PLAN_PATH, RULE_KINDS, load_plan
from scoringkit import position_of

MINI = """\
id: mini
title: Mini plan
severities:
  critical: {title: Critical, response: "+0:15"}
phases:
  - {id: immediate, title: Immediate response}
capabilities:
  containment: {title: Containment}
  evidence: {title: Evidence}
steps:
  - id: preserve
    title: Preserve evidence
    phase: immediate
    action: preserve_evidence
    params: {items: [logs]}
  - id: contain
    title: Contain
    phase: immediate
    action: contain
    params: {method: take_offline}
rules:
  - id: contain-fast
    kind: deadline
    title: Contain fast
    capability: containment
    step: contain
    windows: {critical: "+1:00"}
  - id: evidence-first
    kind: precedence
    title: Evidence first
    capability: evidence
    before: preserve
    after: [contain]
"""


def problems(tmp_path: Path, text: str) -> list[str]:
    p = tmp_path / "plan.yaml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_plan(p)
    return [f"{q.line}:{q.col}: {q.message}" for q in exc.value.problems]


def test_the_small_plan_is_valid(tmp_path):
    p = tmp_path / "plan.yaml"
    p.write_text(MINI, encoding="utf-8")
    plan = load_plan(p)
    assert [r.id for r in plan.rules] == ["contain-fast", "evidence-first"]


def test_unknown_rule_kind(tmp_path):
    text = MINI.replace("kind: deadline", "kind: deadlin")
    line, col = position_of(text, "deadlin")
    assert problems(tmp_path, text) == [
        f"{line}:{col}: rules[0].kind: unknown rule kind 'deadlin'; "
        f"expected one of: {', '.join(RULE_KINDS)}"
    ]


def test_precedence_cycle_names_its_steps_at_the_rule_that_closes_it(tmp_path):
    text = MINI + (
        "  - id: contain-first\n"
        "    kind: precedence\n"
        "    title: Contain first\n"
        "    capability: evidence\n"
        "    before: contain\n"
        "    after: [preserve]\n"
    )
    line, col = position_of(text, "[preserve]")
    assert problems(tmp_path, text) == [
        f"{line}:{col + 1}: precedence cycle: preserve → contain → preserve; "
        "expected the plan's steps to have an order"
    ]


@pytest.mark.parametrize("bad", ['"1 hour"', "1:00", "-5"])
def test_a_window_that_is_not_a_duration(tmp_path, bad):
    text = MINI.replace('windows: {critical: "+1:00"}', f"windows: {{critical: {bad}}}")
    line, col = position_of(text, bad)
    [problem] = problems(tmp_path, text)
    assert problem.startswith(f"{line}:{col}: rules[0].windows.critical: ")
    if bad == "-5":
        assert problem.endswith("-5 is negative; expected a duration of 0 or more")
    else:
        shown = bad if bad.startswith('"') else f'"{bad}"'
        assert problem.endswith(
            f'{shown} is not a duration; expected "+H:MM" (quoted) or whole minutes'
        )


def test_a_capability_with_no_rules(tmp_path):
    text = MINI.replace(
        "  evidence: {title: Evidence}\n",
        "  evidence: {title: Evidence}\n  learning: {title: Learning}\n",
    )
    line, col = position_of(text, "learning:")
    assert problems(tmp_path, text) == [
        f"{line}:{col}: capability 'learning' has no rules; "
        "expected at least one rule with capability: learning"
    ]


def test_an_unknown_capability_on_a_rule(tmp_path):
    text = MINI.replace("capability: containment", "capability: contaiment")
    line, col = position_of(text, "contaiment")
    # and containment, now without a rule, is reported too: one line per problem
    c_line, c_col = position_of(text, "containment:")
    assert problems(tmp_path, text) == [
        f"{c_line}:{c_col}: capability 'containment' has no rules; "
        "expected at least one rule with capability: containment",
        f"{line}:{col}: unknown capability 'contaiment'; expected one of: containment, evidence",
    ]


def test_an_unknown_step_and_a_parameter_the_action_lacks(tmp_path):
    text = MINI.replace("step: contain\n", "step: contian\n").replace(
        "params: {method: take_offline}", "params: {method: take_offline, speed: fast}"
    )
    s_line, s_col = position_of(text, "contian")
    p_line, p_col = position_of(text, "speed")
    assert problems(tmp_path, text) == [
        f"{p_line}:{p_col}: 'contain' has no parameter 'speed' (in params); "
        "expected one of: method",
        f"{s_line}:{s_col}: unknown step 'contian'; expected one of: preserve, contain",
    ]


def test_a_step_the_plans_timeline_cannot_take(tmp_path):
    text = MINI.replace("    params: {method: take_offline}\n", "")
    line, col = position_of(text, "- id: contain")
    [problem] = problems(tmp_path, text)
    assert problem.startswith(
        f"{line}:{col + 2}: step 'contain' cannot be played on the plan's timeline"
    )
    assert "method" in problem


def test_the_default_plan_loads():
    plan = load_plan(DEFAULT_PLAN_PATH)
    assert plan.id == "default"
