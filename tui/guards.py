"""What the app guards for every seat: text from elsewhere stays plain, crashes go to a log.

Split from :mod:`drillbook.tui.app` so the app stays about the run. A mixin of the app: it
reads ``crash``, ``crash_log`` and ``journal_path``, and sits before ``App`` in the bases so
its ``notify`` and exception handling wrap Textual's own.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from drillbook.tui.format import clean
from textual.notifications import SeverityLevel

from drillbook.crashlog import write_crash_log

if TYPE_CHECKING:
    from textual.widgets import Input, TextArea  # the notes widget: not on the first frame


class Guards:
    """Plain-text toasts and inputs; a crash's traceback in a file, not over the terminal."""

    crash: BaseException | None
    crash_log: Path | None
    journal_path: Path | None
    _exit_renderables: list[Any]

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every toast is plain text: messages quote scenario titles, file paths and what
        players typed (``Recorded: note "[/i]"``), and a toast parsed as markup would crash
        the app or swallow ``[x]``. ``markup`` is accepted for Textual's signature and ignored."""
        super().notify(
            clean(message), title=clean(title), severity=severity, timeout=timeout, markup=False
        )

    def on_input_changed(self, event: Input.Changed) -> None:
        """What a player types or pastes is cleaned before it can reach the journal."""
        cleaned = clean(event.value)
        if cleaned != event.value:
            event.input.value = cleaned

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        text = event.text_area.text
        cleaned = clean(text)
        if cleaned != text:
            event.text_area.text = cleaned

    def _handle_exception(self, error: Exception) -> None:
        """An unexpected exception stops the app (Textual's rule): its traceback goes to a
        crash log rather than over the terminal, so ``play`` can say one line and exit non-zero.
        The journal needs nothing here: every event is already on disk, so the run resumes."""
        if self.crash is None:
            self.crash = error
            self.crash_log = write_crash_log(error, self.journal_path)
        super()._handle_exception(error)

    def _print_error_renderables(self) -> None:
        """Textual prints the traceback on exit; once it is in the crash log, it is not repeated."""
        if self.crash_log is not None:
            self._exit_renderables.clear()
            return
        super()._print_error_renderables()
