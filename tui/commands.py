"""The command palette (ctrl+p): every action of the seat in front of you, found by typing.

Commands come from two places so that nothing reachable by a key is missing here: the
bindings (with descriptions) of the current screen and of the app, and the screen's own
``palette_commands()`` for things that take a choice (a speed, a seat, an action of the contract).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

from drillbook.tui.format import clean
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.dom import DOMNode
from textual.fuzzy import Matcher
from textual.markup import escape


@dataclass(frozen=True)
class PaletteCommand:
    """One line of the palette: what it does, a hint (usually its key), and the callback."""

    title: str
    help: str
    run: Callable[[], Any]


def binding_commands(node: DOMNode) -> Iterator[PaletteCommand]:
    """A palette command for each described binding of ``node`` (its key as the hint)."""
    for binding in Binding.make_bindings(getattr(type(node), "BINDINGS", [])):
        if not binding.description:
            continue
        if node.check_action(binding.action, ()) is False:
            continue
        key = node.app.get_key_display(binding)
        yield PaletteCommand(
            binding.description, f"key: {key}", partial(node.run_action, binding.action)
        )


def commands_for(screen: DOMNode) -> list[PaletteCommand]:
    """Everything the palette offers on ``screen``, without duplicate titles."""
    found: list[PaletteCommand] = []
    sources: Iterable[Iterable[PaletteCommand]] = (
        binding_commands(screen),
        getattr(screen, "palette_commands", lambda: ())(),
        binding_commands(screen.app),
        getattr(screen.app, "palette_commands", lambda: ())(),
    )
    seen: set[str] = set()
    for source in sources:
        for command in source:
            if command.title not in seen:
                seen.add(command.title)
                found.append(command)
    return found


def highlighted(matcher: Matcher, title: str) -> Content:
    """``title`` as plain text with the typed letters marked: Textual's own
    ``Matcher.highlight`` reads the title as markup, and titles carry players' names."""
    content = Content(title)
    _, offsets = matcher.fuzzy_search.match(matcher.query, title)
    for offset in offsets:
        if not title[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class SeatCommands(Provider):
    """Commands of the seat (screen) the palette was opened on.

    Titles may quote a roster's names (``Seat: Incident Commander (Dana)``), so each one is
    shown as plain text; the help line, which the palette always reads as markup, is escaped.
    """

    async def discover(self) -> Hits:
        for command in commands_for(self.screen):
            title = clean(command.title)
            yield DiscoveryHit(
                Content(title), command.run, text=title, help=escape(clean(command.help))
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in commands_for(self.screen):
            title = clean(command.title)
            score = matcher.match(title)
            if score > 0:
                yield Hit(
                    score,
                    highlighted(matcher, title),
                    command.run,
                    text=title,
                    help=escape(clean(command.help)),
                )
