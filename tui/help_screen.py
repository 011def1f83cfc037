"""The help screen (F1 or ?): what this seat is for and every key that works on it right now.

The key table is read from the live bindings of the screen underneath, so it can never drift
from what the keys actually do, and it follows a user's remapped keys.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Label, MarkdownViewer

GENERAL = """\
**Everywhere:** `ctrl+p` opens the command palette (every action, found by typing);
`F2` changes seat; `F3` opens the response plan; `ctrl+t` switches dark/light;
`ctrl+q` quits — the journal already holds everything played, and
`drillbook play --resume JOURNAL` continues from it.
"""


def key_table(screen: Screen, *, ours: bool = True) -> str:
    """A Markdown table of the described keys active on ``screen``: drillbook's own (every
    binding of ours has an id, so it can be remapped), or — ``ours=False`` — the widgets'
    generic ones (cursor moves, page keys), which F1 used to list three pages before ours."""
    rows: dict[str, list[str]] = {}
    for key, active in screen.active_bindings.items():
        binding: Binding = active.binding
        if not binding.description or (binding.id is not None) != ours:
            continue
        shown = screen.app.get_key_display(binding.with_key(key))
        rows.setdefault(binding.description, []).append(f"`{shown}`")
    if not rows:
        return "(none)"
    lines = ["| key | does |", "|---|---|"]
    lines += [f"| {' '.join(keys)} | {desc} |" for desc, keys in rows.items()]
    return "\n".join(lines)


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,f1,question_mark", "dismiss", "Close help", id="help.close"),
    ]

    def __init__(self, under: Screen) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        guide = getattr(self.under, "GUIDE", "")
        text = (
            f"{guide}\n\n## Keys on this screen\n\n{key_table(self.under)}\n\n{GENERAL}\n\n"
            f"## Moving around\n\n{key_table(self.under, ours=False)}\n"
        )
        with Vertical(classes="dialog wide"):
            yield Label("Help — esc to close", classes="dialog-title")
            yield MarkdownViewer(text, show_table_of_contents=False, id="help-text")
