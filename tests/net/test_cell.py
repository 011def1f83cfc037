"""The simulation cell: a message to an outside party waits in the facilitator's queue; the
answer, in that party's name, is an ad-hoc inject to the player that says what it replies to."""

from __future__ import annotations

from drillbook.scenarios import library, load
from drillbook.simulator import commands
from drillbook.simulator.commands import Decide
from drillbook.simulator.journal import Journal
from drillbook.simulator.replay import replay
from drillbook.simulator.session import RunSettings, Session
from drillbook.tui.facilitator.cell import CellDialog, party_of, waiting
from drillbook.tui.factory import make_app
from netkit import Wall
from textual.widgets import Input, OptionList

ROLES = ["on_call", "incident_commander", "communications_lead", "legal_advisor"]


def decision(seq: int, action: str, **params: object) -> dict:
    return {
        "seq": seq,
        "type": "action_taken",
        "sim": 1.0,
        "role": "communications_lead",
        "action": action,
        "params": params,
    }


def test_who_is_outside_the_table() -> None:
    assert party_of(decision(1, "notify", audience="client"), ROLES) == "client"
    assert party_of(decision(1, "notify", audience="response_team"), ROLES) is None
    assert party_of(decision(1, "consult", **{"with": "legal_advisor"}), ROLES) is None  # played
    assert (
        party_of(decision(1, "consult", **{"with": "legal_advisor"}), ["on_call"])
        == "legal_advisor"
    )
    assert party_of(decision(1, "public_statement", message="x"), ROLES) == "public"
    assert party_of(decision(1, "contain", method="fallback"), ROLES) is None
    answered = {"seq": 3, "type": "facilitator", "sim": 2.0, "verb": "adhoc", "reply_to": 1}
    events = [decision(1, "notify", audience="client"), decision(2, "notify", audience="regulator")]
    assert [m.seq for m in waiting(events, ROLES)] == [1, 2]
    assert [m.seq for m in waiting([*events, answered], ROLES)] == [2]


async def test_the_facilitator_answers_for_the_client_and_the_player_hears_it(tmp_path) -> None:
    path = tmp_path / "run.jsonl"
    wall = Wall()
    loaded = load(library.resolve(library.FLAGSHIP))
    session = Session(loaded, RunSettings(seed=1), journal=Journal(path), wall=wall)
    session.start()
    session.apply(commands.set_speed(60))
    session.apply(commands.start_clock())
    wall.t = 25
    asked = session.apply(
        Decide.of(
            "communications_lead",
            {"action": "notify", "audience": "client", "message": "Fares mispriced"},
        )
    )
    app = make_app(session=session)
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("o")
        dialog = app.screen
        assert isinstance(dialog, CellDialog) and list(dialog.messages) == [str(asked["seq"])]
        dialog.query_one(OptionList).highlighted = 0
        dialog.query_one(Input).value = "Thank you. Call me at 06:00 with the numbers."
        dialog.query_one(Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, CellDialog)
        assert waiting(session.history(), loaded.scenario.role_ids) == []
        app.finish()
    events = session.history()
    change = next(
        e for e in events if e["type"] == "facilitator" and e.get("reply_to") == asked["seq"]
    )
    delivered = next(
        e for e in events if e["type"] == "inject_delivered" and e["inject"] == change["inject"]
    )
    assert delivered["to"] == ["communications_lead"] and delivered["reply_to"] == asked["seq"]
    assert "06:00" in delivered["body"] and delivered["title"] == "Reply from the client"
    assert delivered in session.history("communications_lead")
    assert replay(path).ok  # the reply replays like every other change
