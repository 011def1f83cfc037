"""Ctrl+Q asks once before it ends a room's console.

Textual quits on Ctrl+Q at once; in a room, one stray chord closed the exercise in front of
everyone. Quitting loses nothing (the journal holds it all, and ``play --resume`` continues),
but it breaks the room's flow, so the app asks — and offers "don't ask again" for this run,
for a facilitator who quits and resumes on purpose.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from drillbook.tui.widgets.confirm import Confirm

if TYPE_CHECKING:
    from drillbook.tui.app import DrillbookApp

QUESTION = (
    "Quit drillbook? Everything so far is in the journal: "
    "drillbook play --resume JOURNAL continues from here."
)
DONT_ASK = "don't ask again this run"


async def ask_to_quit(app: DrillbookApp) -> None:
    """Quit now when there is nothing to lose or the facilitator said not to ask; else ask."""
    session = app.session
    if not app.ask_before_quit or session is None or session.ended:
        await app.quit_now()
        return
    if isinstance(app.screen, Confirm) and app.screen.question == QUESTION:
        return  # already asking: a second Ctrl+Q does not stack another question
    ask = Confirm(QUESTION, yes="Quit", remember=DONT_ASK)

    async def answered(yes: bool | None) -> None:
        if ask.dont_ask_again:
            app.ask_before_quit = False
        if yes:
            await app.quit_now()

    app.push_screen(ask, answered)
