"""A small clean scenario to break one way at a time, for the lint checks."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from drillbook.scenarios import load
from drillbook.scenarios.loader import LoadedScenario

CLEAN: dict[str, Any] = {
    "id": "mini",
    "title": "Mini",
    "summary": "A small scenario for lint tests.",
    "types": ["performance"],
    "start": "Wed 09:00",
    "ends": "+4:00",
    "roles": [{"id": "on_call"}, {"id": "incident_commander"}],
    "truth": {
        "severity": "high",
        "types": ["performance"],
        "root_cause": "a",
        "causes": [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}],
        "revealed_by": ["dash"],
    },
    "meters": [
        {
            "id": "harm",
            "label": "Harm",
            "rate": 10,
            "cap": 1000,
            "rates": [{"when": {"done": "contain"}, "rate": 0}],
        }
    ],
    "sources": [
        {"id": "dash", "kind": "dashboard", "title": "Dash", "shows": "x", "access": ["on_call"]}
    ],
    "injects": [
        {
            "id": "alert",
            "at": 5,
            "to": ["on_call"],
            "channel": "pager",
            "title": "Alert",
            "expects": ["acknowledge", "contain"],
        },
        {
            "id": "ask",
            "at": 30,
            "to": ["incident_commander"],
            "channel": "email",
            "title": "Ask",
            "question": {
                "prompt": "Which?",
                "options": [{"id": "x", "label": "X"}, {"id": "y", "label": "Y"}],
            },
        },
        {
            "id": "after-x",
            "when": {"chosen": {"inject": "ask", "option": "x"}},
            "to": ["on_call"],
            "channel": "chat",
            "title": "X",
            "expects": ["notify"],
        },
        {
            "id": "after-y",
            "when": {"chosen": {"inject": "ask", "option": "y"}},
            "to": ["on_call"],
            "channel": "chat",
            "title": "Y",
            "expects": ["notify"],
        },
        {
            "id": "late",
            "when": {"not_done": "contain", "by": 60},
            "to": ["incident_commander"],
            "channel": "chat",
            "title": "Late",
            "expects": ["contain"],
        },
    ],
}


@pytest.fixture
def mini(tmp_path: Path) -> Callable[..., LoadedScenario]:
    """``mini(change)``: the clean scenario, changed by ``change(data)``, written and loaded."""

    def make(change: Callable[[dict[str, Any]], None] | None = None) -> LoadedScenario:
        data = copy.deepcopy(CLEAN)
        if change:
            change(data)
        path = tmp_path / "mini.yaml"
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        return load(path)

    return make
