"""The exercise timeline: injects, decisions and plan deadlines on one axis, as inline SVG.

An exercise can last twenty minutes or two weeks, and most of what matters happens in
its first hours. So the axis is linear up to a knee — the hour by which most injects,
decisions and deadlines have happened — and logarithmic after it, shaded so a reader sees
the scale change. Labels are in story time (``+1:00`` and ``Tue 04:47``). Every piece of
text is escaped here: titles and decisions come from scenario files and players.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from drillbook.formats.offsets import StoryClock, fmt_offset, wall_label
from drillbook.reports.records import TimelineMark
from drillbook.scenarios.actions import describe
from drillbook.scenarios.model import Scenario
from drillbook.scoring.scorecard import Scorecard, status_rank
from drillbook.simulator.events import Kind
from drillbook.simulator.journal import Event
from markupsafe import Markup, escape

# Rules that time a step against a window; precedence, match and guard rules have no deadline.
DEADLINE_KINDS = ("deadline", "coverage", "cadence")
LINEAR_UP_TO = 8 * 60  # an exercise this short is drawn linear throughout
_STEPS = (15, 30, 60, 120, 180, 240, 360, 720)
_LATER = tuple(h * 60 for h in (6, 12, 24, 48, 72, 96, 120, 168, 240, 336, 504, 672, 1008, 1344))
COLOURS = {
    "met": "#2e7d32",
    "late": "#e65100",
    "missed": "#c62828",
    "violated": "#c62828",
    "pending": "#607d8b",
    None: "#607d8b",
}
W, LEFT, RIGHT = 1000, 150, 975
LANE = 24


def marks(
    scenario: Scenario,
    card: Scorecard,
    events: list[Event],
) -> list[TimelineMark]:
    """Injects and decisions from the journal, deadlines from the scorecard, in time order."""
    start = scenario.start_datetime
    worst: dict[int, str] = {}
    for d in card.decisions:
        statuses = [v.status for v in d.verdicts if v.status != "not_applicable"]
        if statuses:
            worst[d.seq] = min(statuses, key=status_rank)
    out: list[TimelineMark] = []
    for e in events:
        t = float(e["sim"])
        if e["type"] == Kind.INJECT_DELIVERED and e.get("kind") != "finding":
            label = str(e.get("title") or e.get("inject"))
            out.append(_mark("inject", t, start, label, "injects"))
        elif e["type"] == Kind.DECISION:
            label = describe(str(e["action"]), dict(e.get("params") or {}))
            status = worst.get(int(e["seq"]))
            out.append(_mark("decision", t, start, label, str(e["role"]), status))
    for r in card.rules:
        if r.kind not in DEADLINE_KINDS or r.due_min is None or r.status == "not_applicable":
            continue
        out.append(
            _mark("deadline", r.due_min, start, r.title, "plan", r.status).model_copy(
                update={"due": r.due_min, "done": r.done_min, "rule": r.id}
            )
        )
    return sorted(out, key=lambda m: m.at)


def _mark(
    kind: str, t: float, start: Any, label: str, lane: str, status: str | None = None
) -> TimelineMark:
    return TimelineMark(
        kind=kind,  # type: ignore[arg-type]
        at=t,
        at_text=fmt_offset(t),
        story=wall_label(start, t),
        label=label,
        lane=lane,
        status=status,  # type: ignore[arg-type]
    )


class Scale:
    """Minutes → x: linear to ``knee``, logarithmic from there to ``end``."""

    def __init__(
        self,
        end: float,
        times: Sequence[float],
        busy: Sequence[float] = (),
        x0: float = LEFT,
        x1: float = RIGHT,
    ):
        """``times``: everything drawn (the axis must reach them all); ``busy``: what the
        players saw and did, whose first 80 % set the knee (deadlines days away do not)."""
        self.end = max(end, 30.0, *times) if times else max(end, 30.0)
        self.x0, self.x1 = x0, x1
        if self.end <= LINEAR_UP_TO:
            self.knee = self.end
        else:
            ordered = sorted(busy or times) or [60.0]
            busy_until = ordered[int(0.8 * (len(ordered) - 1))]
            self.knee = float(min(max(math.ceil(busy_until / 60) * 60, 120), 24 * 60, self.end / 2))
        self.split = x1 if self.knee >= self.end else x0 + 0.6 * (x1 - x0)

    @property
    def compressed(self) -> bool:
        return self.knee < self.end

    def x(self, t: float) -> float:
        t = min(max(t, 0.0), self.end)
        if t <= self.knee:
            return self.x0 + (self.split - self.x0) * t / self.knee
        frac = math.log(t / self.knee) / math.log(self.end / self.knee)
        return self.split + (self.x1 - self.split) * frac

    def ticks(self) -> list[float]:
        step = next((s for s in _STEPS if self.knee / s <= 8), 1440)
        out = [float(t) for t in range(0, int(self.knee) + 1, step)]
        if self.compressed:
            for t in (*_LATER, self.end):
                if self.knee < t <= self.end and self.x(t) - self.x(out[-1]) >= 64:
                    out.append(float(t))
        return out


def _text(x: float, y: float, s: str, *, cls: str = "", anchor: str = "start") -> str:
    c = f' class="{cls}"' if cls else ""
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{c}>{escape(s)}</text>'


def _tip(m: TimelineMark) -> str:
    return f"<title>{escape(f'{m.at_text} ({m.story}) — {m.label}')}</title>"


def _short(s: str, n: int = 34) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


def _width(label: str) -> float:
    return 5.4 * len(label) + 10  # about 5.4 units a character at the flag's font size


def _label_rows(items: list[tuple[float, str]]) -> list[int]:
    """Greedy rows so that no two labels overlap; a label at the right edge runs leftwards."""
    spans: list[list[tuple[float, float]]] = []
    rows = []
    for x, label in items:
        w = _width(label)
        lo, hi = (x - w, x) if x + w > RIGHT else (x, x + w)
        row = next(
            (i for i, taken in enumerate(spans) if all(hi < a or lo > b for a, b in taken)),
            len(spans),
        )
        if row == len(spans):
            spans.append([])
        spans[row].append((lo, hi))
        rows.append(row)
    return rows


def svg(
    timeline: list[TimelineMark], end: float, lanes: list[tuple[str, str]], start: str
) -> Markup:
    """The timeline as one inline ``<svg>``.

    ``lanes`` are (id, label) from top to bottom ("injects", then roles); plan deadlines get
    a lane of their own below them. ``start`` is the story clock at sim 0 (``Tue 03:47``).
    """
    clock = story_clock(start)
    scale = Scale(
        end,
        [m.at for m in timeline] + [m.done for m in timeline if m.done],
        [m.at for m in timeline if m.kind != "deadline"],
    )
    deadlines = [m for m in timeline if m.kind == "deadline"]
    flagged = sorted(
        (m for m in deadlines if m.status in ("late", "missed", "violated")),
        key=lambda m: scale.x(m.at),
    )
    labels = [(scale.x(m.at), _short(f"{m.status}: {m.label}")) for m in flagged]
    rows = _label_rows(labels)
    n_rows = (max(rows) + 1) if rows else 0
    top = 26
    lane_y = {lane: top + i * LANE + LANE / 2 for i, (lane, _) in enumerate(lanes)}
    plan_y = top + len(lanes) * LANE + LANE / 2
    axis_y = plan_y + LANE / 2 + n_rows * 13 + 8
    height = axis_y + 52
    p: list[str] = [
        f'<svg class="timeline" viewBox="0 0 {W} {height:.0f}" role="img" '
        f'xmlns="http://www.w3.org/2000/svg" aria-label="Exercise timeline">'
    ]
    if scale.compressed:
        xs = scale.split
        p.append(
            f'<rect x="{xs:.1f}" y="{top - 14}" width="{RIGHT - xs:.1f}" '
            f'height="{axis_y - top + 14:.0f}" class="compressed"/>'
        )
        p.append(_text(xs + 4, top - 4, f"after {fmt_offset(scale.knee)}: log scale", cls="note"))
    for i, (lane, label) in enumerate([*lanes, ("plan", "Plan deadlines")]):
        y = top + i * LANE
        if i % 2 == 0:
            h = LANE if lane != "plan" else axis_y - y
            p.append(f'<rect x="0" y="{y}" width="{RIGHT}" height="{h:.0f}" class="band"/>')
        p.append(_text(LEFT - 8, y + LANE / 2 + 4, label, cls="lane", anchor="end"))
    for t in scale.ticks():
        x = scale.x(t)
        p.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{axis_y}" class="grid"/>')
        p.append(_text(x, axis_y + 14, fmt_offset(t), cls="tick", anchor="middle"))
        p.append(_text(x, axis_y + 27, clock(t), cls="tick", anchor="middle"))
    p.append(f'<line x1="{LEFT}" y1="{axis_y}" x2="{RIGHT}" y2="{axis_y}" class="axis"/>')
    for m in timeline:
        x = scale.x(m.at)
        if m.kind == "inject":
            y = lane_y.get("injects", top + LANE / 2)
            p.append(
                f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" class="inject">'
                f"{_tip(m)}</rect>"
            )
        elif m.kind == "decision" and m.lane in lane_y:
            p.append(
                f'<circle cx="{x:.1f}" cy="{lane_y[m.lane]:.1f}" r="4.5" '
                f'fill="{COLOURS.get(m.status, COLOURS[None])}">{_tip(m)}</circle>'
            )
    for m in deadlines:
        p.append(_deadline(m, scale, plan_y))
    for (x, label), row, m in zip(labels, rows, flagged, strict=True):
        y = plan_y + LANE / 2 + 4 + row * 13
        if x + _width(label) > RIGHT:  # near the right edge: let the label run leftwards
            p.append(_text(x, y, label, cls=f"flag {m.status}", anchor="end"))
        else:
            p.append(_text(x, y, label, cls=f"flag {m.status}"))
    legend_y = axis_y + 44
    p.append(_legend(legend_y))
    p.append("</svg>")
    return Markup("".join(p))


def story_clock(start: str) -> Callable[[float], str]:
    """Minutes → the story clock for a scenario that starts at ``start``: ``Tue 04:47`` on
    the first day, ``d8 Tue 03:47`` after it — a weekday alone repeats every week, and
    ``+168:00`` and ``+504:00`` both read "Tue 03:47" (the console shows the same day numbers)."""
    story = StoryClock.parse(start)

    def clock(t: float) -> str:  # the first day's marks keep their weekday on the axis
        return story.label(t) if story.day_number(t) == 1 else story.short(t)

    return clock


def _deadline(m: TimelineMark, scale: Scale, y: float) -> str:
    xd = scale.x(m.due if m.due is not None else m.at)
    colour = COLOURS.get(m.status, COLOURS[None])
    tip = _tip(m)
    out = [f'<line x1="{xd:.1f}" y1="{y - 7:.1f}" x2="{xd:.1f}" y2="{y + 7:.1f}" class="due"/>']
    if m.status == "missed":
        out.append(
            f'<path d="M{xd - 5:.1f},{y - 5:.1f}L{xd + 5:.1f},{y + 5:.1f}'
            f'M{xd - 5:.1f},{y + 5:.1f}L{xd + 5:.1f},{y - 5:.1f}" stroke="{colour}" '
            f'stroke-width="2.5" class="miss">{tip}</path>'
        )
        return "".join(out)
    xe = scale.x(m.done) if m.done is not None else xd
    if m.status == "late":
        out.append(
            f'<line x1="{xd:.1f}" y1="{y:.1f}" x2="{xe:.1f}" y2="{y:.1f}" stroke="{colour}" '
            f'stroke-width="3" class="lateness"/>'
        )
    out.append(
        f'<path d="M{xe:.1f},{y - 5:.1f}L{xe + 5:.1f},{y:.1f}L{xe:.1f},{y + 5:.1f}'
        f'L{xe - 5:.1f},{y:.1f}Z" fill="{colour}" class="step {m.status}">{tip}</path>'
    )
    return "".join(out)


def _legend(y: float) -> str:
    items = [
        ('<rect x="{x}" y="{y0}" width="8" height="8" class="inject"/>', "inject"),
        (f'<circle cx="{{cx}}" cy="{{cy}}" r="4.5" fill="{COLOURS["met"]}"/>', "decision on time"),
        (f'<circle cx="{{cx}}" cy="{{cy}}" r="4.5" fill="{COLOURS["late"]}"/>', "late"),
        (f'<circle cx="{{cx}}" cy="{{cy}}" r="4.5" fill="{COLOURS["violated"]}"/>', "broke a rule"),
        (f'<circle cx="{{cx}}" cy="{{cy}}" r="4.5" fill="{COLOURS[None]}"/>', "not scored"),
        ('<line x1="{cx}" y1="{y0}" x2="{cx}" y2="{y1}" class="due"/>', "deadline"),
        (f'<path d="M{{cx}},{{y0}}l5,4l-5,4l-5,-4z" fill="{COLOURS["met"]}"/>', "step done"),
        (
            f'<line x1="{{x}}" y1="{{cy}}" x2="{{x2}}" y2="{{cy}}" stroke="{COLOURS["late"]}" stroke-width="3"/>',
            "lateness",
        ),
        (
            f'<path d="M{{x}},{{y0}}l8,8m-8,0l8,-8" stroke="{COLOURS["missed"]}" stroke-width="2.5"/>',
            "missed step",
        ),
    ]
    out = []
    x = LEFT
    for shape, label in items:
        out.append(
            shape.format(x=x, y0=y - 4, y1=y + 4, cx=x + 4, cy=y, x2=x + 14)
            + _text(x + 18, y + 4, label, cls="legend")
        )
        x += 26 + 5.6 * len(label)
    return "".join(out)
