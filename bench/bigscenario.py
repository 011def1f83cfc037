"""Generated inputs for the scale measures: a scenario with N meter-conditioned injects and a
transcript with N decisions. Shared by ``bench/scale_bench.py`` and the tests that count work.

The scenario's base meter changes rate four times (a time rule, then two containments), so
the crossing times of the watched thresholds move during the run, which is the case an index
of thresholds has to get right. Every threshold is distinct and reached before the end of
play, so all N injects fire.
"""

from __future__ import annotations

HEAD = """\
id: big
title: Big
summary: A generated scenario with many injects waiting on meter thresholds.
types: [data]
start: "Mon 09:00"
ends: "+{hours}:00"
roles:
  - id: on_call
  - id: incident_commander
  - id: technical_lead
truth:
  severity: high
  types: [data]
  root_cause: feed
  causes:
    - {{id: feed, label: Feed}}
    - {{id: drift, label: Drift}}
meters:
  - id: units
    label: Units
    rate: 10
    rates:
      - when: {{after: "+0:30"}}
        rate: 20
      - when: {{done: contain, where: {{method: rate_limit}}}}
        rate: 5
      - when: {{done: contain, where: {{method: human_review}}}}
        rate: 2
  - id: cost
    label: Cost
    format: money
    derived: {{from: units, factor: 3}}
sources:
  - id: logs
    kind: log
    title: Logs
    shows: "Units so far: {{units}}"
    minutes: 10
    access: [technical_lead]
injects:
  - id: alert
    at: "+0:05"
    to: [on_call]
    channel: pager
    title: Alert
    body: "{{units}} units"
"""

DECISIONS = (
    '  - {{at: "{at}", role: on_call, action: acknowledge, re: alert}}\n',
    '  - {{at: "{at}", role: technical_lead, action: investigate, source: logs}}\n',
    '  - {{at: "{at}", role: incident_commander, action: note, text: "Entry {i}"}}\n',
    '  - {{at: "{at}", role: incident_commander, action: status_update, audience: leadership}}\n',
)


def threshold(i: int) -> int:
    """The i-th inject's threshold: distinct, increasing, spread over the whole run."""
    return 50 + 7 * i


def big_scenario(n: int) -> str:
    """A scenario with ``n`` injects, the i-th waiting on ``units`` above ``threshold(i)``
    (the odd ones on the derived ``cost`` meter, three times as many dollars)."""
    top = threshold(n)
    hours = int(top / 2 / 60) + 2  # the slowest rate (2/min) still reaches the top in time
    lines = [HEAD.format(hours=hours)]
    for i in range(n):
        meter, k = ("cost", 3 * threshold(i)) if i % 2 else ("units", threshold(i))
        lines.append(
            f"  - id: at-{i}\n"
            f"    when: {{meter: {meter}, above: {k}}}\n"
            f"    to: [incident_commander]\n"
            f"    channel: dashboard\n"
            f"    title: Past {k} {meter}\n"
            f'    body: "Now {{units}} units, {{cost}}."\n'
        )
    return "".join(lines)


def big_run(n: int) -> str:
    """A transcript for ``big_scenario(n)`` with two containments that slow the meter."""
    return (
        "scenario: big\nseed: 1\nactions:\n"
        '  - {at: "+0:06", role: on_call, action: acknowledge, re: alert}\n'
        '  - {at: "+2:00", role: technical_lead, action: contain, method: rate_limit}\n'
        f'  - {{at: "+{max(3, n // 300)}:00", role: technical_lead, action: contain, '
        "method: human_review}\n"
    )


def long_transcript(n: int) -> str:
    """A transcript of ``n`` decisions for the bundled flagship, one a minute."""
    lines = ["scenario: big\nseed: 1\nactions:\n"]
    for i in range(n):
        at = f"+{i // 60}:{i % 60:02d}"
        lines.append(DECISIONS[i % len(DECISIONS)].format(at=at, i=i))
    return "".join(lines)
