"""The simulation cell: players' messages to people outside the table, and the answers.

A player who notifies the client, the regulator, the public or leadership, consults a party
nobody plays, sends a status update out, makes a public statement or sends the final report
is talking to someone the facilitator plays. Those decisions wait here, oldest first, until
the facilitator answers one in that party's name: the answer is an ad-hoc inject to that
player with ``reply_to`` = the decision's event number, so both directions are in the
journal (a decision, then a facilitator change and its delivery) and in the report's timeline.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from drillbook.simulator.events import Kind, Verb
from drillbook.tui.format import humanise, plain, role_title
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

OUTSIDE = frozenset({"client", "regulator", "affected_individuals", "public", "leadership"})


@dataclass(frozen=True)
class OutsideMessage:
    seq: int
    sim: float
    role: str
    party: str
    action: str
    text: str


def party_of(event: dict[str, Any], roles: list[str]) -> str | None:
    """Who outside the table a decision addresses, or None (a message inside the team)."""
    if event.get("type") != Kind.DECISION:
        return None
    p = event.get("params") or {}
    action = event.get("action")
    if action in ("notify", "status_update"):
        party = p.get("audience")
    elif action == "consult":
        party = p.get("with")
        if party in roles:  # a played role answers for itself
            return None
    elif action == "public_statement":
        party = "public"
    elif action == "final_report":
        party = p.get("to", "client")
    else:
        return None
    return party if party in OUTSIDE or (action == "consult" and party) else None


def waiting(events: list[dict[str, Any]], roles: list[str]) -> list[OutsideMessage]:
    """Messages to outside parties not yet answered, oldest first."""
    answered = {
        e.get("reply_to")
        for e in events
        if e.get("type") == Kind.FACILITATOR and e.get("verb") == Verb.ADHOC
    }
    out = []
    for e in events:
        party = party_of(e, roles)
        if party is not None and e["seq"] not in answered:
            p = e.get("params") or {}
            out.append(
                OutsideMessage(
                    e["seq"],
                    float(e["sim"]),
                    e["role"],
                    party,
                    e["action"],
                    str(p.get("message") or p.get("rationale") or ""),
                )
            )
    return out


class CellDialog(ModalScreen[dict[str, Any] | None]):
    """Pick a waiting message, write the answer in its party's name, enter sends it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel", id="cell.cancel"),
    ]

    def __init__(self, messages: list[OutsideMessage]) -> None:
        super().__init__()
        self.messages = {str(m.seq): m for m in messages}
        self.chosen: OutsideMessage | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form"):
            yield Label(
                plain("Simulation cell: messages to outside parties", "bold"),
                classes="dialog-title",
            )
            yield OptionList(
                *(
                    Option(
                        plain(
                            f"{role_title(m.role)} → {humanise(m.party)} "
                            f"({humanise(m.action)}): {m.text[:60]}"
                        ),
                        id=key,
                    )
                    for key, m in self.messages.items()
                ),
                id="waiting",
            )
            yield Input(id="reply", compact=True, placeholder="the answer, in that party's name")
            yield Label(
                "choose a message, type the answer, enter sends · esc closes", classes="hint"
            )

    def on_mount(self) -> None:
        if not self.messages:
            self.query_one("#waiting", OptionList).add_option(
                Option("Nothing is waiting for an answer.", disabled=True)
            )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.chosen = self.messages.get(event.option.id or "")
        self.query_one("#reply", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        listing = self.query_one("#waiting", OptionList)
        if self.chosen is None and listing.highlighted is not None:
            option = listing.get_option_at_index(listing.highlighted)
            self.chosen = self.messages.get(option.id or "")
        text = event.value.strip()
        if self.chosen is None or not text:
            self.notify("Choose a message and write the answer first.", severity="warning")
            return
        self.dismiss({"message": self.chosen, "body": text})


def reply_command(message: OutsideMessage, body: str) -> Any:
    """The ad-hoc inject that answers ``message`` in its party's name."""
    from drillbook.simulator.commands import SendAdhoc

    title = f"Reply from the {humanise(message.party)}"
    channel = "email" if message.party in ("client", "regulator", "leadership") else "phone"
    if message.party == "public":
        channel = "social"
    return SendAdhoc((message.role,), channel, title, body, reply_to=message.seq)


def open_cell(app: Any) -> None:
    """Open the queue on ``app`` (the DrillbookApp); an answer is applied like any change."""
    if app.session is None:
        return

    def answer(data: dict[str, Any] | None) -> None:
        if data and app.apply(reply_command(data["message"], data["body"])):
            app.notify(f"Answered in the name of {humanise(data['message'].party)}.")

    app.push_screen(CellDialog(waiting(app.session.history(), app.scenario.role_ids)), answer)
