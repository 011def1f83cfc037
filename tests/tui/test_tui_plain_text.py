"""The one door for someone else's text: :func:`tui.format.plain` and :func:`clean`, and a
check that no screen builds Rich markup around text again."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import drillbook.tui as tui
import pytest
from drillbook.tui.format import clean, plain, styled
from hypothesis import given
from hypothesis import strategies as st
from rich.text import Text

TUI = Path(tui.__file__).parent
MARKUP_TAG = re.compile(r"\[/?(b|i|u|s|dim|bold|italic|underline|reverse|strike|link)\b[^\]]*\]")


@pytest.mark.parametrize(
    ("given_text", "shown"),
    [
        ("\x1b]0;PWNED\x07", "␛]0;PWNED␇"),  # OSC: set the window title
        ("\x1b[2J\x1b[31mred", "␛[2J␛[31mred"),  # CSI: clear the screen, colour
        ("a\x00b\x08c\x7f", "a␀b␈c␡"),  # NUL, backspace, DEL
        ("line\r\nnext\rover", "line\nnext␍over"),  # a Windows line end is a line end
        ("\x9b31m \x85", "⟨U+009B⟩31m ⟨U+0085⟩"),  # C1: CSI and NEL in one byte
        ("abc\u202edcba\u2066x\u2069", "abc⟨U+202E⟩dcba⟨U+2066⟩x⟨U+2069⟩"),  # bidi overrides
        ("one\u2028two", "one\ntwo"),
        ("tab\tand\nnewline stay", "tab\tand\nnewline stay"),
        ("[/i] [bold] [x] <script>", "[/i] [bold] [x] <script>"),  # markup is not control
    ],
)
def test_control_characters_are_shown_not_obeyed(given_text: str, shown: str) -> None:
    assert clean(given_text) == shown


@given(st.text())
def test_nothing_a_terminal_obeys_survives_cleaning(text: str) -> None:
    cleaned = clean(text)
    assert not any(
        (ord(c) < 0x20 and c not in "\t\n") or 0x7F <= ord(c) < 0xA0 or c in "\u202e\u2066"
        for c in cleaned
    )
    assert clean(cleaned) == cleaned  # cleaning twice changes nothing


def test_plain_and_styled_are_text_never_markup() -> None:
    assert plain("[b]x[/b] [/i]").plain == "[b]x[/b] [/i]"
    assert plain("title", "bold").style == "bold"
    line = styled(("Set up the run", "bold"), " — ", "[/i]\x1b]0;x\x07")
    assert isinstance(line, Text)
    assert line.plain == "Set up the run — [/i]␛]0;x␇"
    assert [(s.start, s.end, str(s.style)) for s in line.spans] == [(0, 14, "bold")]


def _markup_literals(path: Path) -> list[str]:
    """String literals in ``path`` (docstrings aside) that hold a Rich markup tag."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
            and MARKUP_TAG.search(node.value)
        ):
            found.append(f"{path.name}:{node.lineno}: {node.value!r}")
    return found


def test_no_screen_builds_markup_around_text() -> None:
    """``f"[b]{title}[/b]"`` crashes on a title holding ``[/i]``: compose a Text instead
    (``tui.format.styled``). Help pages are Markdown, not markup, and are not concerned."""
    found = [hit for path in sorted(TUI.glob("*.py")) for hit in _markup_literals(path)]
    assert found == []
