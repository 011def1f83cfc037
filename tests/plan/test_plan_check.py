"""``drillbook plan check``: each lint fires on a plan broken in its way, and not on a clean one."""

from __future__ import annotations

from pathlib import Path

import pytest
from planfiles import CLEAN, broken, write

from drillbook.cli import main


def check(capsys: pytest.CaptureFixture[str], path: Path, *more: str) -> tuple[int, str, str]:
    code = main(["plan", "check", str(path), *more])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def test_the_clean_plan_is_clean(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = check(capsys, write(tmp_path))
    assert code == 0 and err == ""
    assert "clean (tiny v1)" in out and "0 error(s), 0 warning(s)" in out


# (lint, the change that breaks the clean plan in that way, where the warning is placed)
LINTS = [
    (
        "unused-step",
        broken(
            "rules:\n",
            "  - id: spare\n    title: Spare\n    phase: immediate\n    action: investigate\n"
            "rules:\n",
        ),
        "step 'spare' is in no rule",
    ),
    (
        "unsatisfiable-rule",  # the general step first: it catches every notify to the client
        broken(
            "  - id: notify-client\n    title: Notify the client\n",
            "  - id: notify-any\n    title: Notify anyone\n    phase: immediate\n"
            "    action: notify\n    where: {audience: [client, leadership]}\n"
            "  - id: notify-client\n    title: Notify the client\n",
            broken(
                "    obligations: true\n",
                "    obligations: true\n  - id: any-notice\n    kind: deadline\n"
                "    title: Any notice\n    capability: notification\n    step: notify-any\n"
                '    windows: {critical: "+1:00"}\n',
            ),
        ),
        "no decision can satisfy step 'notify-client'",
    ),
    (
        "unsatisfiable-rule",  # a rule asking for what its step never takes
        broken(
            "    step: notify-client\n",
            "    step: notify-client\n    where: {audience: leadership}\n",
        ),
        "wants audience 'leadership' but step 'notify-client' only takes audience 'client'",
    ),
    (
        "shrinking-window",
        broken(
            'windows: {critical: "+1:00", high: "+4:00"}',
            'windows: {critical: "+1:00", high: "+0:30"}',
        ),
        "rule 'notify-client': High 30 min is shorter than Critical 1 h",
    ),
    (
        "shrinking-window",
        broken('high: {title: High, response: "+1:00"', 'high: {title: High, response: "+0:10"'),
        "severity response: High 10 min is shorter than Critical 15 min",
    ),
    (
        "duty-without-role",
        broken("    roles: [on_call, incident_commander]\n", "    roles: [on_call, data_lead]\n"),
        "gives its duty to 'data_lead', a role the plan does not describe",
    ),
]


@pytest.mark.parametrize(("lint", "text", "message"), LINTS, ids=[x[0] for x in LINTS])
def test_each_lint_is_a_placed_warning(
    lint: str, text: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, text)
    code, out, err = check(capsys, path)
    lines = [ln for ln in out.splitlines() if f"[{lint}]" in ln]
    assert len(lines) == 1, out
    assert message in lines[0] and lines[0].startswith(f"{path}:")
    line_no = int(lines[0].split(":")[1])
    assert line_no > 1 and code == 0 and err == ""  # a warning, at its own line
    assert check(capsys, path, "--strict")[0] == 1
    # the clean plan has no such warning
    assert f"[{lint}]" not in check(capsys, write(tmp_path, CLEAN, "clean.yaml"))[1]


def test_the_warning_points_at_the_offending_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = broken("    roles: [on_call, incident_commander]\n", "    roles: [on_call, data_lead]\n")
    path = write(tmp_path, text)
    _, out, _ = check(capsys, path)
    line_no = int(out.splitlines()[0].split(":")[1])
    assert "data_lead" in text.splitlines()[line_no - 1]


def test_a_capability_with_no_rule_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(
        tmp_path,
        broken(
            "  notification: {title: Notification}\n",
            "  notification: {title: Notification}\n  spare: {title: Spare}\n",
        ),
    )
    code, out, err = check(capsys, path)
    assert code == 2
    assert "error: capability 'spare' has no rules" in err and f"{path}:" in err
    assert "1 error(s), 0 warning(s)" in out


def test_a_plan_that_does_not_validate_is_placed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, broken("    kind: deadline\n", "    kind: deadlin\n"))
    code, _, err = check(capsys, path)
    assert code == 2 and "unknown rule kind 'deadlin'" in err and f"{path}:" in err


def test_the_bundled_plan_has_no_errors(capsys: pytest.CaptureFixture[str]) -> None:
    from drillbook.scoring.plan import DEFAULT_PLAN_PATH

    code, out, err = check(capsys, DEFAULT_PLAN_PATH)
    assert code == 0 and err == "" and "0 error(s)" in out


def test_plan_new_writes_a_plan_that_checks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "acme.yaml"
    assert main(["plan", "new", "acme", "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=./plan.schema.json")
    assert "\nid: acme\n" in text and '\nversion: "1"\n' in text
    assert "Started from default v1." in text and "# The steps of the four phases" in text
    assert (tmp_path / "plan.schema.json").exists()
    capsys.readouterr()
    code, _, err = check(capsys, out)
    assert code == 0 and err == ""
    from drillbook.scoring.plan import load_plan

    assert load_plan(out).label == "acme v1"
    assert main(["plan", "new", "acme", "-o", str(out)]) == 2  # no overwrite without --force
    assert "already exists" in capsys.readouterr().err


def test_plan_new_from_another_plan(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = write(tmp_path, CLEAN, "tiny.yaml")
    out = tmp_path / "mine.yaml"
    assert main(["plan", "new", "mine", "--from", str(src), "-o", str(out)]) == 0
    from drillbook.scoring.plan import load_plan

    plan = load_plan(out)
    assert plan.label == "mine v1" and len(plan.changelog) == 1
    assert plan.changelog[0].changes == ["Started from tiny v1."]
