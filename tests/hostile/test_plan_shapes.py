"""A response plan's ``where`` lists: an empty one is a placed problem, not ``v[0]`` of
nothing (IndexError, exit 70, on every command that read the plan)."""

from __future__ import annotations

from pathlib import Path

import pytest
from drillbook.scoring.plan import DEFAULT_PLAN_PATH

from drillbook.cli import EXIT_INPUT, main

PLAN_TEXT = DEFAULT_PLAN_PATH.read_text(encoding="utf-8")

EMPTY_WHERE = {
    "step": (
        "    where: {audience: response_team}\n",
        "    where: {audience: []}\n",
        "step 'notify-team' cannot be played on the plan's timeline (audience: ",
    ),
    "rule": (
        "    step: classify\n    anchor: awareness\n",
        "    step: classify\n    where: {severity: []}\n    anchor: awareness\n",
        "step 'classify' cannot be played on the plan's timeline (severity: ",
    ),
}


@pytest.mark.parametrize("name", sorted(EMPTY_WHERE))
@pytest.mark.parametrize("verb", [("plan", "check"), ("plan", "show", "-o", "-")])
def test_an_empty_where_list_is_placed(
    name: str,
    verb: tuple[str, ...],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DRILLBOOK_CRASH_DIR", str(tmp_path / "crashes"))
    old, new, says = EMPTY_WHERE[name]
    assert old in PLAN_TEXT, "the bundled plan moved on"
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN_TEXT.replace(old, new, 1), encoding="utf-8")
    code = main([*verb[:2], str(plan), *verb[2:]])
    err = capsys.readouterr().err
    assert code == EXIT_INPUT and "internal error" not in err, err
    assert any(says in line and f"{plan}:" in line for line in err.splitlines()), err
