"""Every colour pair the HTML documents use meets WCAG 2.2 AA contrast (4.5:1 for text).

The pairs are not listed by hand: the test reads base.css (with its custom properties and
its screen and print media), reads which classes the templates and the timeline put on
which elements, cascades the rules that match each element, and pairs its text colour with
its own background or, when it has none, with every surface text can sit on. A colour added
to base.css, or a class added to a template, is checked without anyone remembering to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import product
from pathlib import Path

import pytest
from drillbook.reports import timeline
from drillbook.reports.render import STATUS_WORDS, TEMPLATES

AA_TEXT = 4.5
STATUSES = list(STATUS_WORDS)
# What each Jinja expression inside a template's class attribute can render.
EXPANSIONS: dict[str, list[str]] = {
    "{{ ' practice' if o.practice }}": ["", " practice"],
    "{{ r }}": ["P", "S", "M", "U"],
    "{{ ' computed' if computed }}": ["", " computed"],
    "{{ s }}": STATUSES,
    "{{ v.status }}": STATUSES,
    "{m.status}": STATUSES,
}
SVG_SURFACES = ("band", "compressed")
PLAIN_TAGS = ("body", "th", "td", "a", "h1", "h2", "h3", "h4", "figcaption", "footer", "dt", "code")


@dataclass(frozen=True)
class Rule:
    tag: str | None  # of the selector's last compound
    classes: frozenset[str]
    declarations: dict[str, str]
    media: str  # "all", "screen" or "print"
    order: int
    selector: str = ""


def _parse(css: str) -> tuple[list[Rule], dict[str, str]]:
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    rules: list[Rule] = []
    props: dict[str, str] = {}

    def block(text: str, media: str) -> None:
        for sel, body in re.findall(r"([^{}]+)\{([^{}]*)\}", text):
            decls = dict(
                (k.strip(), v.strip())
                for k, v in (d.split(":", 1) for d in body.split(";") if ":" in d)
            )
            for selector in sel.split(","):
                last = selector.strip().split()[-1]
                if last == ":root":
                    props.update({k: v for k, v in decls.items() if k.startswith("--")})
                    continue
                m = re.fullmatch(r"([a-z][a-z0-9]*)?((?:\.[\w-]+)*)", last)
                if not m:
                    continue  # pseudo-elements, *, html: no colour pairs of their own
                classes = frozenset(c for c in m.group(2).split(".") if c)
                rules.append(
                    Rule(m.group(1), classes, decls, media, len(rules), " ".join(selector.split()))
                )

    # one level of @media nesting, as base.css uses
    pos = 0
    for m in re.finditer(r"@media([^{]*)\{((?:[^{}]*\{[^{}]*\})*\s*)\}", css):
        block(css[pos : m.start()], "all")
        query = m.group(1)
        block(m.group(2), "print" if "print" in query else "screen")
        pos = m.end()
    block(css[pos:], "all")
    return rules, props


RULES, PROPS = _parse((TEMPLATES / "base.css").read_text(encoding="utf-8"))


def _colour(value: str | None) -> str | None:
    """A hex colour with custom properties resolved; None for inherit, currentColor, none."""
    while value and (m := re.fullmatch(r"var\((--[\w-]+)\)", value.strip())):
        value = PROPS[m.group(1)]
    if not value:
        return None
    m = re.fullmatch(r"#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})", value.strip().split()[0])
    if not m:
        return None
    h = m.group(1)
    return "#" + ("".join(c * 2 for c in h) if len(h) == 3 else h).lower()


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two hex colours."""

    def lum(h: str) -> float:
        def lin(c: float) -> float:
            return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

        r, g, bl = (int(h[i : i + 2], 16) / 255 for i in (1, 3, 5))
        return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(bl)

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _elements() -> set[tuple[str | None, frozenset[str], bool]]:
    """(tag, classes, is SVG text) for every element the documents render with classes."""
    out: set[tuple[str | None, frozenset[str], bool]] = set()
    for path in sorted(TEMPLATES.glob("*.html.j2")):
        for tag, attr in re.findall(r'<(\w+)[^>]*?\sclass="([^"]*)"', path.read_text("utf-8")):
            out |= {(tag, c, False) for c in _expand(attr, path.name)}
    source = Path(timeline.__file__).read_text(encoding="utf-8")
    for attr in re.findall(r'cls=f?"([^"]+)"', source):
        out |= {("text", c, True) for c in _expand(attr, "timeline.py")}
    for name in SVG_SURFACES:  # the lanes' backgrounds (other rects are marks, not surfaces)
        assert f'class="{name}"' in source, name
        out.add(("rect", frozenset([name]), False))
    out |= {(t, frozenset(), False) for t in PLAIN_TAGS}
    return out


def _expand(attr: str, where: str) -> list[frozenset[str]]:
    parts = re.split(r"(\{\{.*?\}\}|\{[a-z_.]+\})", attr)
    unknown = [p for p in parts if p.startswith("{") and p not in EXPANSIONS]
    assert not unknown, f"{where}: say in EXPANSIONS what {unknown} can render"
    choices = [EXPANSIONS.get(p, [p]) for p in parts]
    return [frozenset("".join(c).split()) for c in product(*choices)]


def _cascade(tag: str | None, classes: frozenset[str], media: str) -> dict[str, str]:
    hits = [
        r
        for r in RULES
        if r.media in ("all", media) and r.classes <= classes and r.tag in (None, tag)
    ]
    hits.sort(key=lambda r: (len(r.classes), r.tag is not None, r.order))
    out: dict[str, str] = {}
    for r in hits:
        out.update(r.declarations)
    return out


def _pairs(media: str) -> list[tuple[str, str, str]]:
    """(what, foreground, background) for every text colour on every place it can sit."""
    surfaces: set[str] = set()
    own: list[tuple[str, str, str]] = []
    loose: list[tuple[str, str]] = []
    for tag, classes, svg_text in sorted(_elements(), key=str):
        d = _cascade(tag, classes, media)
        name = f"{tag or ''}.{'.'.join(sorted(classes))} ({media})"
        fill = _colour(d.get("fill"))
        if tag == "rect" and fill:
            surfaces.add(fill)
            continue
        fg = fill if svg_text else _colour(d.get("color"))
        bg = _colour(d.get("background") or d.get("background-color"))
        if bg and fg:
            own.append((name, fg, bg))
        elif bg:
            surfaces.add(bg)
            own.append((name + " with the body's ink", _colour(PROPS["--ink"]) or "", bg))
        elif fg:
            loose.append((name, fg))
    return own + [(n, fg, bg) for n, fg in loose for bg in sorted(surfaces)]


def test_the_contrast_formula_gives_the_issues_figures() -> None:
    assert round(contrast("#ffffff", "#9e9d24"), 2) == 2.88  # the old S badge
    assert round(contrast("#ffffff", "#e65100"), 2) == 3.79  # the old M badge
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0


def test_the_cascade_sees_the_badges_and_their_surfaces() -> None:
    pairs = _pairs("screen")
    badges = {n for n, fg, bg in pairs if n.startswith("span.r-S.rating ")}
    assert badges, "the S badge should be found in the templates"
    assert ("#ffffff", _colour("var(--S)")) in {(fg, bg) for n, fg, bg in pairs if n in badges}
    assert {"#ffffff", "#f4f6f9", "#fffde7"} <= {bg for _, _, bg in pairs}
    assert len(pairs) > 100


@pytest.mark.parametrize("media", ["screen", "print"])
def test_every_colour_pair_meets_aa(media: str) -> None:
    low = sorted(
        f"{name}: {fg} on {bg} is {contrast(fg, bg):.2f}:1"
        for name, fg, bg in _pairs(media)
        if contrast(fg, bg) < AA_TEXT
    )
    assert low == [], "\n".join(low)
