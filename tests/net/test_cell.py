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
        app.action_simulation_cell()  # the palette's "Simulation cell" line
        await pilot.pause()
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


class Desk:
    """The host's seat desk as the console sees it (net.host behind drillbook host)."""

    url = "ws://127.0.0.1:8765"

    def __init__(self) -> None:
        self.codes = {"facilitator": "f-code", "on_call": "o-code"}
        self.reissued: list[str] = []

    def rows(self) -> list[tuple[str, str, bool]]:
        return [(s, c, s == "on_call") for s, c in self.codes.items()]

    def reissue(self, seat: str) -> str:
        self.reissued.append(seat)
        self.codes[seat] = f"new-{seat}"
        return self.codes[seat]


async def test_the_seat_codes_dialog_lists_seats_and_reissues_a_code() -> None:
    from drillbook.tui.seat_codes import SeatCodesDialog

    loaded = load(library.resolve(library.FLAGSHIP))
    session = Session(loaded, RunSettings(), wall=Wall())
    session.start()
    desk = Desk()
    app = make_app(session=session, seat_codes=desk)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert any("Seats" in c.title for c in app.palette_commands())
        app.action_seat_codes()
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, SeatCodesDialog)
        listing = dialog.query_one(OptionList)
        shown = [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]
        assert "o-code" in shown[1] and "joined" in shown[1] and "free" in shown[0]
        listing.highlighted = 1
        await pilot.press("enter")
        await pilot.pause()
        assert desk.reissued == ["on_call"]
        assert "new-on_call" in str(listing.get_option_at_index(1).prompt)
        await pilot.press("escape")
