"""The card's decision log is made when first read (``DecisionLog``): it must say exactly
what a log made with the card would have, whatever happened to the events since."""

from __future__ import annotations

import copy
import json
import pickle

from drillbook.scenarios import library
from drillbook.scenarios.loader import load
from drillbook.scenarios.transcript import load_transcript
from drillbook.scoring import default_plan, score
from drillbook.scoring.files import scenario_client
from drillbook.scoring.scorecard import DecisionLog
from drillbook.simulator.headless import run_transcript
from drillbook.simulator.session import RunSettings


def _played() -> tuple:
    loaded = load(library.resolve(library.FLAGSHIP))
    plan = default_plan()
    client = scenario_client(loaded.path, loaded.scenario, plan)
    transcript = load_transcript(library.reference_transcript(library.FLAGSHIP))
    events = run_transcript(loaded, transcript, RunSettings(seed=1, mode="headless")).history()
    return loaded.scenario, plan, client, events


def test_a_log_read_late_says_what_one_read_at_once_says() -> None:
    scenario, plan, client, events = _played()
    at_once = score(scenario, plan, list(events), client)
    expected = [d.to_json() for d in at_once.decisions]
    live = list(events)
    late = score(scenario, plan, live, client)
    # what a console does between scores: the history it handed over grows and is replaced
    last = next(e for e in reversed(live) if e["type"] == "action_taken")
    live.append({**last, "seq": live[-1]["seq"] + 1, "sim": live[-1]["sim"] + 5})
    live[:] = [{**e, "role": "legal_advisor"} if "role" in e else e for e in live]
    assert isinstance(late.decisions, DecisionLog)
    assert [d.to_json() for d in late.decisions] == expected
    assert len(expected) == sum(1 for e in events if e["type"] == "action_taken")


def test_the_log_reads_and_compares_as_the_list_it_stands_for() -> None:
    scenario, plan, client, events = _played()
    card = score(scenario, plan, events, client)
    log = card.decisions
    items = list(log)
    assert log == items and items == log and log[0] == items[0] and log[-2:] == items[-2:]
    assert len(log) == len(items) and items[3] in log
    assert pickle.loads(pickle.dumps(card)).decisions == items
    assert type(pickle.loads(pickle.dumps(log))) is list
    assert copy.deepcopy(card).decisions == items
    json.dumps(card.to_json())  # plain data all through
