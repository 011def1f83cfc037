"""A user's ``--template`` may not ask for more than a report needs.

Each of these grew past 5-12 GB or ran for hours under Jinja2's sandbox alone (``timeout``
ended them, no answer given); a macro that calls itself ended in the CLI's "nested too
deeply" with a crash log instead of a line naming the template.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from drillbook.reports.sandbox import SECONDS_ENV

from drillbook.cli import EXIT_INPUT

Run = Callable[..., tuple[int, str, str]]  # the ``cli`` fixture (conftest.py)


COSTLY = {
    "string-repeat": ('{{ "x" * 10**10 }}', "a repetition of 1 × 10,000,000,000 items"),
    "list-repeat": ("{{ [1] * 10**9 }}", "a repetition of 1 × 1,000,000,000 items"),
    "repeat-left": ("{{ 10**9 * 'ab' }}", "a repetition of 2 × 1,000,000,000 items"),
    "power": ("{{ 7 ** 99999999 }}", "7 ** 99999999 has more than 50,000,000 bits"),
    "padding": ('{{ "a"|center(10**8) }}', "renders more than 50,000,000 characters"),
    "self-call": ("{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}", "calls itself"),
    "nested-loops": (
        "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}",
        "still rendering after 0.5 s of CPU time",
    ),
}


@pytest.mark.parametrize("name", sorted(COSTLY))
def test_a_costly_template_is_one_line_naming_it(
    cli: Run, journal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    monkeypatch.setenv(SECONDS_ENV, "0.5")  # the budget of CPU time, small for the test
    source, says = COSTLY[name]
    template = tmp_path / f"{name}.html"  # Markdown folds the padding
    template.write_text(source, encoding="utf-8")
    code, out, err = cli("report", journal, "--template", template, "-o", "-")
    lines = err.strip().splitlines()
    assert code == EXIT_INPUT and len(lines) == 1, err
    assert lines[0].startswith(f"drillbook: {template}: template: ") and says in lines[0]
    assert out == "" and not (tmp_path / "crashes").exists()


def test_a_template_within_bounds_renders_as_before(
    cli: Run, journal: Path, tmp_path: Path
) -> None:
    template = tmp_path / "mine.md"
    template.write_text(
        "{{ '-' * 20 }} {{ 2 ** 10 }} {% for i in range(3) %}{{ i * 2 }}{% endfor %}",
        encoding="utf-8",
    )
    code, out, err = cli("report", journal, "--template", template, "-o", "-")
    assert code == 0, err
    assert out.startswith("-" * 20 + " 1024 024")
