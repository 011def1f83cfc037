"""The timeline's axis: linear for a short exercise, linear then logarithmic for a long one."""

from __future__ import annotations

import math
import re

from drillbook.reports.aar import build_aar
from drillbook.reports.exercise import Exercise
from drillbook.reports.records import TimelineMark
from drillbook.reports.report import timeline_svg
from drillbook.reports.timeline import LEFT, RIGHT, Scale, story_clock, svg
from markupsafe import Markup


def test_short_exercise_is_linear() -> None:
    s = Scale(120, [10, 60, 120])
    assert not s.compressed
    assert s.x(60) - s.x(0) == s.x(120) - s.x(60)
    assert s.ticks() == [0, 15, 30, 45, 60, 75, 90, 105, 120]


def test_long_exercise_is_linear_to_the_knee_then_logarithmic() -> None:
    busy = [5, 10, 20, 30, 45, 60, 90, 150, 200, 1440]  # 80th percentile +2:30 → knee +3:00
    s = Scale(21600, [*busy, 20000], busy)
    assert s.compressed and s.knee == 180
    assert s.x(0) == LEFT and s.x(21600) == RIGHT
    assert s.x(90) - s.x(0) == s.x(180) - s.x(90)  # linear part
    # logarithmic part: the width to +30:00 is log(10) / log(120) of the width to the end
    ratio = (s.x(1800) - s.split) / (s.x(21600) - s.split)
    assert abs(ratio - math.log(10) / math.log(120)) < 1e-9
    ticks = s.ticks()
    assert ticks[:3] == [0, 30, 60] and ticks[-1] > 180
    xs = [s.x(t) for t in ticks]
    assert xs == sorted(xs)


def test_story_clock_labels() -> None:
    clock = story_clock("Tue 03:47")
    assert clock(0) == "Tue 03:47" and clock(60) == "Tue 04:47" and clock(24 * 60) == "d2 Wed 03:47"
    # a week apart, two ticks no longer read the same
    assert (clock(168 * 60), clock(504 * 60)) == ("d8 Tue 03:47", "d22 Tue 03:47")


def test_svg_escapes_labels_and_marks_late_and_missed() -> None:
    marks = [
        TimelineMark(
            kind="inject",
            at=6,
            at_text="+0:06",
            story="Tue 03:53",
            label="<b>x</b>",
            lane="injects",
        ),
        TimelineMark(
            kind="decision",
            at=8,
            at_text="+0:08",
            story="Tue 03:55",
            label="ack",
            lane="on_call",
            status="late",
        ),
        TimelineMark(
            kind="deadline",
            at=21,
            at_text="+0:21",
            story="Tue 04:08",
            label="Ack & go",
            lane="plan",
            status="late",
            due=21,
            done=225,
        ),
        TimelineMark(
            kind="deadline",
            at=66,
            at_text="+1:06",
            story="Tue 04:53",
            label="Contain",
            lane="plan",
            status="missed",
            due=66,
            done=None,
        ),
    ]
    out = svg(marks, 600, [("injects", "Injects"), ("on_call", "On-call <engineer>")], "Tue 03:47")
    assert isinstance(out, Markup)
    assert "<b>" not in out and "&lt;b&gt;x&lt;/b&gt;" in out
    assert "On-call &lt;engineer&gt;" in out
    assert 'class="flag late">late: Ack &amp; go</text>' in out
    assert 'class="flag missed">missed: Contain</text>' in out
    assert 'class="lateness"' in out and 'class="miss"' in out


def test_report_timeline_has_every_inject_and_decision(weak_exercise: Exercise) -> None:
    aar = build_aar(weak_exercise)
    out = timeline_svg(aar)
    injects = [m for m in aar.timeline if m.kind == "inject"]
    decisions = [m for m in aar.timeline if m.kind == "decision"]
    assert len(re.findall(r'class="inject"><title>', out)) == len(injects)
    assert len(re.findall(r"<circle cx=", out)) == len(decisions) + 4  # + the legend's four
    assert "log scale" in out  # fifteen days of play
