"""Text from players and scenario files is printed, never run: escaped and unevaluated."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from drillbook.reports.aar import build_aar
from drillbook.reports.brief import handbook, situation_manual
from drillbook.reports.exercise import load_exercise
from drillbook.reports.render import render
from drillbook.reports.report import render_aar
from drillbook.scenarios import library
from drillbook.scenarios.loader import load
from reportkit import play

SCRIPT = "<script>alert(1)</script>"
TITLE = f"{SCRIPT} title {{{{ 7*7 }}}} end"
NOTE = f"{SCRIPT} note {{{{ 7*7 }}}} end"
MESSAGE = f"{SCRIPT} message {{{{ 7*7 }}}} end"
EVALUATED = ("title 49 end", "note 49 end", "message 49 end")


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """The flagship, renamed by a hostile author, played by a team that types markup."""
    text = library.resolve(library.FLAGSHIP).read_text(encoding="utf-8")
    original = 'title: "3:47 AM: the $14 fares"'
    assert original in text
    clients = library.LIBRARY_DIR / "clients"
    if clients.is_dir():  # the scenario names its client profile relative to itself
        shutil.copytree(clients, tmp_path / "clients")
    copy = tmp_path / "hostile.yaml"
    copy.write_text(text.replace(original, f"title: {json.dumps(TITLE)}"), encoding="utf-8")
    return play(
        tmp_path / "hostile.jsonl",
        "model",
        loaded=load(copy),
        records=[
            (30.0, "evaluator_note", {"text": NOTE, "capability": "containment"}),
            (31.0, "evaluator_note", {"text": NOTE}),
            (21595.0, "lesson", {"capability": "containment", "text": NOTE}),
        ],
        extra=[
            (
                27.0,
                "communications_lead",
                {"action": "notify", "audience": "client", "message": MESSAGE},
            ),
            (28.0, "incident_commander", {"action": "note", "text": NOTE, "rationale": MESSAGE}),
        ],
    )


def _never_evaluated(text: str) -> None:
    assert SCRIPT not in text
    for evaluated in EVALUATED:
        assert evaluated not in text


def test_html_escapes_every_player_and_scenario_text(hostile: Path) -> None:
    html = render_aar(build_aar(load_exercise(hostile)), "html")
    _never_evaluated(html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; title {{ 7*7 }} end" in html  # <title>, <h1>
    assert "&lt;script&gt;alert(1)&lt;/script&gt; note {{ 7*7 }} end" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; message {{ 7*7 }} end" in html
    assert html.count("<script") == 0


def test_markdown_escapes_every_player_and_scenario_text(hostile: Path) -> None:
    md = render_aar(build_aar(load_exercise(hostile)), "md")
    _never_evaluated(md)
    for word in ("title", "note", "message"):
        assert rf"\<script\>alert(1)\</script\> {word} \{{\{{ 7\*7 \}}\}} end" in md


def test_json_keeps_the_text_exactly_and_safe_to_embed(hostile: Path) -> None:
    raw = render_aar(build_aar(load_exercise(hostile)), "json")
    _never_evaluated(raw)
    data = json.loads(raw)
    assert data["overview"]["title"] == TITLE
    assert data["general_notes"][0]["text"] == NOTE
    assert any(MESSAGE in d["decision"] for d in data["decisions"])
    assert any(d["rationale"] == MESSAGE for d in data["decisions"])


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_briefing_pack_escapes_the_scenario(hostile: Path, fmt: str) -> None:
    scenario = load(Path(hostile).with_suffix(".yaml")).scenario
    for text in (
        render("sitman", fmt, m=situation_manual(scenario), generated_by="t"),
        render("handbook", fmt, h=handbook(scenario), generated_by="t"),
    ):
        _never_evaluated(text)
        assert ("&lt;script&gt;" if fmt == "html" else r"\<script\>") in text


def test_a_users_template_is_sandboxed(hostile: Path, tmp_path: Path) -> None:
    from drillbook.formats.yamlsource import InputError
    from drillbook.reports.render import render_user_template

    aar = build_aar(load_exercise(hostile))
    ok = tmp_path / "mine.html"
    ok.write_text("<h1>{{ aar.overview.title }}</h1>{{ 7*7 }}", encoding="utf-8")
    out = render_user_template(ok, aar=aar)
    assert out == "<h1>&lt;script&gt;alert(1)&lt;/script&gt; title {{ 7*7 }} end</h1>49"
    evil = tmp_path / "evil.html"
    evil.write_text("{{ aar.__class__.__mro__[1].__subclasses__() }}", encoding="utf-8")
    with pytest.raises(InputError, match=r"evil\.html"):
        render_user_template(evil, aar=aar)
