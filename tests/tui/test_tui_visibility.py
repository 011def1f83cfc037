"""A role console never receives another role's private inject, or any score.

The model team plays the flagship through the app with a fake scorer whose late verdicts read
"12 h 57 min late" on the facilitator's console and whose ratings read "S 75". Each role
console then holds exactly the injects addressed to its role and its own decisions — nothing
else — and neither score anywhere; the facilitator's console, for contrast, shows both.
"""

from __future__ import annotations

from pathlib import Path

from drillbook.scenarios import library
from drillbook.scenarios.loader import LoadedScenario
from drillbook.scenarios.transcript import load_transcript
from drillbook.simulator.events import FACILITATOR
from drillbook.simulator.session import reaches
from tuikit import SENTINEL, FakeScorer, FakeWall, begin, new_app, run_clock_to, texts

PLAYER_TYPES = {"run_started", "inject_delivered", "action_taken", "clock", "run_ended"}


async def test_role_consoles_hold_only_their_own_share_and_no_score(
    loaded: LoadedScenario, wall: FakeWall, tmp_path: Path
) -> None:
    transcript = load_transcript(library.reference_transcript(loaded.scenario.id))
    scorer = FakeScorer(loaded)
    app = new_app(loaded, tmp_path / "j.jsonl", wall, scorer=scorer)
    roles = loaded.scenario.role_ids
    async with app.run_test() as pilot:
        await begin(app, pilot)
        for role in roles:  # open every console before play, so each receives events live
            app.go_to_seat(role)
            await pilot.pause()
        app.go_to_seat(FACILITATOR)
        for decision in [d for d in transcript.decisions if d.at <= 6 * 60]:
            if app.session.snapshot().reached < decision.at:
                run_clock_to(app, wall, decision.at)
            assert app.submit(decision.role, decision.action) is not None
        run_clock_to(app, wall, 7 * 60)
        await pilot.pause()

        everything = app.session.history(FACILITATOR)
        assert scorer.calls > 0
        facilitator = texts(app.seat_console(FACILITATOR))
        assert SENTINEL in facilitator and "S 75" in facilitator
        for role in roles:
            app.go_to_seat(role)
            await pilot.pause()
            console = app.seat_console(role)
            received = console.received
            assert {e["type"] for e in received} <= PLAYER_TYPES
            got = [e["seq"] for e in received if e["type"] == "inject_delivered"]
            want = [
                e["seq"] for e in everything if e["type"] == "inject_delivered" and role in e["to"]
            ]
            assert got == want and want, role
            # its own decisions, and another role's escalation that pulls it in
            assert all(
                e["role"] == role or reaches(e, role)
                for e in received
                if e["type"] == "action_taken"
            ), role
            header = next(e for e in received if e["type"] == "run_started")
            assert "scenario_file" not in header and "plan" not in header
            shown = texts(console)
            assert SENTINEL not in shown and "S 75" not in shown
            private = {
                e["title"]
                for e in everything
                if e["type"] == "inject_delivered" and role not in e["to"]
            }
            assert private and not any(title in shown for title in private), role
            own = [e["title"] for e in received if e["type"] == "inject_delivered"]
            assert all(title in shown for title in own)  # what is read is what is shown
