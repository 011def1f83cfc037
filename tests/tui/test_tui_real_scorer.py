"""With the real scorer (as ``drillbook play`` wires it), verdicts and ratings reach the
facilitator's console as decisions are taken — and the same card ``drillbook score`` gives."""

from __future__ import annotations

from pathlib import Path

from drillbook.scenarios import library
from drillbook.scenarios.loader import LoadedScenario
from drillbook.scenarios.transcript import load_transcript
from drillbook.scoring import default_plan, score
from drillbook.scoring.files import scenario_client
from drillbook.tui.facilitator.evaluation_table import EvaluationTable
from drillbook.tui.format import verdict_text
from drillbook.tui.widgets.decision_log import DecisionLog
from tuikit import FakeWall, begin, new_app, run_clock_to, texts

from drillbook.commands.play import make_scorer


async def test_the_facilitator_sees_the_scorers_verdicts_live(
    loaded: LoadedScenario, wall: FakeWall, tmp_path: Path
) -> None:
    plan = default_plan()
    scorer = make_scorer(loaded, lambda: plan)
    transcript = load_transcript(library.reference_transcript(loaded.scenario.id))
    titles = {cap_id: cap.title for cap_id, cap in plan.capabilities.items()}
    app = new_app(loaded, tmp_path / "run.jsonl", wall, scorer=scorer, capabilities=titles)
    async with app.run_test() as pilot:
        await begin(app, pilot)
        for decision in [d for d in transcript.decisions if d.at <= 30]:
            if app.session.snapshot().reached < decision.at:
                run_clock_to(app, wall, decision.at)
            assert app.submit(decision.role, decision.action)
        await pilot.pause()
        card = score(
            loaded.scenario,
            plan,
            app.session.history(),
            scenario_client(loaded.path, loaded.scenario, plan),
        )
        log = app.screen.query_one(DecisionLog)
        shown = [str(log.get_row_at(i)[2]) for i in range(log.row_count)]
        assert all(d.counted for d in card.decisions)  # the model team: nothing is noise
        assert shown == [
            verdict_text(d.verdicts) if d.verdicts else "counts for no rule of the plan"
            for d in card.decisions
        ]  # a decision no rule asks for says so, not a bare "—"
        assert any(cell.startswith("met") for cell in shown)
        app.screen.action_tab("evaluation")
        await pilot.pause()
        table = app.screen.query_one(EvaluationTable)
        assert table.row_count == len(plan.capabilities)  # every one the plan rates
        shown = texts(app.screen)
        assert card.capabilities  # some are exercised by now; each shows the scorer's rating
        for result in card.capabilities.values():
            assert f"{result.title} | {result.computed_rating} {result.score:.0f}" in shown
