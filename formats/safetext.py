"""Text is data: control characters from files and players are shown, never obeyed.

A scenario title, a decision's note or a journal field is text a person typed (or an attacker
wrote). Raw ESC, OSC, BEL or C1 codes in it would drive the terminal — set the window title,
clear the screen, hide the rest of a line — and bidi overrides would make text read
differently from what it is. :func:`visible` swaps each such character for a printable
stand-in, so the reader sees *that* something odd is there without the terminal acting on
it. It is applied once where data is built from a file (``yamlsource``) and again on every
line the CLI writes, since journals and older files may hold anything.
"""

from __future__ import annotations

import re

# C0 except tab and newline, DEL, C1; the bidi embeddings, overrides and isolates.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _stand_in(m: re.Match[str]) -> str:
    ch = m.group(0)
    code = ord(ch)
    if code < 0x20:  # Unicode's control pictures: ␛ for ESC, ␇ for BEL, ␀ for NUL…
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"\u2039U+{code:04X}\u203a"  # ‹U+202E›: C1 and bidi controls have no picture


def visible(text: str) -> str:
    """``text`` with every control character replaced by a visible stand-in."""
    return _UNSAFE.sub(_stand_in, text) if _UNSAFE.search(text) else text


def is_clean(text: str) -> bool:
    """True when :func:`visible` would leave ``text`` as it is."""
    return _UNSAFE.search(text) is None


def first_unsafe(text: str) -> str | None:
    """The first character of ``text`` that :func:`visible` would stand in for, or None (a
    host refuses such text from a seat rather than showing it)."""
    found = _UNSAFE.search(text)
    return None if found is None else found.group()
