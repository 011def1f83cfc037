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


@pytest.mark.parametrize("swap", ["fifo", "latin-1"])
def test_a_plan_swapped_after_its_check_is_not_copied(
    swap: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``plan new --from`` checks the plan, then reads its text again for the copy: a FIFO
    there waited for ever, another encoding was exit 70."""
    import os

    from drillbook.scoring import plannew

    monkeypatch.setenv("DRILLBOOK_CRASH_DIR", str(tmp_path / "crashes"))
    source = tmp_path / "plan.yaml"
    source.write_text(PLAN_TEXT, encoding="utf-8")
    checked = plannew.load_plan

    def check_then_swap(path: str | Path) -> object:
        plan = checked(path)
        source.unlink()
        if swap == "fifo":
            os.mkfifo(source)
        else:
            source.write_bytes(PLAN_TEXT.encode("utf-8") + "# café\n".encode("latin-1"))
        return plan

    monkeypatch.setattr(plannew, "load_plan", check_then_swap)
    out = tmp_path / "mine.yaml"
    code = main(["plan", "new", "mine", "--from", str(source), "-o", str(out)])
    [line] = capsys.readouterr().err.strip().splitlines()
    assert code == EXIT_INPUT and line.startswith(f"drillbook: {source}: "), line
    assert not out.exists()
