"""The wire format on its own: a command goes out as the journal's fields and comes back the
same command; a seat's kind bounds what it may send."""

from __future__ import annotations

import pytest
from drillbook.net.wire import WireError, command_from_wire, command_message, decode
from drillbook.simulator import commands
from drillbook.simulator.commands import Cancel, Decide, EndPlay, Retime, SendAdhoc

FACILITATOR_COMMANDS = [
    Decide.of("on_call", {"action": "acknowledge", "re": "anomaly-alert"}),
    SendAdhoc(("legal_advisor",), "email", "From the client", "Call me", 30.0, reply_to=4),
    SendAdhoc(("on_call", "data_lead"), "chat", "Ping", "", None),
    Retime("booking-spike", 25.0),
    Cancel("deal-sites"),
    commands.start_clock(),
    commands.set_speed(15),
    commands.jump_to_next_inject(),
    commands.note(text="slow to delegate", capability="command"),
    commands.rating(capability="command", rating="M"),
    commands.lesson(text="page the IC sooner"),
    commands.hot_wash_started(),
    EndPlay("end of play"),
]


@pytest.mark.parametrize("command", FACILITATOR_COMMANDS, ids=lambda c: c.describe())
def test_a_command_comes_back_as_it_went(command: commands.Command) -> None:
    message = decode(__import__("json").dumps(command_message(command, "cid-1")))
    back = command_from_wire(message, "facilitator", None)
    assert back == type(command)(**{**vars(command), "cid": "cid-1"})


@pytest.mark.parametrize(
    ("kind", "role", "command", "code"),
    [
        ("role", "on_call", commands.note(text="x"), "forbidden"),
        ("role", "on_call", Decide.of("data_lead", {"action": "acknowledge"}), "forbidden"),
        ("evaluator", None, commands.rating(capability="command", rating="Z"), "rejected"),
        ("evaluator", None, commands.rating(rating="P"), "rejected"),
        ("evaluator", None, commands.note(text="x" * 5000), "malformed"),
        ("evaluator", None, commands.note(text={"a": 1}), "malformed"),
        ("evaluator", None, commands.pause_clock(), "forbidden"),
        ("observer", None, commands.note(text="x"), "forbidden"),
    ],
)
def test_a_seat_sends_only_what_it_may(kind, role, command, code) -> None:
    with pytest.raises(WireError) as caught:
        command_from_wire(command_message(command, "c1"), kind, role)
    assert caught.value.code == code


@pytest.mark.parametrize("cid", ["", "has space", "x" * 65, "ctrl\x1b[2J", 7])
def test_a_command_id_is_a_short_token(cid: object) -> None:
    message = {"t": "command", "cid": cid, "command": {"type": "evaluator_note", "text": "x"}}
    with pytest.raises(WireError, match="cid"):
        command_from_wire(message, "evaluator", None)


def test_the_clock_verbs_are_the_journals() -> None:
    message = {"t": "command", "cid": "c", "command": {"type": "clock", "verb": "rewind"}}
    with pytest.raises(WireError) as caught:
        command_from_wire(message, "facilitator", None)
    assert caught.value.code == "unknown-command"


@pytest.mark.parametrize(
    ("decision", "says"),
    [
        ({"action": "shout", "params": {}}, "unknown action 'shout'; expected one of: acknowledge"),
        ({"action": "classify", "params": {"severity": "huge"}}, "on_call classify: severity: "),
        ({"action": "acknowledge", "params": {"bogus": 1}}, "on_call acknowledge: bogus: Extra"),
        ({"action": "notify", "params": {}}, "on_call notify: audience: Field required"),
    ],
)
def test_a_decision_that_is_not_one_says_what_is_wrong_in_one_line(decision, says) -> None:
    message = {
        "t": "command",
        "cid": "c1",
        "command": {"type": "action_taken", "role": "on_call", **decision},
    }
    with pytest.raises(WireError) as caught:
        command_from_wire(message, "role", "on_call")
    assert caught.value.code == "rejected"
    assert str(caught.value).startswith(says) and "\n" not in str(caught.value)
    assert "validation error" not in str(caught.value)
