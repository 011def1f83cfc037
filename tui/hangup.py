"""A console whose terminal has gone quits, as a console hung up on should.

Closing a terminal (or an SSH session dropping) hangs up on the process group in front of
it. A console started under another program, as ``make run`` starts ``drillbook play``, may
not be in that group: it never hears the hang-up, and Textual's input thread then reads
end-of-file from the dead terminal ten times a second forever, one core at 100 % with
nobody watching. So a console on a real terminal checks once a second whether the terminal
is still there (a closed pseudo-terminal has no name left: ``st_nlink`` is 0) and, once it
is gone, quits the way Ctrl+Q does: the running clock paused, the journal complete, the run
resumable with ``play --resume``.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from drillbook.tui.app import DrillbookApp

CHECK_SECONDS = 1.0


def terminal_gone(fd: int) -> bool:
    """Whether the terminal behind ``fd`` has been closed (or the descriptor is dead)."""
    try:
        return os.fstat(fd).st_nlink == 0
    except OSError:
        return True


def watch_terminal(app: DrillbookApp) -> None:
    """Quit ``app`` once its terminal is gone; nothing to watch when not on a terminal."""
    stdin = sys.__stdin__
    if stdin is None or not stdin.isatty():
        return  # tests, pipes and web sessions have no terminal to lose
    fd = stdin.fileno()

    async def check() -> None:
        if terminal_gone(fd):
            await app.quit_now()

    app.set_interval(CHECK_SECONDS, check, name="terminal")
