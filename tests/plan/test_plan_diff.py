"""``drillbook plan diff``: what changed between two versions, in words."""

from __future__ import annotations

from pathlib import Path

import pytest
from drillbook.scoring.plan import load_plan
from drillbook.scoring.plandiff import diff
from planfiles import CLEAN, broken, write

from drillbook.cli import main

V2 = broken(
    'version: "1"',
    'version: "2"',
    broken(
        'windows: {critical: "+1:00", high: "+4:00"}',
        'windows: {critical: "+0:30", high: "+4:00", medium: "+48:00"}',
        broken(
            '    source: "Notify regulators."\n',
            '    source: "Notify regulators."\n  - id: notify-client-fast\n    kind: deadline\n'
            "    title: Notify the client fast\n    capability: notification\n"
            '    step: notify-client\n    windows: {critical: "+0:15"}\n'
            "ratings: {P: 85, S: 70, M: 40}\n",
        ),
    ),
)


def test_diff_names_the_window_the_rule_and_the_threshold(tmp_path: Path) -> None:
    v1, v2 = load_plan(write(tmp_path, CLEAN, "v1.yaml")), load_plan(write(tmp_path, V2, "v2.yaml"))
    assert diff(v1, v2) == [
        "rule added: notify-client-fast — Notify the client fast (deadline)",
        "rule notify-client: Critical window tightened from 1 h to 30 min",
        "rule notify-client: now applies at Medium, window 48 h",
        "rating threshold P: 90 → 85",
    ]
    assert diff(v2, v1)[0] == "rule removed: notify-client-fast — Notify the client fast (deadline)"
    assert diff(v1, v1) == []


def test_the_command_prints_the_versions_and_each_change(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a, b = write(tmp_path, CLEAN, "v1.yaml"), write(tmp_path, V2, "v2.yaml")
    assert main(["plan", "diff", str(a), str(b)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "tiny v1 → tiny v2"
    assert "  - rating threshold P: 90 → 85" in out and len(out) == 5


def test_a_change_without_a_new_version_is_called_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    same = broken('version: "2"', 'version: "1"', V2)
    assert main(["plan", "diff", str(write(tmp_path)), str(write(tmp_path, same, "b.yaml"))]) == 0
    assert "the version was not raised" in capsys.readouterr().out


def test_diff_against_the_bundled_plan_by_name(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "diff", "default", "default"]) == 0
    assert capsys.readouterr().out.splitlines()[1] == "  no change to what is scored"
