"""The clock against a fake wall clock: the test moves wall time and calls ``tick()`` itself."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from drillbook.scenarios.loader import LoadedScenario
from drillbook.simulator.clock import SimClock
from drillbook.simulator.engine import Engine
from enginekit import FakeWall, deliveries, recording

MINUTE = 60.0  # wall seconds


def clock_of(loaded: LoadedScenario) -> tuple[SimClock, FakeWall, list[dict]]:
    engine = Engine(loaded.scenario)
    wall = FakeWall()
    events = recording(engine)
    return SimClock(engine, wall=wall), wall, events


def clock_events(events: list[dict]) -> list[tuple[float, str, float | None]]:
    return [(e["sim"], e["verb"], e.get("speed")) for e in events if e["type"] == "clock"]


def test_nothing_moves_before_start(lab: Callable[..., LoadedScenario]) -> None:
    clock, wall, events = clock_of(lab())
    wall.advance(30 * MINUTE)
    assert clock.tick() == 0.0
    assert clock.now == 0.0 and events == []


def test_at_speed_one_a_sim_minute_is_a_wall_minute(lab: Callable[..., LoadedScenario]) -> None:
    clock, wall, events = clock_of(lab())
    clock.start()
    wall.advance(4 * MINUTE)
    assert clock.tick() == pytest.approx(4.0)
    assert deliveries(events) == {}
    wall.advance(2.5 * MINUTE)
    assert clock.tick() == pytest.approx(6.5)
    assert deliveries(events) == {"alert": [5.0]}
    assert clock_events(events) == [(0.0, "start", 1)]


def test_pause_stops_time_and_resume_continues_without_a_jump(
    lab: Callable[..., LoadedScenario],
) -> None:
    clock, wall, events = clock_of(lab())
    clock.start()
    wall.advance(3 * MINUTE)
    clock.pause()
    assert clock.now == pytest.approx(3.0)
    wall.advance(45 * MINUTE)  # a long coffee break
    assert clock.tick() == pytest.approx(3.0)
    assert clock.now == pytest.approx(3.0)
    assert deliveries(events) == {}
    clock.resume()
    assert clock.now == pytest.approx(3.0)
    wall.advance(3 * MINUTE)
    assert clock.tick() == pytest.approx(6.0)
    assert clock_events(events) == [(0.0, "start", 1), (3.0, "pause", None), (3.0, "resume", 1)]


def test_pause_and_resume_twice_are_harmless(lab: Callable[..., LoadedScenario]) -> None:
    clock, wall, events = clock_of(lab())
    clock.start()
    clock.start()  # already running: nothing happens
    wall.advance(MINUTE)
    clock.pause()
    clock.pause()
    clock.resume()
    clock.resume()
    assert [v for _, v, _ in clock_events(events)] == ["start", "pause", "resume"]


@pytest.mark.parametrize("speed", [1, 5, 15, 60])
def test_speed_re_anchors_so_the_story_never_jumps(
    lab: Callable[..., LoadedScenario], speed: int
) -> None:
    clock, wall, events = clock_of(lab())
    clock.start()
    wall.advance(2 * MINUTE)
    clock.set_speed(speed)
    assert clock.now == pytest.approx(2.0)  # no jump at the change
    wall.advance(MINUTE)
    assert clock.tick() == pytest.approx(2.0 + speed)
    assert clock_events(events)[-1] == (2.0, "speed", speed)


def test_a_speed_change_while_paused_applies_on_resume(lab: Callable[..., LoadedScenario]) -> None:
    clock, wall, _ = clock_of(lab())
    clock.start()
    clock.pause()
    clock.set_speed(15)
    wall.advance(MINUTE)
    assert clock.tick() == 0.0
    clock.resume()
    wall.advance(MINUTE)
    assert clock.tick() == pytest.approx(15.0)


@pytest.mark.parametrize("speed", [0, 0.5, 61, 600])
def test_an_out_of_range_speed_is_refused(lab: Callable[..., LoadedScenario], speed: float) -> None:
    clock, wall, events = clock_of(lab())
    clock.start()
    with pytest.raises(ValueError, match=r"out of range; expected ×1 to ×60"):
        clock.set_speed(speed)
    assert clock.speed == 1
    assert clock_events(events) == [(0.0, "start", 1)]
    wall.advance(MINUTE)
    assert clock.tick() == pytest.approx(1.0)


def test_jump_to_the_next_scheduled_inject(lab: Callable[..., LoadedScenario]) -> None:
    clock, wall, events = clock_of(lab())
    clock.start()
    assert clock.jump_to_next_inject() is True
    assert clock.engine.now == 5.0 and clock.now == 5.0
    assert clock.jump_to_next_inject() is True
    assert clock.engine.now == 10.0
    wall.advance(MINUTE)  # the clock goes on from where the jump landed
    assert clock.tick() == pytest.approx(11.0)
    assert [v for _, v, _ in clock_events(events)] == ["start", "jump", "jump"]
    assert clock_events(events)[1:] == [(5.0, "jump", None), (10.0, "jump", None)]


def test_jump_stops_at_an_inject_whose_condition_becomes_true_on_the_way(
    lab: Callable[..., LoadedScenario],
) -> None:
    loaded = lab(
        '- {id: nag, when: {not_done: acknowledge, by: "+0:20"}, to: [on_call], '
        "channel: phone, title: Nag}"
    )
    clock, _, events = clock_of(loaded)
    clock.jump_to_next_inject()
    clock.jump_to_next_inject()
    assert clock.jump_to_next_inject() is True
    assert clock.engine.now == 20.0  # not +1:00, the next scripted one
    assert deliveries(events)["nag"] == [20.0]


def test_jump_over_start_up_events_and_rate_changes(lab: Callable[..., LoadedScenario]) -> None:
    # LAB's meter changes rate at +0:30 (a checkpoint, not a delivery): the jump passes it
    clock, _, events = clock_of(lab())
    clock.jump_to_next_inject()
    clock.jump_to_next_inject()
    clock.jump_to_next_inject()
    assert clock.engine.now == 60.0
    assert deliveries(events)["late"] == [60.0]


def test_jump_with_nothing_left_goes_to_the_end(lab: Callable[..., LoadedScenario]) -> None:
    clock, _, _ = clock_of(lab())
    for _ in range(3):
        clock.jump_to_next_inject()
    assert clock.jump_to_next_inject() is False
    assert clock.engine.now == 180.0


def test_run_to_end_as_fast_as_possible(lab: Callable[..., LoadedScenario]) -> None:
    clock, wall, events = clock_of(lab())
    clock.run_to_end()
    assert clock.engine.now == 180.0
    assert set(deliveries(events)) == {"alert", "choice", "late"}
    assert wall.t == FakeWall().t  # it never needed the wall clock to move
