"""Text that came from players or scenario files, made safe for each output format.

HTML gets Jinja2's autoescape; Markdown has no such thing, so every value a template prints
goes through :func:`md` (the Markdown environment's ``finalize``): a player who types
``<script>`` or ``[click](…)`` in a note must see those characters in the report, never
a live tag or link. JSON is data and needs no escaping beyond :func:`json_text`, which also
keeps ``<``, ``>`` and ``&`` out of the raw text so the document can be pasted into HTML.
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

from drillbook.formats.safetext import visible

# Characters that start Markdown syntax anywhere in a line (CommonMark backslash escapes
# work for every ASCII punctuation mark; these are the ones that can make markup). Braces
# are escaped too, so that text such as ``{{ 7*7 }}`` can never be read as a template.
_INLINE = re.compile(r"([\\`*_\[\]<>|#~{}&!])")
# Characters that only matter at the start of a line: list markers, numbered lists, quotes.
_LEADING = re.compile(r"^([-+*]|\d+(?=[.)]))(?=[.)]?(\s|$))")


_SPACE = re.compile(r"\s+")


class MdSafe(str):
    """Markdown the code built on purpose (a pre-formatted cell, a link it made): not escaped."""


def md(value: Any) -> str:
    """One value as Markdown text: whitespace folded to one line, syntax characters escaped."""
    if value is None:
        return ""
    if isinstance(value, MdSafe):
        return str(value)
    text = visible(_SPACE.sub(" ", str(value)))  # ESC/BEL/bidi from a journal: shown, inert
    text = _INLINE.sub(r"\\\1", text)
    m = _LEADING.match(text)
    if m:  # "- x" or "1. x" would become a list item: escape the marker's punctuation
        marker = m.group(1)
        cut = len(marker)
        text = (f"\\{marker}" if not marker.isdigit() else f"{marker}\\") + text[cut:]
    return text


def html_value(value: Any) -> Any:
    """The HTML environment's ``finalize``: control characters in text made visible before
    autoescape (markup the code built on purpose is left alone)."""
    if type(value) is str:  # the common case, and never Markup (a str subclass)
        return visible(value)
    if isinstance(value, str) and not isinstance(value, _markup()):
        return visible(value)
    return value


@cache
def _markup() -> type:
    """markupsafe's ``Markup``, imported once (``html_value`` runs for every printed value,
    thousands a report; an import statement in it was a tenth of the rendering)."""
    from markupsafe import Markup

    return Markup


def json_text(data: Any) -> str:
    """Deterministic JSON for other tools; safe to embed in an HTML page as it stands."""
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") + "\n"


def plural(n: int, word: str, many: str | None = None) -> str:
    """``1 decision``, ``3 decisions``: counts people read in summaries."""
    return f"{n} {word if n == 1 else (many or word + 's')}"
