"""A simulation as people read it: terminal text, Markdown, and a self-contained HTML page.

The HTML carries its figures as inline SVG (a histogram of the loss, cumulative curves of the
time to contain — the share of nights contained by each hour) and no script, font or image
from anywhere else. Every text from a file (titles, labels) is escaped by Jinja2's autoescape.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from drillbook.formats.offsets import fmt_offset, wall_label
from drillbook.readiness.runner import RunResult
from jinja2 import Environment

_MONEY = {"money"}


def value(v: float | None, fmt: str) -> str:
    """A figure in its meter's format; a negative one (a saving that went the other way) with
    a true minus sign before the currency, "−$19,303" rather than "$-19,303"."""
    if v is None:
        return "never"
    sign = "\u2212" if v < 0 and round(v) != 0 else ""
    v = abs(v)
    if fmt in _MONEY:
        return f"{sign}${v:,.0f}"
    return f"{sign}{v:,.0f}" if fmt == "count" else f"{sign}{v:,.2f}"


def when(v: float | None, start: datetime) -> str:
    return "never" if v is None else f"{fmt_offset(v)} ({wall_label(start, v)})"


def duration(v: float | None) -> str:
    """Minutes as "3 h 07 min" ("38 min" under an hour); a negative one (a difference that
    went the other way) with a true minus sign, "−38 min" rather than "-0 h 38 min"."""
    if v is None:
        return "—"
    sign = "\u2212" if v < 0 else ""
    v = abs(v)
    if v < 60:
        return f"{sign}{int(v)} min"
    return f"{sign}{int(v // 60)} h {int(v % 60):02d} min"


def text(doc: dict[str, Any], start: datetime) -> str:
    s = doc["summary"]
    plan = f" · plan {doc['plan']['id']}" if doc.get("plan") else ""
    lines = [
        f"{doc['title']} ({doc['scenario']}) · team {doc['team']['id']}{plan} · {s['runs']} runs · seed {doc['seed']}",
        "Milestones (from the story's start; median, 5th–95th percentile; share of nights reached):",
    ]
    for m in s["milestones"].values():
        lines.append(
            f"  {m['title']:<28} {when(m['median'], start):<22} "
            f"[{when(m['p5'], start)} – {when(m['p95'], start)}]  {m['reached']:.0%}"
        )
    lines.append("Impact (median, 5th–95th percentile):")
    for m in s["meters"].values():
        f = m["format"]
        lines.append(
            f"  {m['label']:<28} {value(m['median'], f):<14} [{value(m['p5'], f)} – {value(m['p95'], f)}]"
        )
    r = s["readiness"]
    shares = " ".join(f"{k} {v:.0%}" for k, v in s["ratings"].items())
    lines.append(f"Readiness: median {r['median']} [{r['p5']} – {r['p95']}] · ratings {shares}")
    lines.append("Rule pass rates (met, of runs where it was judged):")
    for rule, rate in s["rules"].items():
        if rate is not None:
            lines.append(f"  {rule:<36} {rate:.0%}")
    if doc.get("comparison"):
        c = doc["comparison"]
        lines.append(
            f"Against {c['other']} on the same seeds (what {c['other']} saves; median [5th–95th]):"
        )
        for m in c["meters"].values():
            x = m["saved"]
            lines.append(
                f"  {m['label']:<28} {value(x['median'], m['format'])} [{value(x['p5'], m['format'])} – {value(x['p95'], m['format'])}]"
            )
        for m in c["milestones"].values():
            x = m["sooner_by"]
            lines.append(
                f"  {m['title'] + ' sooner by':<40} {duration(x['median'])} [{duration(x['p5'])} – {duration(x['p95'])}]"
            )
        g, same_plan = c["readiness_gain"], c.get("same_plan", True)
        gained = "Readiness gained" if same_plan else "Readiness gained*"
        lines.append(f"  {gained:<28} {g['median']} [{g['p5']} – {g['p95']}]")
        if not same_plan:
            lines.append("  * each side scored against its own plan: not the same rulebook")
    if doc.get("weakest_links"):
        lines.append("Weakest links (each change alone, same seeds; median loss saved):")
        for w in doc["weakest_links"]:
            lines.append(
                f"  {w['title']:<44} saves {value(w['saved'], 'money')} · contain {duration(w['median_contain'])}"
            )
    if doc.get("weakest_set"):
        lines.extend(_set_lines(doc["weakest_set"], doc["summary"]))
    return "\n".join(lines)


def _set_lines(ws: dict[str, Any], summary: dict[str, Any]) -> list[str]:
    """The changes that only work together, in the order the search made them."""
    loss = summary["meters"].get(ws["meter"])
    cap = f" (it stays at {value(loss['median'], loss['format'])})" if loss else ""
    lines = [f"No single change lowers the median loss{cap}."]
    n = len(ws["changes"])
    if ws["found"]:
        lines.append(
            f"Together, these {n} changes save {value(ws['saved'], 'money')} (median)"
            f" · contain {duration(ws['median_contain'])}:"
        )
    else:
        lines.append(
            f"Even these {n} changes together save nothing · contain {duration(ws['median_contain'])}:"
        )
    lines += [f"  {i}. {t}" for i, t in enumerate(ws["titles"], 1)]
    return lines


_MD = """# Readiness simulation: {{ d.title }}

Team **{{ d.team.title }}** (`{{ d.team.id }}`){% if d.plan %} under plan **{{ d.plan.title }}** (`{{ d.plan.id }}`){% endif %} · {{ d.summary.runs }} runs · seed {{ d.seed }}

| Milestone | Median | 5th–95th percentile | Reached |
|---|---|---|---|
{% for m in d.summary.milestones.values() -%}
| {{ m.title }} | {{ when(m.median) }} | {{ when(m.p5) }} – {{ when(m.p95) }} | {{ "%.0f%%" % (100 * m.reached) }} |
{% endfor %}
| Meter | Median | 5th–95th percentile |
|---|---|---|
{% for m in d.summary.meters.values() -%}
| {{ m.label }} | {{ value(m.median, m.format) }} | {{ value(m.p5, m.format) }} – {{ value(m.p95, m.format) }} |
{% endfor %}
Readiness: median {{ d.summary.readiness.median }} ({{ d.summary.readiness.p5 }} – {{ d.summary.readiness.p95 }}).
Ratings: {% for k, v in d.summary.ratings.items() %}{{ k }} {{ "%.0f%%" % (100 * v) }}{% if not loop.last %}, {% endif %}{% endfor %}.
{% if d.comparison %}
## Against {{ d.comparison.other }} (same seeds)

| | What {{ d.comparison.other }} saves (median) | 5th–95th percentile |
|---|---|---|
{% for m in d.comparison.meters.values() -%}
| {{ m.label }} | {{ value(m.saved.median, m.format) }} | {{ value(m.saved.p5, m.format) }} – {{ value(m.saved.p95, m.format) }} |
{% endfor -%}
{% for m in d.comparison.milestones.values() -%}
| {{ m.title }}, sooner by | {{ duration(m.sooner_by.median) }} | {{ duration(m.sooner_by.p5) }} – {{ duration(m.sooner_by.p95) }} |
{% endfor %}
{% endif %}
{% if d.weakest_links %}
## Weakest links

| Change | Median loss saved | Median time to contain |
|---|---|---|
{% for w in d.weakest_links -%}
| {{ w.title }} | {{ value(w.saved, "money") }} | {{ duration(w.median_contain) }} |
{% endfor %}
{% if d.weakest_set %}
{% for line in set_lines(d.weakest_set, d.summary) %}{{ line }}
{% endfor %}
{% endif %}
{% endif %}
## Rule pass rates

| Rule | Met |
|---|---|
{% for rule, rate in d.summary.rules.items() if rate is not none -%}
| {{ rule }} | {{ "%.0f%%" % (100 * rate) }} |
{% endfor %}

Generated by {{ generated_by }}.
"""

_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Readiness simulation: {{ d.title }}</title>
<style>
body{font:15px/1.45 system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#1b1f24}
table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border-bottom:1px solid #ddd;padding:.3em .8em;text-align:left}
th{background:#f3f5f7}.figs{display:flex;flex-wrap:wrap;gap:1.5em}figure{margin:0}figcaption{font-weight:600}
.a{fill:#c0392b}.b{fill:#2874a6}.la{stroke:#c0392b}.lb{stroke:#2874a6}svg text{font-size:11px;fill:#444}
</style></head><body>
<h1>Readiness simulation: {{ d.title }}</h1>
<p>Team <b>{{ d.team.title }}</b> (<code>{{ d.team.id }}</code>){% if d.plan %} under plan <b>{{ d.plan.title }}</b> (<code>{{ d.plan.id }}</code>){% endif %}{% if d.comparison %} against <b>{{ d.comparison.other_title }}</b> (<code>{{ d.comparison.other }}</code>){% endif %}
· {{ d.summary.runs }} runs · seed {{ d.seed }} · scenario <code>{{ d.scenario }}</code></p>
<p>{{ d.team.description }}</p>
<div class="figs">
<figure><figcaption>{{ d.loss_label }} per night (histogram)</figcaption>{{ svg.loss | safe }}</figure>
<figure><figcaption>Share of nights contained by each hour (cumulative)</figcaption>{{ svg.contain | safe }}</figure>
</div>
<h2>Milestones</h2>
<table><tr><th>Milestone</th><th>Median</th><th>5th–95th percentile</th><th>Nights reached</th></tr>
{% for m in d.summary.milestones.values() %}<tr><td>{{ m.title }}</td><td>{{ when(m.median) }}</td><td>{{ when(m.p5) }} – {{ when(m.p95) }}</td><td>{{ "%.0f%%" % (100 * m.reached) }}</td></tr>
{% endfor %}</table>
<h2>Impact</h2>
<table><tr><th>Meter</th><th>Median</th><th>5th–95th percentile</th></tr>
{% for m in d.summary.meters.values() %}<tr><td>{{ m.label }}</td><td>{{ value(m.median, m.format) }}</td><td>{{ value(m.p5, m.format) }} – {{ value(m.p95, m.format) }}</td></tr>
{% endfor %}</table>
<p>Readiness: median {{ d.summary.readiness.median }} ({{ d.summary.readiness.p5 }} – {{ d.summary.readiness.p95 }}) ·
ratings {% for k, v in d.summary.ratings.items() %}{{ k }} {{ "%.0f%%" % (100 * v) }} {% endfor %}</p>
{% if d.comparison %}<h2>The comparison: what {{ d.comparison.other }} saves, same seeds</h2>
<table><tr><th></th><th>Median</th><th>5th–95th percentile</th></tr>
{% for m in d.comparison.meters.values() %}<tr><td>{{ m.label }}</td><td>{{ value(m.saved.median, m.format) }}</td><td>{{ value(m.saved.p5, m.format) }} – {{ value(m.saved.p95, m.format) }}</td></tr>
{% endfor %}{% for m in d.comparison.milestones.values() %}<tr><td>{{ m.title }}, sooner by</td><td>{{ duration(m.sooner_by.median) }}</td><td>{{ duration(m.sooner_by.p5) }} – {{ duration(m.sooner_by.p95) }}</td></tr>
{% endfor %}</table>{% endif %}
{% if d.weakest_links %}<h2>Weakest links</h2>
<table><tr><th>Single change</th><th>Median loss saved</th><th>Median time to contain</th></tr>
{% for w in d.weakest_links %}<tr><td>{{ w.title }}</td><td>{{ value(w.saved, "money") }}</td><td>{{ duration(w.median_contain) }}</td></tr>
{% endfor %}</table>
{% if d.weakest_set %}{% set ws = set_lines(d.weakest_set, d.summary) %}<p>{{ ws[0] }} {{ ws[1] }}</p>
<ol>{% for t in d.weakest_set.titles %}<li>{{ t }}</li>{% endfor %}</ol>{% endif %}{% endif %}
<h2>The team model</h2>
<table><tr><th>Role</th><th>People (first choice, then backups)</th><th>On-call rotation</th></tr>
{% for role, people in d.team.roles.items() %}<tr><td>{{ role }}</td><td>{{ people | join(", ") }}</td><td>{{ d.team.rotations.get(role, "none") }}</td></tr>
{% endfor %}</table>
<h2>Rule pass rates</h2>
<table><tr><th>Rule</th><th>Met</th></tr>
{% for rule, rate in d.summary.rules.items() if rate is not none %}<tr><td>{{ rule }}</td><td>{{ "%.0f%%" % (100 * rate) }}</td></tr>
{% endfor %}</table>
<footer><p>Generated by {{ generated_by }}.</p></footer>
</body></html>
"""


def _env(start: datetime, autoescape: bool) -> Environment:
    from drillbook import __version__

    env = Environment(autoescape=autoescape, trim_blocks=False)
    env.globals.update(
        when=lambda v: when(v, start),
        value=value,
        duration=duration,
        set_lines=_set_lines,
        generated_by=f"drillbook {__version__}",  # the mark an -o may later replace unasked
    )
    return env


def markdown(doc: dict[str, Any], start: datetime) -> str:
    return _env(start, False).from_string(_MD).render(d=doc)


def histogram(
    series: list[tuple[str, list[float]]], fmt: str, width: int = 520, height: int = 220
) -> str:
    """Inline SVG: one histogram per series (overlaid, 20 bins over the joint range).

    A long tail (the few nights nobody contained, losing ten times the rest) would squeeze
    every other night into the first bar, so when the largest value is far beyond the 99th
    percentile the bins stop there and the last one holds everything above it ("≥ $X")."""
    values = sorted(v for _, vs in series for v in vs)
    lo, hi = (values[0], values[-1]) if values else (0.0, 1.0)
    if values:
        cut = values[min(len(values) - 1, int(0.99 * len(values)))]
        if cut > lo and hi - lo > 1.5 * (cut - lo):
            hi = cut
    tail = bool(values) and values[-1] > hi
    one_value = hi <= lo  # every night the same (a loss at its cap): one bar, one label
    hi = hi if hi > lo else lo + 1
    bins = 20
    counts = [[0] * bins for _ in series]
    for k, (_, vs) in enumerate(series):
        for v in vs:
            counts[k][min(bins - 1, int((v - lo) / (hi - lo) * bins))] += 1
    top = max((c for row in counts for c in row), default=1) or 1
    pad, w = 30, (width - 40) / bins
    names = " and ".join(name for name, _ in series)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img">',
        f"<title>Histogram of {len(values)} nights ({_esc(names)}), from {value(lo, fmt)} to "
        f"{'above ' if tail else ''}{value(hi, fmt)}; the tallest bar is {top} nights</title>",
    ]
    for k, row in enumerate(counts):
        cls = "a" if k == 0 else "b"
        for i, c in enumerate(row):
            h = (height - 2 * pad) * c / top
            out.append(
                f'<rect class="{cls}" opacity="0.7" x="{30 + i * w:.1f}" y="{height - pad - h:.1f}" width="{w - 2:.1f}" height="{h:.1f}"/>'
            )
    out.append(f'<text x="30" y="{height - 10}">{value(lo, fmt)}</text>')
    if not one_value:
        mid = 30 + (width - 40) / 2
        out.append(
            f'<text x="{mid:.0f}" y="{height - 10}" text-anchor="middle">{value((lo + hi) / 2, fmt)}</text>'
        )
        right = f"≥ {value(hi, fmt)}" if tail else value(hi, fmt)
        out.append(f'<text x="{width - 10}" y="{height - 10}" text-anchor="end">{right}</text>')
    out.append(f'<text x="30" y="{pad - 8}">{top} nights</text>')
    for k, (name, _) in enumerate(series):
        out.append(
            f'<rect class="{"a" if k == 0 else "b"}" x="{width - 200}" y="{8 + 16 * k}" width="10" height="10"/>'
            f'<text x="{width - 185}" y="{17 + 16 * k}">{_esc(name)}</text>'
        )
    out.append("</svg>")
    return "".join(out)


def cumulative(
    series: list[tuple[str, list[float | None]]],
    hours: int = 12,
    width: int = 520,
    height: int = 220,
) -> str:
    """Inline SVG: the share of runs that reached a milestone by each time (first ``hours``)."""
    pad, span = 30, hours * 60
    # The legend sits low on the right: by then the curves have climbed to their plateau at
    # the top (a legend up there was drawn across the 100 % line).
    legend = height - pad - 20 - 16 * (len(series) - 1)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img">',
        f"<title>Share of nights contained by each hour, over the first {hours} hours"
        f" ({_esc(' and '.join(name for name, _ in series))})</title>",
        f'<line x1="{pad}" y1="{height - pad}" x2="{width - 10}" y2="{height - pad}" stroke="#888"/>',
    ]
    for h in range(0, hours + 1, 2):
        x = pad + (width - pad - 10) * h * 60 / span
        end = ' text-anchor="end"' if h == hours else ""  # the last label inside the figure
        out.append(f'<text x="{x:.0f}" y="{height - 12}"{end}>+{h}h</text>')
    for k, (name, vs) in enumerate(series):
        n = len(vs) or 1
        reached = sorted(v for v in vs if v is not None)
        pts = [(pad, height - pad)]
        for i, v in enumerate(reached):
            if v > span:
                break
            x = pad + (width - pad - 10) * v / span
            pts.append((x, pts[-1][1]))
            pts.append((x, height - pad - (height - 2 * pad) * (i + 1) / n))
        pts.append((width - 10, pts[-1][1]))
        d = " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)
        cls = "la" if k == 0 else "lb"
        out.append(f'<polyline class="{cls}" fill="none" stroke-width="2" points="{d}"/>')
        out.append(
            f'<text x="{width - 200}" y="{legend + 16 * k}">{_esc(name)}</text>'
            f'<line class="{cls}" x1="{width - 215}" y1="{legend - 4 + 16 * k}" x2="{width - 203}" y2="{legend - 4 + 16 * k}" stroke-width="2"/>'
        )
    out.append(f'<text x="{pad}" y="{pad - 8}">100%</text></svg>')
    return "".join(out)


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def html(
    doc: dict[str, Any],
    start: datetime,
    results: list[RunResult],
    other: list[RunResult] | None,
    meter: str | None,
) -> str:
    fmt = doc["summary"]["meters"].get(meter, {}).get("format", "count") if meter else "count"
    c = doc.get("comparison") or {}
    series = [(c.get("this", doc["team"]["id"]), results)] + (
        [(c["other"], other)] if other else []
    )
    svg = {
        "loss": histogram(
            [(n, [r.meters.get(meter or "", 0.0) for r in rs]) for n, rs in series], fmt
        ),
        "contain": cumulative([(n, [r.times["contain"] for r in rs]) for n, rs in series]),
    }
    return _env(start, True).from_string(_HTML).render(d=doc, svg=svg)


def _finite(v: float) -> float | None:
    return None if math.isinf(v) else v
