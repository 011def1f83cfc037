"""The keys that work now, as a legend that wraps onto a second row instead of scrolling away.

Textual's footer is one row that scrolls sideways: at 80 columns the facilitator lost
``P S M U``, ``h End play`` and ``a/t/x`` off its right end, and the docked command-palette key
let a character of the hidden row show through beside it (the compact footer gives every key,
the docked one included, a one-column right margin, so the key row underneath shows in that
column: ``^p paletteH``). The legend lays the same bindings out as text that wraps between keys —
never inside one — so every key is visible at 80×24, at the cost of a second row when needed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.widgets import Static

KEY_STYLE = "bold"
GAP = "  "


def legend_entries(bindings: Iterable[tuple[Binding, str]]) -> list[tuple[str, str]]:
    """``(key shown, description)`` per action, in binding order; a binding group (``P S M U``
    → Rate) is one entry whose keys are joined, so it reads as ``P S M U Rate``."""
    entries: list[tuple[str, str]] = []
    groups: dict[str, int] = {}
    seen: set[str] = set()
    for binding, key in bindings:
        if binding.action in seen:
            continue
        seen.add(binding.action)
        group = binding.group
        if group is not None:
            if group.description in groups:
                index = groups[group.description]
                shown, words = entries[index]
                entries[index] = (f"{shown} {key}", words)
                continue
            groups[group.description] = len(entries)
            entries.append((key, group.description))
            continue
        entries.append((key, binding.description))
    return entries


def legend_text(entries: Iterable[tuple[str, str]], width: int) -> Text:
    """The entries in rows of at most ``width`` cells, broken between entries only (Rich
    would break at any space, ``P S`` | ``M U Rate``); an entry wider than a row gets one."""
    text = Text(no_wrap=True, overflow="ellipsis")
    used = 0
    for key, words in entries:
        size = len(key) + (len(words) + 1 if words else 0)
        if used and used + len(GAP) + size > width:
            text.append("\n")
            used = 0
        elif used:
            text.append(GAP)
            used += len(GAP)
        text.append(key, style=KEY_STYLE)
        if words:
            text.append(f" {words}")
        used += size
    return text


class KeyLegend(Static):
    """Docked at the bottom of a screen; re-read whenever the screen's bindings change
    (focus moves, a tab opens), so it shows exactly the keys that act now."""

    DEFAULT_CSS = """
    KeyLegend {
        dock: bottom;
        height: auto;
        max-height: 3;
        padding: 0 1;
        background: $footer-background;
        color: $footer-description-foreground;
    }
    """

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self.call_after_refresh(self.show_keys)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, _screen: Any) -> None:
        if self.is_attached:
            self.call_after_refresh(self.show_keys)

    def active(self) -> list[tuple[Binding, str]]:
        """The shown bindings that act now, the command palette's last."""
        app = self.app
        palette: list[tuple[Binding, str]] = []
        out: list[tuple[Binding, str]] = []
        for _node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            pair = (binding, app.get_key_display(binding))
            if binding.key == app.COMMAND_PALETTE_BINDING and app.ENABLE_COMMAND_PALETTE:
                palette.append(pair)  # shown even though its binding is hidden (as the footer does)
            elif binding.show and enabled:
                out.append(pair)
        return out + palette

    def on_resize(self) -> None:
        self.show_keys()

    def show_keys(self) -> None:
        if not self.is_attached:
            return
        width = self.content_size.width or max(self.app.size.width - 2, 20)
        self.update(legend_text(legend_entries(self.active()), width))

    @property
    def plain_text(self) -> str:
        """What the legend reads, rows joined by a space (as tests and people read it)."""
        return " ".join(str(self.render()).split("\n"))
