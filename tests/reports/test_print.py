"""The print stylesheet holds print rules only, and the documents print as paper reads.

What a page holds is checked by printing (see the issue's report); these tests keep the
rules that make it so from being undone: captions kept with figures, no forced page that
could leave one near-empty, no hover hint on paper, the footer's line on the first page.
"""

from __future__ import annotations

import re

from drillbook.reports.aar import build_aar
from drillbook.reports.exercise import Exercise
from drillbook.reports.render import TEMPLATES
from drillbook.reports.report import render_aar
from test_contrast import RULES


def _decls(media: str, selector: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for r in RULES:
        if r.media == media and r.selector == selector:
            out.update(r.declarations)
    return out


def test_print_rules_only_change_what_paper_needs() -> None:
    printed = [r for r in RULES if r.media == "print"]
    assert printed
    for r in printed:  # nothing in @media print repeats what every medium already has
        same = _decls("all", r.selector)
        repeated = {k: v for k, v in r.declarations.items() if same.get(k) == v}
        assert not repeated, (r.selector, repeated)
    assert not [r for r in printed if "font-weight" in r.declarations]
    assert not [
        r
        for r in printed
        if r.tag == "a" and "color" in r.declarations and r.declarations["color"] != "inherit"
    ]


def test_figures_keep_their_captions_and_no_page_is_forced() -> None:
    assert _decls("print", "figure")["break-inside"] == "avoid"
    assert _decls("print", "figcaption")["break-before"] == "avoid"
    forced = [r.selector for r in RULES if "page" in r.declarations.get("break-before", "")]
    assert forced == []
    fragmenting = ("break-before", "break-after", "break-inside", "page-break-inside")
    assert not [
        r.selector for r in RULES if r.media != "print" and set(fragmenting) & set(r.declarations)
    ]
    assert _decls("print", ".screen-only")["display"] == "none"
    assert _decls("all", ".print-only")["display"] == "none"


def test_the_hover_hint_is_for_screens_and_the_footer_line_prints_first() -> None:
    aar = (TEMPLATES / "aar.html.j2").read_text(encoding="utf-8")
    hint = re.search(r'<span class="screen-only">[^<]*hover[^<]*</span>', aar)
    assert hint, "the hover hint must be screen-only"
    assert re.search(r'<span class="print-only">[^<]*decision log[^<]*</span>', aar)
    layout = (TEMPLATES / "layout.html.j2").read_text(encoding="utf-8")
    assert layout.index('class="print-only provenance">{{ self.footer() }}') < layout.index(
        "{% block body %}"
    )
    assert '<footer class="screen-only">' in layout
    assert layout.count("<main>") == 1


def test_a_rendered_aar_has_one_main_and_the_footer_twice(weak_exercise: Exercise) -> None:
    html = render_aar(build_aar(weak_exercise), "html")
    assert html.count("<main>") == 1 and html.count("</main>") == 1
    body = html[html.index("<body>") + 6 : html.index("</body>")].strip()
    assert body.startswith("<main>") and body.endswith("</footer>")  # nothing outside landmarks
    footer = re.search(r'<footer class="screen-only">(.*?)</footer>', html, re.S)
    assert footer and f'<p class="print-only provenance">{footer.group(1)}</p>' in html
