"""How fast the scorer is on a long journal, as a ratio to playing that journal headless.

The facilitator's console scores after every decision and the report benchmark scores
500-decision journals, so scoring must stay a small multiple of one engine run (it contains
one: the counterfactual). Printed as ratios against the baseline measured in the same run;
not a test, nothing asserts a wall-clock time.

    python bench/bench_score.py
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from drillbook.scenarios import library, load
from drillbook.scenarios.actions import parse_action
from drillbook.scenarios.transcript import Decision, Transcript, load_transcript
from drillbook.scoring import default_plan, score
from drillbook.scoring.files import scenario_client
from drillbook.simulator.headless import run_transcript

REPEAT = 15


def _median(fn: Callable[[], object]) -> float:
    times = []
    for _ in range(REPEAT):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    loaded = load(library.resolve(library.FLAGSHIP))
    plan = default_plan()
    client = scenario_client(loaded.path, loaded.scenario, plan)
    base = load_transcript(library.reference_transcript(library.FLAGSHIP))
    extra = [
        Decision(
            at=30 + i * 0.5,
            role="incident_commander",
            action=parse_action({"action": "status_update", "audience": "response_team"}),
        )
        for i in range(300)
    ] + [
        Decision(
            at=30 + i * 0.7, role="data_lead", action=parse_action({"action": "note", "text": "…"})
        )
        for i in range(500 - 300 - len(base.decisions))
    ]
    big = Transcript(base.scenario, sorted(base.decisions + extra, key=lambda d: d.at), base.seed)
    events = run_transcript(loaded, big).history()
    decisions = sum(e["type"] == "action_taken" for e in events)
    play = _median(lambda: run_transcript(loaded, big))
    scored = _median(lambda: score(loaded.scenario, plan, events, client))
    small = run_transcript(loaded, base).history()
    scored_small = _median(lambda: score(loaded.scenario, plan, small, client))
    print(f"journal: {decisions} decisions, {len(events)} events")
    print(f"score / headless play of the same journal: {scored / play:.2f}×")
    print(
        f"score of {decisions} decisions / score of {len(base.decisions)}: {scored / scored_small:.2f}×"
    )


if __name__ == "__main__":
    main()
