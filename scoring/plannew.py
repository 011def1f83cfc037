"""``drillbook plan new``: a plan to edit, made from a plan that works, comments and all.

Starting from the bundled plan (or any plan file) keeps every explanatory comment and every
quoted sentence: an organisation edits the article's plan into its own rather than facing an
empty file. The copy gets its own id, version 1 and a changelog entry naming where it came
from, and points its editor at the schema written beside it.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from drillbook.formats.errors import InputError, Problem
from drillbook.formats.limits import read_bounded
from drillbook.scoring.plan import DEFAULT_PLAN_PATH, load_plan

HEAD = """\
# yaml-language-server: $schema=./plan.schema.json
# ^ completion and checks in editors with yaml-language-server. `drillbook plan new` wrote
#   plan.schema.json beside this file; refresh it with `drillbook schema plan > plan.schema.json`.
#
# Your response plan, started from {origin}. Edit it into your own: windows, roles, steps,
# rules, thresholds. Check it with `drillbook plan check {file}`, read it with
# `drillbook plan show {file}`, print the on-call card with `drillbook plan card {file}`.
# When you change it after an exercise, raise `version`, add a `changelog` entry (with the
# register's improvement items that taught you the change, under `items`) and close those
# items with `drillbook register item close ID --plan-version VERSION`.
#
"""


def _top(key: str, value: str) -> tuple[re.Pattern[str], str]:
    return re.compile(rf"^{key}:.*$", re.MULTILINE), f"{key}: {value}"


def _text_again(path: Path) -> str:
    """The plan's text for the copy, read as :func:`load_plan` read it: bounded, a regular
    file, UTF-8. Between the two reads it may have been swapped for a FIFO (read_text
    waited on it for ever) or rewritten in another encoding (exit 70)."""
    raw = read_bounded(path, "a YAML file")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(
            [Problem(str(path), 0, 0, "changed while it was read; expected it to hold still")]
        ) from None


def scaffold(name: str, source: str | Path | None = None, today: date | None = None) -> str:
    """The text of a new plan ``name`` made from ``source`` (default: the bundled plan)."""
    path = Path(source) if source and source != "default" else DEFAULT_PLAN_PATH
    origin = load_plan(path)  # a broken plan is no place to start: its problems, placed
    text = _text_again(path)
    lines = text.splitlines(keepends=True)
    while lines and lines[0].startswith("#"):  # the source's own header comment
        lines.pop(0)
    body = "".join(lines).lstrip("\n")
    day = (today or date.today()).isoformat()
    changelog = (
        "changelog:\n"
        '  - version: "1"\n'
        f'    date: "{day}"\n'
        f'    changes: ["Started from {origin.label}."]\n'
    )
    body = re.sub(r"^changelog:\n(?:[ \t-].*\n)*", changelog, body, count=1, flags=re.MULTILINE)
    for pattern, repl in (
        _top("id", name),
        _top("title", f'"{name.replace("-", " ").capitalize()} response plan"'),
        _top("version", '"1"'),
    ):
        body = pattern.sub(repl, body, count=1)
    if not re.search(r"^version:", body, re.MULTILINE):
        body = re.sub(r"^(title:.*\n)", rf'\1version: "1"\n{changelog}', body, count=1, flags=re.M)
    label = origin.label if path == DEFAULT_PLAN_PATH else f"{path.name} ({origin.label})"
    return HEAD.format(origin=label, file=f"{name}.yaml") + body
