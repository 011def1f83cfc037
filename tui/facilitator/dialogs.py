"""The facilitator's small forms: an ad-hoc inject, a new time, an evaluator note, a rating.

Each returns plain data (or None when cancelled); the facilitator screen hands it to the
session. Times are typed as an offset (``+1:30``) or a day and time of the story (``Wed 09:00``,
``day 3 09:00``; see ``story_time``). A dialog given an ``attempt`` hands its data over *before*
it closes and stays open, everything typed still there, when the session refuses it — the
refusal is shown and the facilitator corrects the one field instead of typing it all again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from drillbook.formats.offsets import fmt_offset
from drillbook.scenarios.model import Channel, Scenario
from drillbook.scoring.status import RATING_TEXT, RATINGS
from drillbook.tui.format import humanise, plain, role_title, styled
from drillbook.tui.story_time import EXAMPLES, StoryTimeError, parse_story_time
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, SelectionList

RATING_WORDS = {r: f"{r} — {RATING_TEXT[r].lower()}" for r in RATINGS}


def _time_input(id_: str, value: str = "") -> Input:
    return Input(value, placeholder=f"{EXAMPLES} (blank: now)", id=id_, compact=True)


class _Dialog(ModalScreen[Any]):
    """ctrl+s (or enter in a box) saves; escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="dialog.save"),
        Binding("escape", "dismiss(None)", "Cancel", id="dialog.cancel"),
    ]
    TITLE_TEXT = ""

    def __init__(self, attempt: Callable[[Any], bool] | None = None) -> None:
        super().__init__()
        self.attempt = attempt

    def finish(self, data: Any) -> None:
        """Close with ``data`` — unless the attempt to use it was refused: then stay open."""
        if self.attempt is not None and not self.attempt(data):
            return
        self.dismiss(data)

    def story_time(self, id_: str, now: float) -> tuple[bool, int | None]:
        """The time typed in box ``id_`` (None if blank); (False, None) once refused."""
        try:
            return True, parse_story_time(self.value(id_), self.scenario, now)
        except StoryTimeError as exc:
            self.refuse(str(exc))
            self.query_one(f"#{id_}").focus()
            return False, None

    def buttons(self) -> ComposeResult:
        with Horizontal(classes="buttons"):
            yield Button("Save (ctrl+s)", variant="primary", id="save", compact=True)
            yield Button("Cancel (esc)", id="cancel", compact=True)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.dismiss(None)

    def on_input_submitted(self) -> None:
        self.action_save()

    def value(self, id_: str) -> Any:
        widget = self.query_one(f"#{id_}")
        if isinstance(widget, Select):
            return None if widget.value is Select.NULL else widget.value
        if isinstance(widget, SelectionList):
            return list(widget.selected)
        assert isinstance(widget, Input)
        return widget.value.strip()

    def action_save(self) -> None:  # pragma: no cover - each dialog defines it
        raise NotImplementedError

    def refuse(self, message: str) -> None:
        self.notify(message, title="Not yet", severity="warning")


def _row(label: str, widget: Any) -> ComposeResult:
    with Horizontal(classes="field"):
        yield Label(plain(label), classes="field-label")
        yield widget


class AdhocDialog(_Dialog):
    """An inject the script did not plan: to whom, through which channel, what it says."""

    def __init__(
        self,
        scenario: Scenario,
        now: float,
        attempt: Callable[[Any], bool] | None = None,
    ) -> None:
        super().__init__(attempt)
        self.scenario = scenario
        self.roles = scenario.role_ids
        self.now = now

    def compose(self) -> ComposeResult:
        channels = Channel.__args__  # type: ignore[attr-defined]
        with Vertical(classes="dialog form"):
            yield Label(plain("Ad-hoc inject", "bold"), classes="dialog-title")
            yield Label("to *", classes="field-label above")
            yield SelectionList[str](
                *((plain(role_title(r, self.scenario)), r, False) for r in self.roles), id="to"
            )
            yield from _row(
                "channel *",
                Select(
                    [(humanise(c), c) for c in channels], value="email", id="channel", compact=True
                ),
            )
            yield from _row("title *", Input(id="title", compact=True, placeholder="what lands"))
            yield from _row("body", Input(id="body", compact=True, placeholder="the message"))
            yield from _row("at", _time_input("at"))
            yield from self.buttons()

    def action_save(self) -> None:
        to, title = self.value("to"), self.value("title")
        if not to or not title:
            self.refuse("An ad-hoc inject needs at least one role and a title.")
            return
        ok, at = self.story_time("at", self.now)
        if not ok:
            return
        self.finish(
            {
                "to": to,
                "channel": self.value("channel"),
                "title": title,
                "body": self.value("body"),
                "at": at,
            }
        )


class RetimeDialog(_Dialog):
    """A new time for an inject that is still waiting to be delivered."""

    def __init__(
        self,
        scenario: Scenario,
        inject_id: str,
        due: float | None,
        now: float,
        attempt: Callable[[Any], bool] | None = None,
    ) -> None:
        super().__init__(attempt)
        self.scenario = scenario
        self.inject_id = inject_id
        self.due = due
        self.now = now

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(
                styled((f"Re-time {self.inject_id}", "bold"), f" (now due {fmt_offset(self.due)})"),
                classes="dialog-title",
            )
            yield from _row("new time *", _time_input("due", fmt_offset(self.due)))
            yield from self.buttons()

    def action_save(self) -> None:
        ok, due = self.story_time("due", self.now)
        if not ok:
            return
        if due is None:
            self.refuse(f"Type the new time, like {EXAMPLES}.")
            return
        self.finish(due)


class NoteDialog(_Dialog):
    """An evaluator's observation, optionally tied to a capability and a role."""

    def __init__(self, capabilities: dict[str, str], scenario: Scenario) -> None:
        super().__init__()
        self.capabilities = capabilities
        self.scenario = scenario
        self.roles = scenario.role_ids

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form"):
            yield Label(plain("Evaluator note", "bold"), classes="dialog-title")
            yield from _row(
                "note *", Input(id="text", compact=True, placeholder="what you observed")
            )
            yield from _row(
                "capability",
                Select(
                    [(plain(title), c) for c, title in self.capabilities.items()],
                    prompt="(none)",
                    id="capability",
                    compact=True,
                ),
            )
            yield from _row(
                "about",
                Select(
                    [(plain(role_title(r, self.scenario)), r) for r in self.roles],
                    prompt="(the team)",
                    id="about",
                    compact=True,
                ),
            )
            yield from self.buttons()

    def action_save(self) -> None:
        text = self.value("text")
        if not text:
            self.refuse("Type the note first.")
            return
        note = {"text": text, "capability": self.value("capability"), "about": self.value("about")}
        self.dismiss({k: v for k, v in note.items() if v})


class RatingDialog(_Dialog):
    """P/S/M/U for one capability, with an optional reason."""

    def __init__(
        self, capabilities: dict[str, str], capability: str | None, rating: str | None
    ) -> None:
        super().__init__()
        self.capabilities = capabilities
        self.capability = capability
        self.rating = rating

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form"):
            yield Label(plain("Rate a capability", "bold"), classes="dialog-title")
            yield from _row(
                "capability *",
                Select(
                    [(plain(title), c) for c, title in self.capabilities.items()],
                    value=self.capability if self.capability in self.capabilities else Select.NULL,
                    id="capability",
                    compact=True,
                ),
            )
            yield from _row(
                "rating *",
                Select(
                    [(RATING_WORDS[r], r) for r in RATINGS],
                    value=self.rating if self.rating in RATINGS else Select.NULL,
                    id="rating",
                    compact=True,
                ),
            )
            yield from _row("why", Input(id="note", compact=True, placeholder="optional"))
            yield from self.buttons()

    def on_mount(self) -> None:
        self.query_one("#note", Input).focus()

    def action_save(self) -> None:
        capability, rating = self.value("capability"), self.value("rating")
        if not capability or not rating:
            self.refuse("Choose the capability and the rating.")
            return
        self.dismiss({"capability": capability, "rating": rating, "note": self.value("note")})
