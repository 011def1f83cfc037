"""Setting up a run: who plays which role, the client profile, practice or official.

Everything chosen here goes into ``RunSettings`` and so into the journal's ``run_started``
header — the report later names the players, the client, and whether the run counts.
"""

from __future__ import annotations

from typing import ClassVar

from drillbook.formats.yamlsource import InputError
from drillbook.simulator.settings import RunSettings
from drillbook.tui.base import Seated
from drillbook.tui.format import clean, plain, role_title, styled
from drillbook.tui.widgets.key_legend import KeyLegend
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Header, Input, Label, Select, Static, Switch


class SetupScreen(Seated, Screen[None]):
    GUIDE = """\
## Setting up the run

Type who plays each role (or load a roster file: YAML `roles: {on_call: "Name", …}`), pick the
client profile the plan is customised for, and say whether this is a practice run (practice
runs are kept out of official reports). `ctrl+s` begins play at the facilitator's seat.
"""
    AUTO_FOCUS = "Input"  # the first name: a facilitator can start typing at once
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "begin", "Begin play", id="setup.begin"),
        Binding("ctrl+l", "load_roster", "Load roster", id="setup.roster"),
    ]

    def compose(self) -> ComposeResult:
        app = self.drill
        scenario = app.scenario
        settings: RunSettings = app.settings
        yield Header(show_clock=False, icon="≡")
        with VerticalScroll(id="setup"):
            yield Label(
                styled(("Set up the run", "bold"), f" — {scenario.title}"), classes="section"
            )
            yield Label("Who plays which role", classes="section")
            # One grid of label | field rows rather than a row container each: every widget
            # Textual mounts costs the first frame about half a millisecond.
            with Grid(id="setup-fields"):
                for role in scenario.role_ids:
                    yield Label(role_title(role, self.drill.scenario), classes="field-label")
                    yield Input(
                        clean(settings.roster.get(role, "")),
                        placeholder="name (optional)",
                        id=f"name-{role}",
                        compact=True,
                    )
                yield Label("Roster file", classes="field-label")
                yield Input(placeholder="roster.yaml, then ctrl+l", id="roster-path", compact=True)
                yield Label("Client profile", classes="field-label")
                yield Select(
                    [(plain(p.stem), str(p)) for p in app.clients],
                    prompt="(none chosen: the scenario's own)",
                    value=settings.client
                    if settings.client in {str(p) for p in app.clients}
                    else Select.NULL,
                    id="client",
                    compact=True,
                )
                yield Label("Practice run", classes="field-label")
                with Horizontal(classes="field"):
                    yield Switch(settings.practice, id="practice")
                    yield Label(_kind(settings.practice), id="run-kind", classes="hint")
            path = app.journal_path
            yield Static(
                plain(f"Journal: {path}" if path else "Journal: not kept"), id="journal-path"
            )
            yield Button("Begin play (ctrl+s)", variant="primary", id="begin", compact=True)
        yield KeyLegend()

    _roster_loaded = ""  # the roster path whose names are in the boxes

    def on_mount(self) -> None:
        self.sub_title = "Set up the run"

    def settings(self) -> RunSettings:
        """What the facilitator chose, on top of what the command line gave (seed, plan)."""
        base: RunSettings = self.drill.settings
        roster = {}
        for role in self.drill.scenario.role_ids:
            name = self.query_one(f"#name-{role}", Input).value.strip()
            if name:
                roster[role] = name
        client = self.query_one("#client", Select).value
        return RunSettings(
            seed=base.seed,
            plan=base.plan,
            client=None if client is Select.NULL else str(client),
            roster=roster,
            practice=self.query_one("#practice", Switch).value,
            mode="play",
        )

    def action_begin(self) -> None:
        """Begin play — but never past a roster file that was named and does not load: play
        that began anyway would journal a run without the names the facilitator meant."""
        path = self.query_one("#roster-path", Input).value.strip()
        if path and path != self._roster_loaded and not self.action_load_roster():
            self.notify(
                "Play has not begun: fix the roster file's path or clear it, then ctrl+s.",
                title="Roster",
                severity="error",
                timeout=10,
            )
            return
        self.drill.begin(self.settings())

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "begin":
            self.action_begin()

    def action_load_roster(self) -> bool:
        """Fill the names from the roster file typed; False (and why) when it does not load."""
        path = self.query_one("#roster-path", Input).value.strip()
        if not path:
            self.notify("Type the roster file's path first.", severity="warning")
            return False
        try:
            from drillbook.tui.roster import load_roster  # its model: built when a roster is read

            roster = load_roster(path, self.drill.scenario)
        except InputError as exc:
            for problem in exc.problems:
                self.notify(str(problem), title="Roster not loaded", severity="error", timeout=10)
            self.query_one("#roster-path", Input).focus()
            return False
        for role in self.drill.scenario.role_ids:
            self.query_one(f"#name-{role}", Input).value = clean(roster.get(role, ""))
        self._roster_loaded = path
        self.notify(f"Roster loaded: {len(roster)} roles named.")
        return True

    def on_switch_changed(self, event: Switch.Changed) -> None:
        self.query_one("#run-kind", Label).update(_kind(event.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "roster-path":
            self.action_load_roster()


def _kind(practice: bool) -> str:
    return (
        "practice run: kept out of official reports"
        if practice
        else "official run: counts in reports and trends"
    )
