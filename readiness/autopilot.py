"""Autopilot responders: simulated people who follow the response plan as written.

They see only what reaches them: each role subscribes to the session as a seat, and a role
joins the response only once something reached it — an inject, or an escalation, assignment,
team-wide notice or consultation by a role already in it (the knowability ``scoring.knowledge``
enforces). Then the person filling it answers the page after their own latency, or does not:
nobody in a role means the role never acts. Once in, each role works through the plan's steps
that are its duty (the first role of a step's ``roles`` who is in the response takes it), one
at a time, each taking the time the team model says, in the plan's order and only once the
plan's ``after`` steps and precedence rules are met. A person without credentials to a source
never investigates it; a diagnosis waits for the evidence the team has actually seen, takes
longer for someone who does not know the system, and may first settle on a plausible wrong
cause. Every decision goes through ``Session.apply``; the journal is scored like any other.
"""

from __future__ import annotations

import bisect
import heapq
import math
import random
from collections.abc import Callable
from functools import partial
from typing import Any

from drillbook.readiness.duties import Duties, Seat
from drillbook.readiness.people import Roster, draw
from drillbook.readiness.playbook import Playbook, Task
from drillbook.readiness.team import Latency, Lognormal, TeamModel
from drillbook.simulator.events import Event, Kind
from drillbook.simulator.index import index_of
from drillbook.simulator.session import Session

_DEFAULT_WORK = Latency(lognormal=Lognormal(median=5, sigma=0.5))
_WORK: dict[str, Latency] = {
    "acknowledge": Latency(lognormal=Lognormal(median=2, sigma=0.4)),
    "escalate": Latency(lognormal=Lognormal(median=2, sigma=0.4)),
    "assign_role": Latency(lognormal=Lognormal(median=2, sigma=0.4)),
    "contain": Latency(lognormal=Lognormal(median=8, sigma=0.5)),
    "preserve_evidence": Latency(lognormal=Lognormal(median=8, sigma=0.5)),
    "remediate": Latency(lognormal=Lognormal(median=120, sigma=0.5)),
    "test_fix": Latency(lognormal=Lognormal(median=60, sigma=0.5)),
    "verify_fix": Latency(lognormal=Lognormal(median=30, sigma=0.5)),
    "final_report": Latency(lognormal=Lognormal(median=240, sigma=0.5)),
}
# What a decision by a role already in the response does to another role: it reaches them.
PULL_CHANNEL = {
    "escalate": "phone",
    "assign_role": "phone",
    "consult": "phone",
    "notify": "message",
}


class Autopilot:
    """Plays one run: a session, the team as drawn for tonight, and the plan's playbook."""

    def __init__(
        self,
        session: Session,
        team: TeamModel,
        roster: Roster,
        playbook: Playbook,
        wake_points: list[float],
        rng: random.Random,
    ) -> None:
        self.session = session
        self.team = team
        self.roster = roster
        self.book = playbook
        self.rng = rng
        self.end = float(session.scenario.ends)
        self.present = roster.present(rng)
        self.seats = {
            r: Seat(r, [p for p in team.roles.get(r, []) if p in self.present])
            for r in session.scenario.role_ids
        }
        self._agenda: list[tuple[float, int, Callable[[], None]]] = []
        self._n = 0
        self._wakes = sorted(wake_points)  # ascending: passed over a prefix at a time
        self.now = 0.0
        # What ``kick`` last saw (facts and tasks known, seats joined or freed): a kick with
        # nothing new to see can start nothing, and most of them had nothing new.
        self._seen: tuple[int, int, int] | None = None
        self._moves = 0  # seats joined or freed
        self._joins = 0
        self.tasks = playbook.tasks()  # every task of the run, in the plan's order; only added to
        self.duties = Duties(self.tasks, self.seats, playbook.can_reach)  # open ones by owner
        self._asked: set[str] = set()  # questions already on someone's list
        self.facts: dict[str, float] = {}  # what the team knows or has done → when
        self.actions: list[tuple[float, str, str, str, dict[str, Any]]] = []  # who did what
        # containment (see ``readiness.containment``): methods tried, the one in force, and
        # whether a second look is on someone's list; the signals already acted on
        self.tried: list[str] = []
        self.in_force: str | None = None
        self.containing_again = False
        self._signals: set[str] = set()
        self.next_update: float | None = None  # when the team's next status update is due
        self._urgent: list[Task] = []  # taken by the first free role of its roles, before any
        # the seats in the response and not at work: what ``kick`` hands work to (kept as
        # seats join, start and finish, not found by scanning every seat at every kick)
        self._free: dict[str, Seat] = {}

    # ── the loop ───────────────────────────────────────────────────────────────────────
    def play(self) -> None:
        s = self.session
        leave = s.subscribe(self._delivered)
        s.start()
        agenda, wakes, end = self._agenda, self._wakes, self.end
        pop, due, run_to = heapq.heappop, s.next_due, s.run_to
        past, before = bisect.bisect_right, bisect.bisect_left
        # An inject that waits on a meter threshold comes when the meter crosses it, a time
        # no list of wake-ups holds: in such a scenario the story stops at whatever it has
        # due next, so the people it reaches hear it then, not at the next stop of their own.
        crossings = bool(index_of(s.scenario).watched)
        while True:
            nxt = agenda[0][0] if agenda else math.inf
            # A wake-up before anything is due (in the story or on the agenda) would stop the
            # story where nothing happens: most of them, so they are passed over unstopped.
            story = due()
            idle = min(nxt, story)
            now = self.now
            # (those at or before now, and before ``idle``: a prefix of the ascending list,
            # found by bisection rather than popped one at a time off a heap)
            passed = max(past(wakes, now), before(wakes, idle))
            if passed:
                del wakes[:passed]
            if wakes and wakes[0] < nxt:
                nxt = wakes[0]
            if crossings and now < story < nxt:
                nxt = story
            t = min(max(nxt, now), end)
            self.now = t  # what the run hears now, its people answer from now on
            if story <= t or t >= end:
                run_to(t)
            # else nothing is due in the story by ``t``: running it there would only move its
            # clock, which the next decision (placed ``at`` its time) moves there anyway
            while agenda and agenda[0][0] <= t:  # (an agenda item never moves ``now``)
                pop(agenda)[2]()
            if t >= end:
                break
        s.end()
        # The seats hear nothing after the end: leaving the session lets it and this run's
        # people go by reference counting when dropped, not wait for the cyclic collector.
        leave()

    def wake(self, t: float) -> None:
        """Stop the story at ``t`` too: something may be delivered then (a finding, a
        delayed consequence) that someone should hear when it happens, not at the next task."""
        if t > self.now:
            bisect.insort(self._wakes, t)

    def wake_after(self, delays: list[float]) -> None:
        """``wake`` at each of ``delays`` (ascending, > 0) from now: when a consequence of a
        decision just taken may be delivered."""
        wakes, now = self._wakes, self.now
        if delays and now + delays[0] > now:  # then every one is later than now (ascending)
            wakes += map(now.__add__, delays)
        else:
            wakes += [t for t in (now + d for d in delays) if t > now]
        wakes.sort()  # (two ascending runs, merged in one pass)

    def at(self, t: float, fn: Callable[[], None]) -> None:
        self._n += 1
        heapq.heappush(self._agenda, (max(t, self.now), self._n, fn))

    # ── what reaches a role ────────────────────────────────────────────────────────────
    def _delivered(self, event: Event) -> None:
        """One listener for the whole team: a delivery is heard by the roles it is addressed
        to, in the scenario's order of roles — what one subscription per seat heard (a seat
        sees a delivery only if it is to it, ``session.visible_to``), and in the order those
        subscriptions were called, for one call per event instead of one filter per seat."""
        if event["type"] != Kind.INJECT_DELIVERED:
            return  # nothing else reaches a seat that the autopilot acts on
        to = event.get("to", ())
        for role in self.seats:
            if role in to:
                self._heard(role, event)

    def _heard(self, role: str, event: Event) -> None:
        seat = self.seats[role]
        seat.inbox.append(event)
        if seat.joined is None:
            self.page(role, float(event["sim"]), str(event.get("channel", "message")))
        if seat.joined is not None:  # they are in the response: it is news to them now
            self._learn(role, event)
            self.kick()

    def page(self, role: str, t: float, channel: str) -> None:
        """Page a role's people in turn (the next after ``escalate_after``); the first answer
        brings the role into the response. A later page can be answered sooner."""
        seat = self.seats[role]
        if seat.joined is not None:
            return
        order = [p for p in self.roster.on_rotation(role, t) if p in self.present]
        order += [p for p in seat.candidates if p not in order]
        best, who = math.inf, None
        for k, person in enumerate(order):
            answered = self.roster.answer_time(
                person, t + k * self.team.escalate_after, channel, role, self.rng
            )
            if answered < best:
                best, who = answered, person
        if who is not None and best < seat.due and best <= self.end:
            seat.due, seat.due_person = best, who
            self.at(best, partial(self._join, role, who, best))

    def _join(self, role: str, person: str, when: float) -> None:
        seat = self.seats[role]
        if seat.joined is not None or seat.due != when:
            return  # already in, or a sooner answer superseded this one
        seat.person, seat.joined = person, self.now
        self._moves += 1
        self._joins += 1
        self._free[role] = seat
        self.duties.take_over(seat)
        for event in seat.inbox:
            self._learn(role, event)
        self.kick()

    def _learn(self, role: str, event: Event) -> None:
        """What an inject or finding tells the team, once someone in the response has it."""
        book, now = self.book, self.now
        inj, src = event.get("inject"), event.get("source")
        self.facts.setdefault("alerted", now)
        if event.get("kind") == "finding":
            if not event.get("refused"):
                self.facts.setdefault(f"finding:{src}", now)
                if src in book.revealing:
                    self.facts.setdefault("evidence", now)
                    self.facts.setdefault(f"evidence-from:{src}", now)
            return
        if inj in book.revealing:
            self.facts.setdefault("evidence", now)
            self.facts.setdefault(f"evidence-from:{inj}", now)
        if inj in book.public_after:
            self.facts.setdefault("public", now)
        self._contain_again(str(inj))
        question = book.questions.get(str(inj))
        if question is not None and inj not in self._asked:
            self._asked.add(str(inj))
            self.tasks.append(book.answer_task(str(inj), question, list(event.get("to", ()))))

    def _contain_again(self, inject: str) -> None:
        """The story says the containment in force does not work: the role that contains
        puts another method in place (once per signal, one second look at a time)."""
        answers = self.book.containment.signals.get(inject)
        base = self.book.contain_task
        if answers is None or base is None or inject in self._signals:
            return
        if self.containing_again or self.in_force not in answers:
            return
        self._signals.add(inject)
        self.containing_again = True
        self._urgent.append(Task(base.step, base.action, base.roles, {"again": True}))

    # ── work ───────────────────────────────────────────────────────────────────────────
    def kick(self) -> None:
        """Every free role in the response starts the first task it can do now (one pass
        over the open tasks, in the plan's order; a task belongs to the first role of its
        ``roles`` who is in the response and able to do it).

        The pass is kept as a queue of open tasks per owner, in the plan's order: each free
        role looks only at its own, and the tasks it takes start in the order one pass over
        every task would have started them (their draws of the run's dice in that order)."""
        seen = (len(self.facts), len(self.tasks), self._moves, len(self._urgent))
        if seen == self._seen:
            return  # nothing learnt, added, joined or freed since the last look
        self._seen = seen
        if not self._free:
            return
        free = list(self._free)  # (in no particular order: the starts are sorted below)
        if self._urgent:
            free = self._start_urgent(free)
        duties = self.duties
        if duties.filed != len(self.tasks):
            duties.file()  # (most kicks have no new task to file)
        queues = duties.queues
        waits_for, facts = self.book.waits_for, self.facts
        starts: list[tuple[int, Task, str]] = []
        for role in free:
            queue = queues.get(role)
            if not queue:
                continue
            for k, (position, task) in enumerate(queue):
                waits = task.waits
                if waits is not None and waits not in facts:
                    continue  # what it waits for has not happened yet (facts are only added)
                waits = task.waits = waits_for(task, facts)
                if waits is None:
                    starts.append((position, task, role))
                    # claimed below: off its owner's queue, so no later kick passes over it
                    # (a task is on one queue, and only ever claimed from there)
                    del queue[k]
                    break
        if len(starts) > 1:
            starts.sort(key=lambda start: start[0])
        for _, task, role in starts:
            self._start(task, self.seats[role])

    def _start_urgent(self, free: list[str]) -> list[str]:
        """Urgent work (containing again while the harm runs) goes to the first free role of
        its roles, ahead of anything on that role's list; the roles left free."""
        waiting = []
        for task in self._urgent:
            role = next((r for r in task.roles if r in free), None)
            if role is None:
                waiting.append(task)
                continue
            free = [r for r in free if r != role]
            self._start(task, self.seats[role])
        self._urgent = waiting
        return free

    def _start(self, task: Task, seat: Seat) -> None:
        task.claimed = True
        seat.busy = True
        del self._free[seat.role]
        minutes = self._duration(task, seat)
        self.at(self.now + minutes, partial(self._finish, task, seat))  # (no frame of its own)

    def _lift(self, seat: Seat) -> None:
        lift = self.book.decision(seat.role, {"action": "lift_containment"})
        if lift is None:
            return
        try:
            self.session.apply(lift, at=self.now)
        except ValueError:  # nothing in force after all: the engine refuses, nothing recorded
            return
        self.actions.append((self.now, seat.role, seat.person or "", "lift-containment", {}))
        self.in_force = None

    def _duration(self, task: Task, seat: Seat) -> float:
        if task.action == "diagnose":
            familiar = self.book.knows(seat.person, self.facts)
            d = self.team.diagnosis
            return draw(d.familiar if familiar else d.unfamiliar, self.rng)
        latency = self.team.work.get(task.action) or _WORK.get(task.action, _DEFAULT_WORK)
        return draw(latency, self.rng)

    def _finish(self, task: Task, seat: Seat) -> None:
        seat.busy = False
        self._free[seat.role] = seat
        self._moves += 1
        data = self.book.params(task, self, seat)
        if data is None:  # nothing to do after all (no one to escalate to)
            task.done = True
            self.facts.setdefault(f"done:{task.step}", self.now)
            self.kick()
            return
        command = self.book.decision(seat.role, data)
        if command is not None and task.action == "contain" and self.in_force:
            self._lift(seat)  # what did not work comes off before the next method goes on
        try:
            if command is not None:
                self.session.apply(command, at=self.now)
        except ValueError:  # ActionRejected, and anything else the engine refuses
            command = None
        if command is None:
            task.done = True  # not a valid decision, or the engine refused it: they move on
            self.kick()
            return
        task.done = True
        self.actions.append((self.now, seat.role, seat.person or "", task.step, data))
        self.facts.setdefault(f"done:{task.step}", self.now)
        self.book.after(task, data, self, seat)
        target = PULL_CHANNEL.get(task.action)
        if target is not None:
            for role in self.book.pulled_in(task.action, data, list(self.seats)):
                if role != seat.role:
                    self.page(role, self.now, target)
        self.kick()
