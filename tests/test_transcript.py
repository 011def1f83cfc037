"""Decision scripts: read in time order, every bad entry placed, every id checked against the scenario."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from drillbook.formats.yamlsource import InputError
from drillbook.scenarios.loader import load
from drillbook.scenarios.transcript import check_against, load_transcript
from enginekit import MINI, position_of, with_injects

HEAD = "scenario: mini\nactions:\n"
ASK = (
    "- {id: ask, at: 30, to: [on_call], channel: chat, title: Ask, "
    "question: {prompt: P, options: [{id: go, label: Go}, {id: stop, label: Stop}]}}"
)


@pytest.fixture
def problems(write: Callable[[str, str], Path]) -> Callable[[str], list[str]]:
    """Load a transcript (and check it against MINI); its problems as ``t.yaml:line:col: …``."""

    def _problems(text: str) -> list[str]:
        path = write("t.yaml", text)
        scenario = load(write("s.yaml", with_injects(MINI, ASK))).scenario
        with pytest.raises(InputError) as info:
            check_against(load_transcript(path), scenario)
        return [str(p).replace(str(path), "t.yaml") for p in info.value.problems]

    return _problems


def at(text: str, needle: str) -> str:
    line, col = position_of(text, needle)
    return f"t.yaml:{line}:{col}"


def test_decisions_are_played_in_time_order_ties_in_file_order(
    write: Callable[[str, str], Path],
) -> None:
    t = load_transcript(
        write(
            "t.yaml",
            HEAD
            + '  - {at: "+0:10", role: on_call, action: note, text: second}\n'
            + "  - {at: 5, role: on_call, action: note, text: first}\n"
            + '  - {at: "+0:10", role: incident_commander, action: note, text: third}\n'
            + '  - {at: "+240:00", role: on_call, action: close}\n',
        )
    )
    assert [(d.at, d.action.action, d.entry) for d in t.decisions] == [
        (5.0, "note", 1),
        (10.0, "note", 0),
        (10.0, "note", 2),
        (14400.0, "close", 3),
    ]
    assert [getattr(d.action, "text", None) for d in t.decisions] == [
        "first",
        "second",
        "third",
        None,
    ]
    assert t.seed is None and t.scenario == "mini"


@pytest.mark.parametrize(
    ("entry", "needle", "message"),
    [
        (
            '{at: "-0:05", role: on_call, action: acknowledge}',
            '"-0:05"',
            'actions[0].at: "-0:05" is before the start; expected "+H:MM" from the start',
        ),
        (
            "{at: 1:30, role: on_call, action: acknowledge}",
            "1:30",
            'actions[0].at: "1:30" is not an offset; expected "+H:MM" (quoted) or whole minutes',
        ),
        (
            "{at: no, role: on_call, action: acknowledge}",
            "no,",
            'actions[0].at: "no" is not an offset; expected "+H:MM" (quoted) or whole minutes',
        ),
        (
            # any id may be a role (a scenario declares its own); a name that is not an id
            "{at: 10, role: Janitor, action: acknowledge}",
            "Janitor",
            "unknown role 'Janitor'; expected a role id (the article's: on_call, "
            "incident_commander, technical_lead, communications_lead, data_lead, legal_advisor)",
        ),
        (
            "{at: 10, role: on_call, action: classify, severity: huge, types: [data]}",
            "huge",
            "actions[0].severity: 'huge' is not allowed; expected 'critical', 'high', 'medium' or 'low'",
        ),
        (
            "{at: 10, role: on_call, action: acknowledge, colour: red}",
            "colour",
            "actions[0].colour: 'acknowledge' takes no parameter 'colour'; "
            "expected one of: rationale, re",
        ),
        (
            "{at: 10, role: on_call, action: escalate}",
            "{at",
            "actions[0]: 'escalate' needs 'to'",
        ),
        ("{role: on_call, action: escalate}", "{role", "actions[0]: 'at' is missing"),
        (
            "just words",
            "just",
            "actions[0]: 'just words' is not allowed; expected a valid dictionary",
        ),
    ],
)
def test_a_bad_entry_is_placed(
    problems: Callable[[str], list[str]], entry: str, needle: str, message: str
) -> None:
    text = HEAD + f"  - {entry}\n"
    assert problems(text) == [f"{at(text, needle)}: {message}"]


def test_unknown_action_lists_the_contract(problems: Callable[[str], list[str]]) -> None:
    text = HEAD + "  - {at: 10, role: on_call, action: dance}\n"
    [line] = problems(text)
    assert line.startswith(
        f"{at(text, 'dance')}: actions[0].action: unknown action 'dance'; "
        "expected one of: acknowledge, escalate, assign_role, classify,"
    )
    assert line.endswith("answer, note")


@pytest.mark.parametrize(
    ("params", "needle", "message"),
    [
        (
            "role: incident_commander, action: escalate, to: legal_advisor",
            "legal_advisor",
            "+0:10 incident_commander escalate: role 'legal_advisor' is not in play",
        ),
        (
            "role: technical_lead, action: acknowledge",
            "technical_lead",
            "+0:10 technical_lead acknowledge: role 'technical_lead' is not in play; "
            "expected one of: on_call, incident_commander",
        ),
        (
            "role: on_call, action: investigate, source: ghost",
            "ghost",
            "+0:10 on_call investigate: unknown source 'ghost'; expected one of: logs",
        ),
        (
            "role: on_call, action: answer, inject: ghost, option: x",
            "ghost",
            "+0:10 on_call answer: unknown inject 'ghost'",
        ),
        (
            "role: on_call, action: answer, inject: alert, option: x",
            "alert",
            "+0:10 on_call answer: inject 'alert' asks no question",
        ),
        (
            "role: on_call, action: answer, inject: ask, option: maybe",
            "maybe",
            "+0:10 on_call answer: unknown option 'maybe'; expected one of: go, stop",
        ),
        (
            "role: on_call, action: diagnose, root_cause: aliens",
            "aliens",
            "+0:10 on_call diagnose: unknown root cause 'aliens'; expected one of: drift, feed",
        ),
        (
            "role: on_call, action: acknowledge, re: ghost",
            "ghost",
            "+0:10 on_call acknowledge: unknown inject 'ghost'",
        ),
        (
            "role: on_call, action: assess_regulatory, obligations: [gdpr]",
            "[gdpr]",
            "+0:10 on_call assess_regulatory: unknown obligation 'gdpr'; expected one of: (none)",
        ),
    ],
)
def test_ids_are_checked_against_the_scenario(
    problems: Callable[[str], list[str]], params: str, needle: str, message: str
) -> None:
    text = HEAD + f'  - {{at: "+0:10", {params}}}\n'
    assert problems(text) == [f"{at(text, needle)}: {message}"]


def test_a_transcript_for_another_scenario(problems: Callable[[str], list[str]]) -> None:
    assert problems("scenario: other\nactions: []\n") == [
        "t.yaml:1:1: transcript is for scenario 'other'; expected 'mini'"
    ]


def test_unknown_top_level_field(problems: Callable[[str], list[str]]) -> None:
    text = "scenario: mini\nsed: 3\nactions: []\n"
    assert problems(text) == [
        "t.yaml:2:1: unknown field 'sed' in (top level); expected one of: actions, scenario, seed, title"
    ]
