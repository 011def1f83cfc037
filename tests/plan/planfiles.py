"""A small plan that passes every check and lint, and ways to break it one lint at a time."""

from __future__ import annotations

from pathlib import Path

CLEAN = """\
id: tiny
title: Tiny plan
version: "1"
changelog:
  - version: "1"
    changes: [First version.]
source: "A tiny plan"
criteria:
  questions: [Is anyone being harmed right now?]
severities:
  critical: {title: Critical, response: "+0:15", tell: [response_team, client]}
  high: {title: High, response: "+1:00", tell: [response_team]}
  medium: {title: Medium, response: "+48:00", tell: [response_team]}
  low: {title: Low, response: "+168:00", tell: [response_team]}
roles:
  - {id: on_call, title: On-call engineer, duty: Assesses and escalates.}
  - {id: incident_commander, title: Incident Commander, duty: Runs the response.}
phases:
  - {id: immediate, title: Immediate response}
  - {id: post_incident, title: Post-incident}
capabilities:
  detection: {title: Detection}
  notification: {title: Notification}
steps:
  - id: acknowledge
    title: Detect and confirm
    phase: immediate
    action: acknowledge
    roles: [on_call, incident_commander]
    text: "Detect and confirm."
  - id: notify-client
    title: Notify the client
    phase: immediate
    action: notify
    where: {audience: client}
    roles: [incident_commander]
    after: [acknowledge]
    text: "Initial notification within 1 hour."
  - id: notify-other
    title: Notify others
    phase: post_incident
    action: notify
    roles: [incident_commander]
    text: "Notify regulators."
rules:
  - id: acknowledge-alert
    kind: deadline
    title: Acknowledge the alert
    capability: detection
    step: acknowledge
    windows: {critical: "+0:15", high: "+1:00", medium: "+48:00", low: "+168:00"}
    source: "Detect and confirm."
  - id: notify-client
    kind: deadline
    title: Notify the client
    capability: notification
    step: notify-client
    windows: {critical: "+1:00", high: "+4:00"}
    source: "Initial notification within 1 hour."
  - id: notification-clocks
    kind: deadline
    title: Meet every clock
    capability: notification
    step: notify-other
    obligations: true
    source: "Notify regulators."
"""


def write(tmp: Path, text: str = CLEAN, name: str = "plan.yaml") -> Path:
    path = tmp / name
    path.write_text(text, encoding="utf-8")
    return path


def broken(old: str, new: str, text: str = CLEAN) -> str:
    """The clean plan with one change; fails loudly if the text to change is not there."""
    assert old in text, old
    return text.replace(old, new, 1)
