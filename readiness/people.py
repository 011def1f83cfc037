"""People in time: who is away tonight, what state someone is in at a minute of the story, and
how long a page takes to be answered.

Everything random is drawn from the run's own ``random.Random``, in a fixed order, so a run is
a pure function of its seed. A person's state at story minute *t* is read off their local clock
(the story's clock is the team's zone; a person may live in another): at work, on call for a
role whose rotation covers the hour, awake, or asleep. A page not answered in one state is seen
when the person next enters a state that answers it (they wake up and read their phone).
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from drillbook.readiness.team import (
    CHANNEL_CLASS,
    DAYS,
    Absence,
    Latency,
    Person,
    Rotation,
    State,
    TeamModel,
)

WEEK = 7 * 24 * 60
_SCAN = 15.0  # minutes between looks for the next state change (a page seen on waking)
_HORIZON = 3 * 24 * 60.0  # a page nobody sees within three days is never answered
_PAGES_KEPT = 20_000  # pages whose moments are remembered (a few thousand per team model)


def draw(latency: Latency, rng: random.Random) -> float:
    """Minutes, from a declared distribution (always two draws' worth of the stream is not
    promised: one draw for lognormal, one for empirical)."""
    if latency.lognormal is not None:
        ln = latency.lognormal
        return ln.median * math.exp(ln.sigma * rng.gauss(0.0, 1.0))
    assert latency.empirical is not None
    return latency.empirical[rng.randrange(len(latency.empirical))]


def _span(text: str) -> tuple[int, int]:
    a, b = text.split("-")
    return int(a[:2]) * 60 + int(a[3:]), int(b[:2]) * 60 + int(b[3:])


def _moment(text: str) -> int:
    day, hm = text.split(" ")
    return DAYS.index(day) * 1440 + int(hm[:2]) * 60 + int(hm[3:])


def within(week_minute: float, span: tuple[int, int], days: list[str] | None) -> bool:
    """Whether a minute of the week falls in a daily span (which may run past midnight: then
    the minutes after midnight belong to the shift that began the day before)."""
    day, minute = divmod(int(week_minute) % WEEK, 1440)
    start, end = span
    if start <= end:
        return start <= minute < end and (days is None or DAYS[day] in days)
    if minute >= start:
        return days is None or DAYS[day] in days
    if minute < end:
        return days is None or DAYS[(day - 1) % 7] in days
    return False


@dataclass(frozen=True)
class Clocked:
    """A person with their hours read once: spans in minutes, their offset from team time."""

    person: Person
    offset: int  # minutes their local clock is ahead of the team's
    hours: tuple[int, int]
    awake: tuple[int, int]


class Roster:
    """The team against one scenario's clock: states, absences and rotations, read once."""

    def __init__(self, team: TeamModel, story_start: datetime) -> None:
        self.team = team
        zone = ZoneInfo(team.timezone)
        here = story_start.replace(tzinfo=zone)
        self.start_minute = (
            story_start.weekday() * 1440 + story_start.hour * 60 + story_start.minute
        )
        self.people: dict[str, Clocked] = {}
        for p in team.people:
            offset = 0
            if p.timezone:
                there = here.astimezone(ZoneInfo(p.timezone))
                offset = int((there.replace(tzinfo=None) - story_start) / timedelta(minutes=1))
            self.people[p.id] = Clocked(p, offset, _span(p.hours), _span(p.awake))
        self.rotations: list[tuple[Rotation, tuple[int, int]]] = [
            (r, _span(r.hours)) for r in team.on_call
        ]
        # minute-of-week memos, filled as runs reach them (at most a week's minutes each)
        self._own: dict[tuple[str, int], State] = {}
        self._rota: dict[tuple[str, int], tuple[str, ...]] = {}
        # person, role, page time → the moments it is looked at so far, and whether that is all
        self._pages: dict[tuple[str, str, float], list] = {}

    def week_minute(self, t: float, person: str | None = None) -> float:
        shift = self.people[person].offset if person else 0
        return self.start_minute + t + shift

    def absent(self, person: str, absence: Absence, rng: random.Random) -> bool:
        """Draws one number per chance absence, in declaration order (dated ones draw none)."""
        if absence.probability is not None:
            return rng.random() < absence.probability
        assert absence.start is not None and absence.until is not None
        now = self.start_minute % WEEK
        a, b = _moment(absence.start), _moment(absence.until)
        return a <= now <= b if a <= b else now >= a or now <= b

    def present(self, rng: random.Random) -> set[str]:
        """Who is around tonight (every chance absence drawn, in the file's order)."""
        out = set()
        for p in self.team.people:
            gone = [self.absent(p.id, a, rng) for a in p.absent]
            if not any(gone):
                out.add(p.id)
        return out

    def on_rotation(self, role: str, t: float) -> tuple[str, ...]:
        """The people carrying ``role``'s pager at story minute ``t`` (team time)."""
        return self._carrying(role, int(self.start_minute + t) % WEEK)  # ``week_minute(t)``

    def _carrying(self, role: str, minute: int) -> tuple[str, ...]:
        """``on_rotation`` at a minute of the week: the same for every run, so read once."""
        key = (role, minute)
        found = self._rota.get(key)
        if found is None:
            out: list[str] = []
            for rot, span in self.rotations:
                if rot.role == role and within(minute, span, rot.days):
                    out += [p for p in rot.people if p not in out]
            found = self._rota[key] = tuple(out)
        return found

    def state(self, person: str, t: float, role: str | None = None) -> State:
        # Every test below reads whole minutes of the week (``within``), the person's and the
        # team's: a person's hours at each minute are read once, for every run of the team.
        c = self.people[person]
        minute = int(self.start_minute + t + c.offset) % WEEK
        key = (person, minute)
        own = self._own.get(key)
        if own is None:
            own = self._own[key] = (
                "working"
                if within(minute, c.hours, c.person.days)
                else "awake"
                if within(minute, c.awake, None)
                else "asleep"
            )
        if own != "working" and role is not None:
            minute = int(self.start_minute + t) % WEEK  # ``week_minute(t)``: the team's
            carrying = self._rota.get((role, minute))  # ``_carrying``'s memo, read in place
            if carrying is None:
                carrying = self._carrying(role, minute)
            if person in carrying:
                return "on_call"
        return own

    def answer_time(
        self, person: str, paged: float, channel: str, role: str, rng: random.Random
    ) -> float:
        """When ``person`` answers a page sent at ``paged`` through ``channel`` (inf: never)."""
        table = self.team.latency[CHANNEL_CLASS.get(channel, "message")]
        for t, state in self._looks(person, role, paged):
            latency = table.get(state)
            if latency is not None and rng.random() < latency.answers:
                return t + draw(latency, rng)
            # Not answered in this state: seen, if at all, once the state changes.
        return math.inf

    def _looks(self, person: str, role: str, paged: float) -> Iterator[tuple[float, State]]:
        """The moments a page sent at ``paged`` is looked at: when it arrives, then at each
        change of the person's state (found every ``_SCAN`` minutes), within the horizon.
        They depend on the page alone, not on the run, and the same pages recur (most at an
        inject's scripted time): so they are kept, as far as any run has needed them."""
        key = (person, role, paged)
        known = self._pages.get(key)
        if known is None:
            if len(self._pages) >= _PAGES_KEPT:
                self._pages.clear()
            known = self._pages[key] = [[(paged, self.state(person, paged, role))], False]
        looks: list[tuple[float, State]] = known[0]
        i = 0
        while True:
            if i < len(looks):
                yield looks[i]
                i += 1
                continue
            if known[1]:
                return  # no further change within the horizon
            t, state = looks[-1]
            while t - paged <= _HORIZON:
                t += _SCAN
                nxt = self.state(person, t, role)
                if nxt != state:
                    break
            else:
                known[1] = True
                return
            if t - paged > _HORIZON:  # a change just past the horizon is not looked at
                known[1] = True
                return
            looks.append((t, nxt))
