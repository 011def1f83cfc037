"""Markdown escaping: what a person typed is shown as typed, never turned into markup."""

from __future__ import annotations

import json

import pytest
from drillbook.reports.render import md_code
from drillbook.reports.text import MdSafe, json_text, md


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("<script>alert(1)</script>", r"\<script\>alert(1)\</script\>"),
        ("{{ 7*7 }}", r"\{\{ 7\*7 \}\}"),
        ("[click](http://x)", r"\[click\](http://x)"),
        ("a | b", r"a \| b"),
        ("- not a list", r"\- not a list"),
        ("12. not a list", r"12\. not a list"),
        ("# not a heading", r"\# not a heading"),
        ("+0:06 stays readable", "+0:06 stays readable"),
        ("1.5 h and $1,234", "1.5 h and $1,234"),
        ("two\nlines", "two lines"),
        (None, ""),
    ],
)
def test_md(raw: str | None, escaped: str) -> None:
    assert md(raw) == escaped


def test_md_leaves_markdown_the_code_built() -> None:
    assert md(MdSafe("**bold**")) == "**bold**"


def test_code_span_cannot_be_broken_out_of() -> None:
    assert md_code("a`b") == "``a`b``"
    assert md_code("`x`") == "`` `x` ``"
    assert md_code("x|y") == r"`x\|y`"


def test_json_text_round_trips_and_hides_markup() -> None:
    data = {"t": "<script>&</script>"}
    text = json_text(data)
    assert "<" not in text and "&" not in text
    assert json.loads(text) == data
