"""The briefing pack: the players' Situation Manual gives nothing away; the handbook has it all."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from drillbook.reports.brief import handbook, situation_manual
from drillbook.reports.render import render
from drillbook.scenarios import library
from drillbook.scenarios.conditions import describe
from drillbook.scenarios.loader import load
from drillbook.scenarios.model import Scenario

from drillbook.cli import main


@pytest.fixture(scope="module")
def flagship() -> Scenario:
    return load(library.resolve(library.FLAGSHIP)).scenario


def _secrets(s: Scenario) -> list[str]:
    """Every piece of text players must not read before play."""
    out: list[str] = []
    for inj in s.injects:
        out += [inj.title, " ".join(inj.body.split()), inj.id]
        if inj.question:
            out += [inj.question.prompt] + [o.label for o in inj.question.options]
    for src in s.sources:
        out += [src.title, " ".join(src.shows.split())]
    t = s.truth
    out += [t.root_cause] + [c.label for c in t.causes] + [c.id for c in t.causes]
    for o in t.obligations:
        out += [o.regime, " ".join(o.description.split())]
    out += list(s.discussion)
    return [x for x in out if x]


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_situation_manual_gives_nothing_away(flagship: Scenario, fmt: str) -> None:
    text = render("sitman", fmt, m=situation_manual(flagship), generated_by="t")
    plain = re.sub(r"\\(.)", r"\1", text) if fmt == "md" else html.unescape(text)
    for secret in _secrets(flagship):
        assert secret not in plain, secret
    # the true severity, by its word, appears nowhere
    assert not re.search(rf"\b{flagship.truth.severity}\b", plain, re.I)
    # what players are given: the opening situation, the story clock, the roles and briefs
    assert "Tue 03:47" in plain
    assert " ".join(flagship.summary.split()) in plain
    for role in flagship.roles:
        assert " ".join(role.brief.split()) in plain
    assert "no-fault exercise" in plain


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_handbook_has_the_msel_branches_sources_truth_and_questions(
    flagship: Scenario, fmt: str
) -> None:
    text = render("handbook", fmt, h=handbook(flagship), generated_by="t")
    plain = re.sub(r"\\(.)", r"\1", text) if fmt == "md" else html.unescape(text)
    for inj in flagship.injects:
        assert inj.title in plain
        if inj.when is not None:
            assert describe(inj.when) in plain
    assert "+0:06 (Tue 03:53)" in plain  # the first timed inject, with its story time
    root = next(c for c in flagship.truth.causes if c.id == flagship.truth.root_cause)
    assert root.label in plain
    for src in flagship.sources:
        assert src.title in plain
    for q in flagship.discussion:
        assert q in plain


def test_handbook_branches_name_the_answer_that_leads_there(flagship: Scenario) -> None:
    h = handbook(flagship)
    picks = [b for b in h.branches if b.trigger.startswith("the answer")]
    question = next(i for i in flagship.injects if i.question)
    answered = {b.trigger.split("'")[1] for b in picks if question.id in b.trigger}
    assert answered <= {o.id for o in question.question.options}


def test_brief_command_writes_both_documents(tmp_path: Path, capsys) -> None:
    sitman, book = tmp_path / "s.md", tmp_path / "h.html"
    assert main(["brief", library.FLAGSHIP, "-f", "md", "-o", str(sitman)]) == 0
    assert main(["brief", library.FLAGSHIP, "--handbook", "-o", str(book)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [f"Situation Manual: {sitman}", f"Facilitator's handbook: {book}"]
    assert sitman.read_text().startswith("# Situation Manual")
    assert "Master Scenario Events List" in book.read_text()


def test_brief_unknown_scenario_is_one_line(capsys) -> None:
    assert main(["brief", "no-such-scenario"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "no such scenario" in err[0]
