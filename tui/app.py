"""The drillbook app: seats around one Session, a clock timer, and the keys every seat shares.

Each seat (the facilitator's and one per role) is a Textual *mode* with its own screen stack,
so a half-filled form on one seat survives switching to another — one machine passed around
a room. The app owns what all seats share: the session, the timer that ticks its clock, the
single submit path decisions go through (a refusal becomes a notification, nothing is
recorded), the scorer (facilitator only) and the end-of-play hook. It computes nothing
itself: the engine, clock, scorer and report package do.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from drillbook.formats.yamlsource import InputError
from drillbook.scenarios.loader import LoadedScenario
from drillbook.simulator.events import Event, Kind
from drillbook.simulator.protocol import SessionLike
from drillbook.simulator.settings import RunSettings
from drillbook.tui import desk_state as desk
from drillbook.tui.commands import PaletteCommand, SeatCommands
from drillbook.tui.format import FACILITATOR, capability_ids, humanise, seat_label
from drillbook.tui.guards import Guards
from drillbook.tui.hangup import watch_terminal
from drillbook.tui.hosting import Hosting
from drillbook.tui.messages import ClockMoved
from drillbook.tui.seat_memory import SeatMemory
from drillbook.tui.too_small import cover_if_too_small
from textual.app import App
from textual.binding import Binding, BindingType

# Imported where play needs them, not here: the first frame (the setup screen) needs none of
# the commands, the action contract or the notes widget, and ``play`` shows it ~10 ms sooner.
if TYPE_CHECKING:  # the scoring package is imported by whoever builds the scorer, not here
    from drillbook.scenarios.actions import ActionModel
    from drillbook.scoring.scorecard import Scorecard
    from drillbook.simulator.commands import Command

Scorer = Callable[[list[dict[str, Any]]], "Scorecard"]
FinishHook = Callable[[Path | None], list[str]]
TICK_SECONDS = 0.05  # at most this between an inject's sim time and its appearance on a desk
THEMES = ("textual-dark", "textual-light")


class DrillbookApp(Guards, SeatMemory, Hosting, App[None]):
    """Play one exercise: set up, run the clock, take decisions, hot wash."""

    CSS_PATH = "drillbook.tcss"
    TITLE = "drillbook"
    COMMANDS: ClassVar = App.COMMANDS | {SeatCommands}
    # Narrow terminals stack a role's inbox over the open inject; wide ones put them side by side.
    HORIZONTAL_BREAKPOINTS: ClassVar = [(0, "-narrow"), (110, "-wide")]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1,question_mark", "help", "Help", id="app.help"),
        Binding("f2", "choose_seat", "Seat", id="app.seat"),
        Binding("f3", "plan", "Plan", id="app.plan"),
        Binding("ctrl+t", "toggle_theme", "Theme", id="app.theme", show=False),
    ]

    def __init__(
        self,
        loaded: LoadedScenario | None,
        *,
        session: SessionLike | None = None,
        open_session: Callable[[RunSettings], SessionLike] | None = None,
        settings: RunSettings | None = None,
        journal_path: Path | None = None,
        scorer: Scorer | None = None,
        on_finish: FinishHook | None = None,
        speed: float | None = None,
        clients: Sequence[Path] = (),
        capabilities: Mapping[str, str] | Callable[[], Mapping[str, str]] | None = None,
        seats: Sequence[str] | None = None,
        seat_codes: Any = None,
    ) -> None:
        """``seats``: the consoles to open; ``seat_codes``: a hosted run's (``tui.hosting``)."""
        super().__init__()
        self.loaded = loaded  # None: a seat joined from inside the app (tui.join_app)
        self.scenario = loaded.scenario if loaded else None  # type: ignore[assignment]
        self.session: SessionLike | None = session
        self._open_session = open_session
        self.settings = session.settings if session else (settings or RunSettings())
        self.journal_path = session.journal_path if session else journal_path
        self.scorer = scorer
        self.on_finish = on_finish
        self.start_speed = speed
        self.clients = list(clients)
        self._capabilities = capabilities
        self.seats = list(seats) if seats else [FACILITATOR, *self.scenario.role_ids]
        self.seat_codes = seat_codes
        self.read: dict[str, set[int]] = {seat: set() for seat in self.seats}
        self.finish_lines: list[str] | None = None
        self._scorer_failed = False
        self._end_noticed = False
        self._last_face: tuple[Any, ...] = ()
        self.crash: BaseException | None = None  # what stopped the app, if anything did
        self.crash_log: Path | None = None  # where its traceback went instead of the terminal
        self.ask_before_quit = True  # until "don't ask again" is ticked
        self._clock_marks = desk.ClockMarks()

    @property
    def capabilities(self) -> dict[str, str]:
        """What evaluators rate and lessons are filed under (id → title): the plan's when the
        command line gave them (possibly as a loader, so the first frame does not wait for the
        plan), else those the scenario's objectives name."""
        given = self._capabilities
        if callable(given):
            given = self._capabilities = dict(given())
        return dict(given or {}) or {cap: humanise(cap) for cap in capability_ids(self.scenario)}

    # ── start ───────────────────────────────────────────────────────────────────────────
    def on_resize(self) -> None:
        self.call_after_refresh(cover_if_too_small, self)

    def on_mount(self) -> None:
        self.theme = THEMES[0]
        self.call_after_refresh(cover_if_too_small, self)
        watch_terminal(self)  # a terminal that closes under us: quit, the journal complete
        if self.session is not None:
            self._start_speed(self.session)
            self.read = desk.read_marks(self.session.history(), self.seats)  # as it was read
            self._open_seats()
            if self._hot_wash_started():
                self.open_hot_wash()  # a run stopped during its hot wash resumes there
            elif (seat := desk.last_seat(self.session.history(), self.seats)) not in (
                None,
                FACILITATOR,
            ):
                self.switch_mode(seat)
        else:
            from drillbook.tui.setup_screen import SetupScreen

            self.push_screen(SetupScreen())

    def begin(self, settings: RunSettings) -> bool:
        """Open the session with the setup screen's settings and seat the facilitator."""
        if self._open_session is None or self.session is not None:
            return False
        try:
            session = self._open_session(settings)
        except InputError as exc:
            for problem in exc.problems:
                self.notify(str(problem), severity="error", timeout=10)
            return False
        session.start()
        self._start_speed(session)
        self.session = session
        self.settings = settings
        self._open_seats()
        return True

    def _start_speed(self, session: SessionLike) -> None:
        from drillbook.simulator import commands

        if self.start_speed and self.start_speed != session.snapshot().speed:
            session.apply(commands.set_speed(self.start_speed))

    def _hot_wash_started(self) -> bool:
        return self.session is not None and any(
            e["type"] == Kind.HOTWASH_STARTED for e in self.session.history()
        )

    def _open_seats(self) -> None:
        from drillbook.tui.facilitator.screen import FacilitatorScreen
        from drillbook.tui.follow_screen import FollowScreen
        from drillbook.tui.role.screen import RoleScreen

        if FACILITATOR in self.seats:
            self.add_mode(FACILITATOR, FacilitatorScreen)
        for seat in self.seats:
            if seat in self.scenario.role_ids:
                self.add_mode(seat, lambda role=seat: RoleScreen(role))
            elif seat != FACILITATOR:  # a hosted exercise's evaluator or observer
                self.add_mode(seat, lambda seat=seat: FollowScreen(seat))
        self.switch_mode(self.seats[0])
        self.call_after_refresh(cover_if_too_small, self)  # a seat's stack of its own
        self.set_interval(TICK_SECONDS, self.tick_clock, name="clock")

    # ── the clock ───────────────────────────────────────────────────────────────────────
    def tick_clock(self) -> None:
        """Advance the story to wall time × speed and tell the screens of this seat."""
        session = self.session
        if session is None or session.ended:
            return
        session.tick()
        snap = session.snapshot()
        if snap.running and snap.reached >= self.scenario.ends and not self._end_noticed:
            from drillbook.simulator import commands

            self._end_noticed = True
            session.apply(commands.pause_clock())
            self.notify("End of play reached: the clock is paused. Press h for the hot wash.")
        if self._clock_marks.due(desk.wall_of(snap), snap.reached, snap.running):
            self.record(desk.CLOCK_MARK)  # where play is, should the machine die now
        self.clock_moved(force=False)

    def clock_moved(self, *, force: bool = True) -> None:
        """Tell this seat's screens the clock moved; a clock that reads as it did at the last
        tick (paused, or a wall that has not moved) is left alone: an idle console costs
        nothing between ticks."""
        session = self.session
        if session is None:
            return
        snap = session.snapshot(FACILITATOR)
        face = (snap.now, snap.speed, snap.running, snap.ended, self.current_mode)
        if not force and face == self._last_face:
            return
        self._last_face = face
        for screen in self.screen_stack:
            screen.post_message(ClockMoved(snap.now))

    # ── the one submit path ─────────────────────────────────────────────────────────────
    def submit(self, role: str, action: ActionModel | dict[str, Any]) -> Event | None:
        """Record ``role``'s decision now; a refusal is shown, and nothing is recorded."""
        from drillbook.simulator.commands import Decide
        from drillbook.simulator.refusals import ActionRejected

        if self.session is None:
            return None
        try:
            event = self.session.apply(Decide.of(role, action))  # lands at the time on screen
        except ActionRejected as exc:
            self.notify(str(exc), title="Not recorded", severity="error", timeout=8)
            return None
        self.clock_moved()
        return event

    def apply(self, command: Command) -> bool:
        """Apply a facilitator's, clock or evaluator command; a refusal is shown as a
        notification, and nothing is recorded."""
        from drillbook.simulator.refusals import ActionRejected

        if self.session is None:
            return False
        if self.session.ended:
            self.notify("The run has ended: nothing more can be recorded.", severity="warning")
            return False
        try:
            self.session.apply(command)  # the session ticks first: it lands at the time on screen
        except (ActionRejected, ValueError) as exc:
            self.notify(str(exc), title="Not done", severity="error", timeout=8)
            return False
        self.clock_moved()
        return True

    def score(self) -> Scorecard | None:
        """The scorer's reading of the journal so far (facilitator only), or None."""
        if self.scorer is None or self.session is None:
            return None
        try:
            card = self.scorer(self.session.history())
            len(card.decisions)  # the log is made when first read: made here, under this guard
            return card
        except Exception as exc:  # a scorer bug must not stop play; the journal is intact
            if not self._scorer_failed:
                self._scorer_failed = True
                self.notify(f"Scorer failed: {exc}", severity="warning", timeout=10)
            return None

    # ── end of play ─────────────────────────────────────────────────────────────────────
    def open_hot_wash(self) -> None:
        if self.session is None or self.session.ended:
            return
        from drillbook.simulator import commands
        from drillbook.tui.hotwash.screen import HotWashScreen

        self.apply(commands.pause_clock())
        if not self._hot_wash_started():
            # journaled, so a crash during the hot wash resumes into it
            self.apply(commands.hot_wash_started())
        if self.current_mode != FACILITATOR:
            self.switch_mode(FACILITATOR)
        self.push_screen(HotWashScreen())

    def finish(self) -> list[str]:
        """End the run (journal closed), then hand the journal to the report hook."""
        session = self.session
        if session is None:
            return []
        if not session.ended:
            session.end("end of play")
        path = session.journal_path or self.journal_path
        lines: list[str]
        if self.on_finish is None:
            lines = [f"Journal: {path}"] if path else ["Run ended (no journal was kept)."]
        else:
            try:
                lines = list(self.on_finish(path))
            except InputError as exc:
                lines = [f"Report not written: {p}" for p in exc.problems]
            except Exception as exc:  # the run is safe in the journal; say what failed
                lines = [f"Report not written: {exc}", f"Journal: {path}"]
        self.finish_lines = lines
        return lines

    async def action_quit(self) -> None:
        """Ctrl+Q asks once (see :mod:`drillbook.tui.quitting`)."""
        from drillbook.tui.quitting import ask_to_quit

        await ask_to_quit(self)

    async def quit_now(self) -> None:
        """Quit; a running clock is paused first so the journal holds the time play reached."""
        session = self.session
        if session is not None and not session.ended and session.snapshot().running:
            from drillbook.simulator import commands

            self.apply(commands.pause_clock())
        await super().action_quit()

    # ── seats, help, plan, theme ────────────────────────────────────────────────────────
    def seat_title(self, seat: str) -> str:
        return seat_label(seat, self.settings.roster, self.scenario)

    def seat_console(self, seat: str) -> Any:
        """The base screen of a seat's console, if that seat has been opened."""
        stack = self._screen_stacks.get(seat)
        return stack[0] if stack else None

    def go_to_seat(self, seat: str) -> None:
        if self.session is None or seat not in self.seats:
            return
        if seat != self.current_mode and not self.session.ended:
            self.record(desk.SEAT_TAKEN, seat=seat)
        self.switch_mode(seat)
        self.clock_moved()
        cover_if_too_small(self)

    def action_choose_seat(self) -> None:
        if self.session is None:
            self.notify("Set up the run first: seats open when play begins.")
            return
        from drillbook.tui.seat_picker import SeatPicker

        self.push_screen(SeatPicker(), lambda seat: seat and self.go_to_seat(seat))

    def action_help(self) -> None:
        from drillbook.tui.help_screen import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_plan(self) -> None:
        from drillbook.tui.plan_screen import PlanScreen

        if not isinstance(self.screen, PlanScreen):
            settings = self.session.settings if self.session else self.settings
            self.push_screen(PlanScreen(settings.plan, settings.client))

    def action_toggle_theme(self) -> None:
        self.theme = THEMES[1] if self.theme == THEMES[0] else THEMES[0]

    def palette_commands(self) -> Iterable[PaletteCommand]:
        yield PaletteCommand("Help: keys and how to play", "F1 or ?", self.action_help)
        yield PaletteCommand("Response plan", "F3", self.action_plan)
        yield PaletteCommand("Theme: switch dark / light", "ctrl+t", self.action_toggle_theme)
        yield from self.hosted_palette()
        if self.session is not None:
            for seat in self.seats:
                yield PaletteCommand(
                    f"Seat: {self.seat_title(seat)}",
                    "F2 chooses a seat",
                    lambda seat=seat: self.go_to_seat(seat),
                )
