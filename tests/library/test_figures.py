"""A rate written into an inject's prose against the rate its meters run at (issue 15)."""

from __future__ import annotations

from typing import Any

from drillbook.authoring.lint import lint
from drillbook.scenarios.actions import parse_action
from drillbook.simulator.engine import Engine


def _with_body(body: str, at: int = 20) -> Any:
    def change(d: dict[str, Any]) -> None:
        d["injects"][0]["body"] = body
        d["injects"][0]["at"] = at

    return change


def figures(loaded: Any) -> list[str]:
    return [f.message for f in lint(loaded.scenario) if f.check == "figure-vs-meter"]


def test_a_rate_its_meter_can_leave_before_delivery_is_a_warning(mini):
    found = figures(mini(_with_body("Harm is growing by about 10 a minute.")))
    assert found == [
        "'10 a minute' is one rate of meter 'harm', but by +0:20 it can run at 0 a minute; "
        "expected {harm:rate}, the rate at delivery"
    ]
    # per hour and "about": 600 an hour is the same 10 a minute
    assert figures(mini(_with_body("About 600 per hour so far."))) != []


def test_the_live_placeholder_and_unrelated_figures_pass(mini):
    assert figures(mini(_with_body("Harm is growing by {harm:rate} a minute."))) == []
    assert figures(mini(_with_body("The queue clears 45 a minute."))) == []  # no such rate


def test_the_engine_renders_the_rate_at_delivery(mini):
    loaded = mini(_with_body("Harm: {harm}, growing by {harm:rate} a minute."))
    seen: dict[str, list[dict[str, Any]]] = {"contained": [], "idle": []}
    contained = Engine(loaded.scenario, seed=0)
    contained.listeners.append(seen["contained"].append)
    contained.start()
    contained.run_until(10)
    contained.submit("on_call", parse_action({"action": "contain", "method": "fallback"}))
    contained.run_until(25)
    idle = Engine(loaded.scenario, seed=0)
    idle.listeners.append(seen["idle"].append)
    idle.start()
    idle.run_until(25)

    def body(run: str) -> str:
        return next(
            e["body"]
            for e in seen[run]
            if e["type"] == "inject_delivered" and e["inject"] == "alert"
        )

    assert body("idle") == "Harm: 200, growing by 10 a minute."
    assert body("contained") == "Harm: 100, growing by 0 a minute."
