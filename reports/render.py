"""Render drillbook documents with Jinja2: HTML, Markdown and JSON from the same records.

Two environments over the bundled templates: HTML with autoescape on, Markdown with every
printed value passed through :func:`reports.text.md`. Scenario titles, messages and notes
are *data*: they are printed, never compiled, so ``{{ 7*7 }}`` in a note stays those
characters. A template a user supplies (``--template``) is compiled in a sandbox, since it
is code we did not write.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from drillbook.formats.offsets import fmt_offset
from drillbook.formats.yamlsource import InputError, Problem
from drillbook.reports.text import MdSafe, html_value, json_text, md
from drillbook.scenarios.actions import ROLE_TITLES
from drillbook.scoring.scorecard import RATING_TEXT
from jinja2 import (
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
)

TEMPLATES = Path(__file__).parent / "templates"
FORMATS = ("html", "md", "json")
STATUS_WORDS = {
    "met": "on time",
    "late": "late",
    "missed": "missed",
    "violated": "broken",
    "not_applicable": "n/a",
    "pending": "pending",
}


def md_code(value: Any) -> MdSafe:
    """A Markdown code span that no content can break out of (ids, paths, file names)."""
    text = " ".join(str(value).split()).replace("|", "\\|")
    run = longest = 0
    for ch in text:
        run = run + 1 if ch == "`" else 0
        longest = max(longest, run)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return MdSafe(f"{fence}{pad}{text}{pad}{fence}")


def _bytecode_cache() -> FileSystemBytecodeCache | None:
    """Compiled templates kept in the user's cache directory, so a report does not pay for
    compiling them in every process (about a third of a report's own time). Jinja2 checks
    each entry against the template's source, so an edited template is compiled afresh."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    folder = Path(base) / "drillbook" / f"templates-{jinja2.__version__}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None  # a read-only home: compile every time, still correct
    return FileSystemBytecodeCache(str(folder))


def _common(env: Environment) -> Environment:
    env.globals.update(
        rating_text=RATING_TEXT,
        status_words=STATUS_WORDS,
        fmt_offset=fmt_offset,
        role_titles=ROLE_TITLES,
    )
    return env


@cache
def html_env() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        bytecode_cache=_bytecode_cache(),
        autoescape=True,
        finalize=html_value,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=StrictUndefined,
    )
    return _common(env)


@cache
def md_env() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        bytecode_cache=_bytecode_cache(),
        autoescape=False,  # Markdown is not HTML: every value goes through md() instead
        finalize=md,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["code"] = md_code
    return _common(env)


def render(template: str, fmt: str, **context: Any) -> str:
    """Render ``<template>.<fmt>.j2`` (``fmt``: html or md) with ``context``."""
    env = html_env() if fmt == "html" else md_env()
    return env.get_template(f"{template}.{fmt}.j2").render(**context)


def render_json(data: Any) -> str:
    return json_text(data)


def render_user_template(path: str | Path, **context: Any) -> str:
    """Render a template the user wrote, sandboxed; HTML escaping unless it is Markdown."""
    from drillbook.formats.limits import read_bounded

    p = Path(path)
    raw = read_bounded(p, "a template file")  # no FIFO, device or 4 GB log by mistake
    try:
        source = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            [Problem(str(p), 0, 0, f"not UTF-8 text ({exc.reason}); expected a Jinja2 template")]
        ) from None
    markdown = p.suffix.lower() in (".md", ".markdown") or p.name.endswith(".md.j2")
    # only a user's template needs the sandbox
    from drillbook.reports.sandbox import BoundedSandbox, TemplateTooCostly, render_bounded

    env = BoundedSandbox(
        autoescape=not markdown,
        finalize=md if markdown else None,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["code"] = md_code
    _common(env)
    try:
        return render_bounded(env.from_string(source).generate(**context))
    except TemplateTooCostly as exc:
        raise InputError([Problem(str(p), 0, 0, f"template: {exc}")]) from None
    except RecursionError:  # a macro that calls itself: the template's mistake, not ours
        raise InputError(
            [Problem(str(p), 0, 0, "template: calls itself without end; expected it to finish")]
        ) from None
    except TemplateError as exc:
        line = getattr(exc, "lineno", None) or 0
        raise InputError([Problem(str(p), line, 1 if line else 0, f"template: {exc}")]) from None
    except (ArithmeticError, LookupError, TypeError, ValueError) as exc:
        # The sandbox lets a template compute; its own mistakes ({{ 1/0 }}) are bad input.
        raise InputError(
            [Problem(str(p), 0, 0, f"template failed: {type(exc).__name__}: {exc}")]
        ) from None
