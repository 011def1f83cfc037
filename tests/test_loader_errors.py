"""Every kind of bad scenario file ends in one placed line saying what was expected.

Each case edits the small MINI scenario; the expected ``line:col`` is read off the edited
text (where the offending value or key sits), so the assertion is exact.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from drillbook.formats.yamlsource import InputError
from drillbook.scenarios.loader import load
from enginekit import MINI, position_of, with_injects


@pytest.fixture
def problems(write: Callable[[str, str], Path]) -> Callable[[str], list[str]]:
    """Load ``text`` as ``s.yaml``; return its problems as ``s.yaml:line:col: message``."""

    def _problems(text: str) -> list[str]:
        path = write("s.yaml", text)
        with pytest.raises(InputError) as info:
            load(path)
        return [str(p).replace(str(path), "s.yaml") for p in info.value.problems]

    return _problems


def at(text: str, needle: str, nth: int = 1) -> str:
    line, col = position_of(text, needle, nth)
    return f"s.yaml:{line}:{col}"


def conditional(when: str) -> str:
    return with_injects(MINI, f"- {{id: c, when: {when}, to: [on_call], channel: chat, title: C}}")


def test_the_base_scenario_is_valid(write: Callable[[str, str], Path]) -> None:
    assert load(write("s.yaml", MINI)).scenario.id == "mini"


def test_malformed_yaml(problems: Callable[[str], list[str]]) -> None:
    text = MINI.replace("summary: A small scenario.", "summary: [unclosed")
    # PyYAML notices the missing ']' on the next line, after the key "types"
    line, _ = position_of(text, "types")
    assert problems(text) == [f"s.yaml:{line}:6: malformed YAML: did not find expected ',' or ']'"]


def test_duplicate_key(problems: Callable[[str], list[str]]) -> None:
    text = MINI.replace("    channel: pager\n", "    channel: pager\n    channel: chat\n")
    first, _ = position_of(text, "channel")
    assert problems(text) == [
        f"{at(text, 'channel', 2)}: duplicate key 'channel' (first at line {first}); "
        "expected each key once"
    ]


def test_unknown_field_lists_the_expected_fields(problems: Callable[[str], list[str]]) -> None:
    text = MINI.replace("title: Mini\n", "title: Mini\ncolour: red\n")
    assert problems(text) == [
        f"{at(text, 'colour')}: unknown field 'colour' in (top level); expected one of: based_on, "
        "client, clock, conditions, date, discussion, ends, id, injects, meters, no_client, "
        "objectives, phases, roles, sources, start, summary, title, truth, types"
    ]
    text = MINI.replace("    channel: pager\n", "    channel: pager\n    colour: red\n")
    assert problems(text) == [
        f"{at(text, 'colour')}: unknown field 'colour' in injects[0]; expected one of: at, "
        "attachments, body, channel, delay, expects, id, phase, question, sender, title, to, when"
    ]


def test_unknown_field_in_a_condition_is_the_field_not_the_tag(
    problems: Callable[[str], list[str]],
) -> None:
    text = conditional('{done: contain, byy: "+1:00"}')
    assert problems(text) == [
        f"{at(text, 'byy')}: unknown field 'byy' in injects[1].when; "
        "expected one of: by, done, role, where"
    ]


def test_wrong_type(problems: Callable[[str], list[str]]) -> None:
    text = MINI.replace("    rate: 10\n", "    rate: lots\n")
    assert problems(text) == [
        f"{at(text, 'lots')}: meters[0].rate: 'lots' is not allowed; expected a valid number, "
        "unable to parse string as a number"
    ]
    text = MINI.replace("    to: [on_call]\n", "    to: on_call\n")
    assert problems(text) == [
        at(text, "on_call\n    channel")
        + ": injects[0].to: 'on_call' is not allowed; expected a valid list"
    ]


def test_a_missing_field_is_named(problems: Callable[[str], list[str]]) -> None:
    text = MINI.replace("    title: Alert\n", "")
    assert problems(text) == [
        f"{at(text, 'id: alert')}: injects[0].title: required field is missing"
    ]


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("1:30", '"1:30" is not an offset; expected "+H:MM" (quoted) or whole minutes'),
        ("no", '"no" is not an offset; expected "+H:MM" (quoted) or whole minutes'),
        ('"+1:3"', '"+1:3" is not an offset; expected "+H:MM" (quoted) or whole minutes'),
        ("1.5", '1.5 is not an offset; expected "+H:MM" or whole minutes'),
        ('"-0:05"', '"-0:05" is before the start; expected "+H:MM" from the start'),
        ("-5", "-5 is before the start; expected 0 or more minutes"),
    ],
)
def test_an_offset_that_is_not_plus_h_mm(
    problems: Callable[[str], list[str]], written: str, message: str
) -> None:
    text = MINI.replace('    at: "+0:05"\n', f"    at: {written}\n")
    assert problems(text) == [f"{at(text, written)}: injects[0].at: {message}"]


def test_an_unquoted_end_of_play(problems: Callable[[str], list[str]]) -> None:
    text = MINI.replace('ends: "+2:00"', "ends: 2:00")
    assert problems(text) == [
        f'{at(text, "2:00")}: ends: "2:00" is not an offset; expected "+H:MM" (quoted) or whole minutes'
    ]


def test_unknown_role(problems: Callable[[str], list[str]]) -> None:
    text = MINI.replace("    to: [on_call]\n", "    to: [janitor]\n")
    assert problems(text) == [
        f"{at(text, 'janitor')}: role 'janitor' is not in play; expected one of: on_call, "
        "incident_commander"
    ]


def test_a_role_not_in_play(problems: Callable[[str], list[str]]) -> None:
    text = MINI.replace("access: [on_call]", "access: [legal_advisor]")
    assert problems(text) == [
        f"{at(text, 'legal_advisor')}: role 'legal_advisor' is not in play; "
        "expected one of: on_call, incident_commander"
    ]


def test_unknown_action(problems: Callable[[str], list[str]]) -> None:
    text = MINI.replace("    channel: pager\n", "    channel: pager\n    expects: [dance]\n")
    [line] = problems(text)
    assert line.startswith(
        f"{at(text, '[dance]')}: injects[0].expects: 'dance' is not an action; "
        "expected one of: acknowledge, escalate,"
    )
    text = conditional("{done: dance}")
    [line] = problems(text)
    assert line.startswith(
        f"{at(text, 'dance')}: injects[1].when.done: 'dance' is not an action; expected one of: "
    )


@pytest.mark.parametrize(
    ("when", "needle", "message"),
    [
        ("{delivered: ghost}", "ghost", "unknown inject 'ghost'; expected one of: alert, c"),
        ("{investigated: ghost}", "ghost", "unknown source 'ghost'; expected one of: logs"),
        ("{meter: ghost, above: 5}", "ghost", "unknown meter 'ghost'; expected one of: tickets"),
        (
            "{done: contain, role: legal_advisor}",
            "legal_advisor",
            "role 'legal_advisor' is not in play; expected one of: incident_commander, on_call",
        ),
        (
            "{done: contain, where: {colour: red}}",
            "red",
            "'contain' has no parameter 'colour'; expected one of: method",
        ),
        (
            "{chosen: {inject: ghost, option: x}}",
            "ghost",
            "unknown inject 'ghost'; expected one of: (none asks one)",
        ),
        (
            '{all: [{after: "+0:10"}, {not: {meter: ghost, above: 1}}]}',
            "ghost",
            "unknown meter 'ghost'; expected one of: tickets",
        ),
    ],
)
def test_a_condition_naming_something_that_does_not_exist(
    problems: Callable[[str], list[str]], when: str, needle: str, message: str
) -> None:
    text = conditional(when)
    assert problems(text) == [f"{at(text, needle)}: {message}"]


def test_unknown_option(problems: Callable[[str], list[str]]) -> None:
    text = with_injects(
        MINI,
        """
        - id: ask
          at: 10
          to: [on_call]
          channel: chat
          title: Ask
          question: {prompt: P, options: [{id: yes-do, label: Y}, {id: no-do, label: N}]}
        - {id: c, when: {chosen: {inject: ask, option: maybe}}, to: [on_call], channel: chat, title: C}
        """,
    )
    assert problems(text) == [
        f"{at(text, 'maybe')}: inject 'ask' has no option 'maybe'; expected one of: yes-do, no-do"
    ]


def test_unknown_meter_in_a_body_and_a_derived_meter(problems: Callable[[str], list[str]]) -> None:
    text = MINI.replace('body: "{tickets} sold"', 'body: "{tix} sold"')
    assert problems(text) == [
        at(text, '"{tix} sold') + ": '{tix}' names no meter; expected one of: tickets"
    ]
    text = MINI.replace(
        "sources:", "  - {id: cost, label: C, derived: {from: gone, factor: 2}}\nsources:"
    )
    assert problems(text) == [
        f"{at(text, 'gone')}: meter 'gone' is not a base meter; expected one of: tickets"
    ]


def test_every_problem_in_one_pass_in_file_order(problems: Callable[[str], list[str]]) -> None:
    text = conditional("{delivered: ghost}").replace("root_cause: feed", "root_cause: aliens")
    lines = problems(text)
    assert [line.split(": ")[0] for line in lines] == [at(text, "aliens"), at(text, "ghost")]


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        load(tmp_path / "gone.yaml")
    assert [str(p) for p in info.value.problems] == [f"{tmp_path / 'gone.yaml'}: no such file"]


def test_a_list_at_the_top(problems: Callable[[str], list[str]]) -> None:
    assert problems("- a\n- b\n") == ["s.yaml:1:1: expected a YAML mapping at the top level"]
