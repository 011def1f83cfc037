"""The autopilot's bookkeeping agrees with what it stands in for, at every kick.

A kick used to scan every seat for the free ones, refile every open task by owner at each
join, and re-check every unready task at each new fact; it now keeps the free seats as they
change, moves only the tasks a newcomer takes over, and looks at a task again only once the
fact it waits for is known. These check, over whole nights, that the kept state is what the
scans would have found — the invariants those shortcuts rest on.
"""

from __future__ import annotations

import pytest
from drillbook.readiness import autopilot
from drillbook.readiness.autopilot import Autopilot
from drillbook.readiness.playbook import Task
from drillbook.readiness.runner import Spec, play
from drillbook.readiness.team import TEAMS_DIR, TeamModel, load_team
from drillbook.scenarios import library, load

NIGHTS = [
    (library.FLAGSHIP, "article-agency"),
    (library.FLAGSHIP, "on-call-with-backup"),
    ("pipeline-failure-0200", "on-call-with-backup"),
]


def _filed_from_scratch(pilot: Autopilot) -> dict[str | None, list[tuple[int, Task]]]:
    """The open tasks filed so far by owner, as one pass over them all would file them."""
    out: dict[str | None, list[tuple[int, Task]]] = {}
    for position, task in enumerate(pilot.tasks[: pilot.duties.filed]):
        if task.claimed or task.done:
            continue
        owner = None
        for role in task.roles:
            seat = pilot.seats.get(role)
            if (
                seat is not None
                and seat.joined is not None
                and (task.source is None or pilot.book.can_reach(task.source, role, seat.person))
            ):
                owner = role
                break
        out.setdefault(owner, []).append((position, task))
    return out


def _check(pilot: Autopilot, before: dict[str, float]) -> None:
    free = {r for r, s in pilot.seats.items() if s.joined is not None and not s.busy}
    assert set(pilot._free) == free
    assert all(pilot._free[r] is pilot.seats[r] for r in free)
    kept = {owner: queue for owner, queue in pilot.duties.queues.items() if queue}
    assert kept == _filed_from_scratch(pilot)
    # facts are only ever added, never changed: what a waiting task's shortcut rests on
    assert all(pilot.facts.get(k) == v for k, v in before.items())
    for queue in pilot.duties.queues.values():
        for _, task in queue:
            if task.waits is not None and task.waits not in pilot.facts:
                assert pilot.book.waits_for(task, pilot.facts) is not None, task


def _team(scenario: str, team: str) -> TeamModel:
    """A bundled team; moved to the scenario's sources (nobody knowing the system, so that
    containing again takes more than one round) where it is not the flagship's."""
    model = load_team(TEAMS_DIR / f"{team}.yaml")
    if scenario == library.FLAGSHIP:
        return model
    base = model.model_dump(by_alias=True)
    sources = [s.id for s in load(str(library.resolve(scenario))).scenario.sources]
    base["access"] = {s: {"credentials": "known"} for s in sources}
    base["systems"] = [{"id": "system", "sources": sources}]
    for person in base["people"]:
        person["knows"] = []
    return TeamModel.model_validate(base)


@pytest.mark.parametrize(("scenario", "team"), NIGHTS)
def test_kept_seats_queues_and_waits_match_a_full_scan(monkeypatch, scenario, team) -> None:
    original = Autopilot.kick
    kicks = 0

    def checked(self: Autopilot) -> None:
        nonlocal kicks
        before = dict(self.facts)
        _check(self, before)
        original(self)
        _check(self, before)
        kicks += 1

    monkeypatch.setattr(autopilot.Autopilot, "kick", checked)
    spec = Spec(str(library.resolve(scenario)), _team(scenario, team), seed=7)
    for i in range(12):
        play(spec, i)
    assert kicks > 100


def test_a_runs_tasks_are_fresh_copies_of_a_template_never_played() -> None:
    """``Task.fresh`` copies the template's fields as they are: that is a new task only while
    no run claims, finishes or marks the template itself."""
    spec = Spec(str(library.resolve(library.FLAGSHIP)), _team(library.FLAGSHIP, "article-agency"))
    _, pilot = play(spec, 0)
    template = pilot.book.template
    assert all(not t.claimed and not t.done and t.waits is None for t in template)
    for task in template:
        twin = task.fresh()
        assert twin == Task(
            task.step, task.action, task.roles, task.params, task.source, task.needs
        )
        assert twin.params is not task.params and twin.waits is None
