"""A decision: pick an action of the contract, fill in its parameters, record it.

The form is generated from the action's pydantic model (see ``form_fields``). It checks the
data against the contract before anything is sent, so a missing severity is a line on screen
rather than a rejected decision; the engine's own refusals (an inject not received yet, a
role out of play) come back through the app's submit path as a notification, and the form
stays open with everything typed so far.
"""

from __future__ import annotations

from typing import Any, ClassVar

from drillbook.scenarios.actions import ACTION_NAMES, describe
from drillbook.simulator.events import Kind
from drillbook.tui.base import Seated
from drillbook.tui.format import clean, humanise, plain, styled
from drillbook.tui.plan_steps import served_line
from drillbook.tui.story_time import EXAMPLES, StoryTimeError, parse_story_time
from drillbook.tui.widgets.choice_dialog import ChoiceDialog
from drillbook.tui.widgets.form_fields import Desk, FieldSpec, answer_options, check, field_specs
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Select, SelectionList, Switch, TextArea

ACTION_HELP: dict[str, str] = {
    "acknowledge": "you have seen it and own it for now",
    "escalate": "pull in another role",
    "assign_role": "name who takes a role",
    "classify": "severity and incident types",
    "contain": "stop the harm (fallback, offline…)",
    "preserve_evidence": "keep logs, outputs, snapshots first",
    "notify": "tell team, leadership, client, public…",
    "status_update": "a regular update",
    "assess_regulatory": "which notification duties apply",
    "investigate": "look into a source; findings come later",
    "diagnose": "name the root cause",
    "assess_impact": "who and how many were affected",
    "test_fix": "try a fix outside production first",
    "remediate": "apply a fix (tested or not)",
    "verify_fix": "confirm the fix holds",
    "remediate_harm": "put things right for those affected",
    "consult": "check with legal, client, leadership",
    "public_statement": "speak publicly, one spokesperson",
    "resolve": "declare the incident resolved",
    "schedule_review": "book the post-incident review",
    "final_report": "written incident report to the client",
    "add_action_item": "an improvement, owner and due date",
    "close": "close the incident",
    "answer": "answer an inject's question",
    "note": "write in the decision log",
}


def options_shown(options: list[tuple[str, str]]) -> list[tuple[Any, str]]:
    """A picker's (label, value) pairs as a ``Select`` shows them: labels come from the
    scenario (source titles, causes, inject titles, answer options), so they are plain text."""
    return [(plain(label), value) for label, value in options]


def action_choices() -> list[tuple[str, str]]:
    return [(f"{humanise(a):<18} {ACTION_HELP.get(a, '')}", a) for a in ACTION_NAMES]


class ActionForm(Seated, ModalScreen[dict[str, Any] | None]):
    """The parameters of one action for one role; ctrl+s (or enter in a box) records it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "record", "Record decision", id="form.record"),
        Binding("escape", "dismiss(None)", "Cancel", id="form.cancel"),
    ]

    def __init__(self, role: str, action: str, current: str | None = None) -> None:
        super().__init__()
        self.role = role
        self.action = action
        self.current = current

    def desk(self) -> Desk:
        session = self.drill.session
        injects = [
            e
            for e in (session.history(self.role) if session else [])
            if e["type"] == Kind.INJECT_DELIVERED
        ]
        return Desk(self.drill.scenario, injects, self.current)

    def compose(self) -> ComposeResult:
        self.specs = field_specs(self.action, self.desk())
        title = f"{humanise(self.action)} — {self.drill.seat_title(self.role)}"
        with Vertical(classes="dialog form"):
            yield Label(
                styled((title, "bold"), f": {ACTION_HELP.get(self.action, '')}"),
                classes="dialog-title",
            )
            yield Label(
                plain(served_line(self.action, self.drill.settings.plan)),
                id="plan-steps",
                classes="hint",
            )
            with VerticalScroll(id="form-fields", can_focus=False):
                for spec in self.specs:
                    yield from self._field(spec)
            with Horizontal(classes="buttons"):
                yield Button("Record (ctrl+s)", variant="primary", id="record", compact=True)
                yield Button("Cancel (esc)", id="cancel", compact=True)

    def on_mount(self) -> None:
        """The first parameter has focus, so a decision can be typed straight away."""
        if self.specs:
            self.query_one(f"#f-{self.specs[0].name}").focus()

    def _field(self, spec: FieldSpec) -> ComposeResult:
        label = spec.label + (" *" if spec.required else "")
        widget = self._widget(spec)
        widget.tooltip = plain(spec.help) if spec.help else None
        if spec.kind in ("choices", "longtext"):
            yield Label(plain(label), classes="field-label above")
            yield widget
        else:
            with Horizontal(classes="field"):
                yield Label(plain(label), classes="field-label")
                yield widget

    def _widget(self, spec: FieldSpec) -> Widget:
        fid = f"f-{spec.name}"
        if spec.kind == "choice":
            return Select(
                options_shown(spec.options),
                prompt="choose…",
                value=spec.default if spec.default is not None else Select.NULL,
                id=fid,
                compact=True,
            )
        if spec.kind == "choices":
            return SelectionList[str](
                *((plain(label), value, False) for label, value in spec.options), id=fid
            )
        if spec.kind == "switch":
            return Switch(bool(spec.default), id=fid)
        if spec.kind == "yesno":
            return Select([("yes", "yes"), ("no", "no")], prompt="(not said)", id=fid, compact=True)
        if spec.kind == "longtext":
            return TextArea(id=fid, compact=True, classes="longtext")
        if spec.kind == "offset":
            return Input(placeholder=EXAMPLES, id=fid, compact=True)
        if spec.kind == "integer":
            return Input(placeholder="a whole number", type="integer", id=fid, compact=True)
        return Input(placeholder=clean(spec.help or humanise(spec.name)), id=fid, compact=True)

    def values(self) -> dict[str, Any]:
        """What the form holds now, as the action's data (empty boxes left out)."""
        out: dict[str, Any] = {}
        for spec in self.specs:
            widget = self.query_one(f"#f-{spec.name}")
            value: Any = None
            if isinstance(widget, Select):
                raw = widget.value
                if raw is not Select.NULL:
                    value = {"yes": True, "no": False}[raw] if spec.kind == "yesno" else raw
            elif isinstance(widget, SelectionList):  # in the order offered, not the order ticked
                picked = set(widget.selected)
                value = [v for _, v in spec.options if v in picked]
            elif isinstance(widget, Switch):
                value = widget.value
            elif isinstance(widget, TextArea):
                value = widget.text.strip() or None
            elif isinstance(widget, Input):
                text = widget.value.strip()
                if text:
                    value = int(text) if spec.kind == "integer" else text
            out[spec.name] = value
        return out

    def set_values(self, **values: Any) -> None:
        """Fill fields programmatically (the on-behalf flow pre-fills; tests fill forms)."""
        for name, value in values.items():
            widget = self.query_one(f"#f-{name}")
            if isinstance(widget, Select):
                widget.value = value
            elif isinstance(widget, SelectionList):
                widget.deselect_all()
                for v in value:
                    widget.select(v)
            elif isinstance(widget, Switch):
                widget.value = bool(value)
            elif isinstance(widget, TextArea):
                widget.text = str(value)
            elif isinstance(widget, Input):
                widget.value = str(value)

    def on_select_changed(self, event: Select.Changed) -> None:
        """The answer's options follow the inject chosen."""
        if event.select.id == "f-inject" and self.action == "answer":
            value = None if event.value is Select.NULL else str(event.value)
            options = answer_options(self.desk(), value)
            self.query_one("#f-option", Select).set_options(options_shown(options))

    def story_times(self, values: dict[str, Any]) -> list[str]:
        """Times typed in story terms (``day 9 17:00``) become offsets in ``values``; a time
        the form cannot read is a problem in the form's words, naming the field."""
        problems = []
        session = self.drill.session
        now = session.snapshot().now if session else 0.0
        for spec in self.specs:
            if spec.kind == "offset" and isinstance(values.get(spec.name), str):
                try:
                    values[spec.name] = parse_story_time(
                        values[spec.name], self.drill.scenario, now
                    )
                except StoryTimeError as exc:
                    problems.append(f"{spec.label}: {exc}")
        return problems

    def action_record(self) -> None:
        values = self.values()
        problems = self.story_times(values)
        data, more = check(self.action, values) if not problems else (None, [])
        problems += more
        if data is None:
            for line in problems:
                self.notify(line, title="Not yet", severity="warning", timeout=6)
            return
        event = self.drill.submit(self.role, data)
        if event is not None:
            self.notify(f"Recorded: {describe(event['action'], event['params'])}")
            self.dismiss(event)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "record":
            self.action_record()
        else:
            self.dismiss(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_record()


def take_decision(
    node: Seated, role: str, current: str | None = None, action: str | None = None
) -> None:
    """Choose an action for ``role`` (unless given), then open its form."""
    app = node.drill

    def open_form(name: str | None) -> None:
        if name:
            app.push_screen(ActionForm(role, name, current))

    if action:
        open_form(action)
    else:
        app.push_screen(
            ChoiceDialog(f"Decision for {app.seat_title(role)}", action_choices()), open_form
        )
