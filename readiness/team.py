"""The team model: who can answer for each role, when, how fast, and with what access.

A tabletop exercise tests the people in the room; a team model describes the people who will
actually be paged. It is YAML, read through the format kernel like every other file (placed
errors, duplicate keys caught, no sexagesimal surprises), validated by these pydantic models,
and cross-checked against a scenario when a simulation starts (sources named, roles in play).

The words are the article's: people fill roles, with backups; an on-call rotation covers some
hours or there is none; people have working and waking hours; they can be away (vacation, moved
teams) by chance or on given days; a page reaches them through a channel with a response
latency that depends on whether they are at work, on call, awake or asleep; credentials to a
source are known, lost, or held by named people; whoever built a system diagnoses it faster.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from drillbook.data import path as bundled_path
from drillbook.formats.validation import validate
from drillbook.formats.yamlsource import Document, InputError, Positions, Problem, read
from drillbook.scenarios.actions import Role
from drillbook.scenarios.library import find
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

TEAMS_DIR = bundled_path("teams")
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_HOURS = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$")
_MOMENT = re.compile(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) ([01]\d|2[0-3]):([0-5]\d)$")
# How a scenario's inject channels reach a person: a pager or a phone call can wake someone;
# everything else (an e-mail, a chat message, a dashboard, a post) waits to be read.
ChannelClass = Literal["pager", "phone", "message"]
CHANNEL_CLASS: dict[str, ChannelClass] = {"pager": "pager", "phone": "phone"}
State = Literal["working", "on_call", "awake", "asleep"]
STATES: tuple[State, ...] = ("working", "on_call", "awake", "asleep")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Lognormal(_Model):
    """Minutes, lognormally distributed: half the answers come within ``median``."""

    median: float = Field(gt=0, description="Minutes; the 50th percentile.")
    sigma: float = Field(0.5, ge=0, le=3, description="Spread of log(minutes).")


class Latency(_Model):
    """A response time: lognormal or an empirical sample, and the chance of an answer at all."""

    lognormal: Lognormal | None = None
    empirical: list[float] | None = Field(
        None, min_length=1, description="Observed minutes; one is drawn uniformly."
    )
    answers: float = Field(1.0, ge=0, le=1, description="Chance the page is answered at all.")

    @model_validator(mode="after")
    def _one_shape(self) -> Latency:
        if (self.lognormal is None) == (self.empirical is None):
            raise ValueError("give exactly one of 'lognormal' or 'empirical'")
        if self.empirical is not None and any(v < 0 for v in self.empirical):
            raise ValueError("empirical minutes must be 0 or more")
        return self


class Absence(_Model):
    """Away for the night: by chance (``probability``) or between two moments of the story's
    week (``from``/``until``, e.g. "Sat 00:00" … "Sun 23:59")."""

    reason: Literal["vacation", "moved_teams", "sick", "travel", "other"] = "other"
    probability: float | None = Field(None, ge=0, le=1)
    start: str | None = Field(None, alias="from")
    until: str | None = None

    @field_validator("start", "until")
    @classmethod
    def _moment(cls, v: str | None) -> str | None:
        if v is not None and not _MOMENT.match(v):
            raise ValueError(f"'{v}' is not a moment of the week; expected like 'Sat 00:00'")
        return v

    @model_validator(mode="after")
    def _when(self) -> Absence:
        dated = self.start is not None or self.until is not None
        if dated and (self.start is None or self.until is None):
            raise ValueError("a dated absence needs both 'from' and 'until'")
        if dated == (self.probability is not None):
            raise ValueError("give either 'probability' or 'from' and 'until'")
        return self


def _hours(v: str) -> str:
    if not _HOURS.match(v):
        raise ValueError(f"'{v}' is not a span of hours; expected like '09:00-17:30'")
    return v


class Person(_Model):
    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    name: str = ""
    hours: str = Field("09:00-17:30", description="Working hours, local time.")
    days: list[Literal["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]] = Field(
        default_factory=lambda: ["Mon", "Tue", "Wed", "Thu", "Fri"]
    )
    awake: str = Field("07:00-23:00", description="Waking hours, local time.")
    timezone: str | None = Field(None, description="IANA zone (default: the team's).")
    absent: list[Absence] = Field(default_factory=list)
    knows: list[str] = Field(default_factory=list, description="Systems this person knows well.")

    _h = field_validator("hours", "awake")(classmethod(lambda cls, v: _hours(v)))


class Rotation(_Model):
    """Who carries a role's pager out of hours: the first present person, then the next."""

    role: Role
    people: list[str] = Field(min_length=1)
    hours: str = Field("17:30-09:00", description="The hours the rotation covers, team time.")
    days: list[Literal["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]] = Field(
        default_factory=lambda: list(DAYS)
    )

    _h = field_validator("hours")(classmethod(lambda cls, v: _hours(v)))


class Credentials(_Model):
    """Access to one of a scenario's sources: known to whoever the role allows, lost to
    everyone, or held only by the named people (useless while they are away)."""

    credentials: Literal["known", "lost", "held"]
    by: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _holders(self) -> Credentials:
        if (self.credentials == "held") != bool(self.by):
            raise ValueError("'held' credentials name who holds them in 'by' (and only 'held')")
        return self


class System(_Model):
    """A system the team runs, as the scenario's sources show it; knowing it speeds diagnosis."""

    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    sources: list[str] = Field(default_factory=list)


class Diagnosis(_Model):
    """Time from the revealing evidence to a diagnosis, and the risk of a plausible wrong cause."""

    familiar: Latency = Latency(lognormal=Lognormal(median=30, sigma=0.5))
    unfamiliar: Latency = Latency(lognormal=Lognormal(median=150, sigma=0.4))
    wrong_cause: float = Field(
        0.3, ge=0, le=1, description="Chance an unfamiliar person first settles on a wrong cause."
    )


def _default_latency() -> dict[ChannelClass, dict[State, Latency]]:
    ln = lambda m, s=0.6, a=1.0: Latency(lognormal=Lognormal(median=m, sigma=s), answers=a)  # noqa: E731
    return {
        "pager": {"working": ln(3), "on_call": ln(6), "awake": ln(15, 0.8, 0.7), "asleep": ln(20, 0.8, 0.1)},
        "phone": {"working": ln(2), "on_call": ln(5), "awake": ln(5, 0.8, 0.8), "asleep": ln(10, 0.8, 0.2)},
        "message": {"working": ln(20, 0.8), "on_call": ln(15), "awake": ln(90, 1.0, 0.5), "asleep": ln(60, 1, 0)},
    }  # fmt: skip


class TeamModel(_Model):
    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    title: str
    description: str = ""
    timezone: str = Field("UTC", description="IANA zone of the team, and of the story's clock.")
    people: list[Person] = Field(min_length=1)
    roles: dict[Role, list[str]] = Field(
        description="Each role: the people who can fill it, first choice first, then backups."
    )
    on_call: list[Rotation] = Field(default_factory=list, description="None: no rotation.")
    escalate_after: float = Field(15, gt=0, description="Minutes before a page rolls over.")
    escalation: dict[Role, list[Role]] = Field(
        default_factory=dict, description="Who each role escalates to (checked for dead ends)."
    )
    access: dict[str, Credentials] = Field(
        default_factory=dict, description="Source id → credentials (unlisted: known)."
    )
    systems: list[System] = Field(default_factory=list)
    latency: dict[ChannelClass, dict[State, Latency]] = Field(default_factory=_default_latency)
    diagnosis: Diagnosis = Diagnosis()
    work: dict[str, Latency] = Field(
        default_factory=dict, description="Action → how long doing it takes (minutes)."
    )
    _positions: Positions | None = PrivateAttr(None)  # where each value came from, if read

    def person(self, person_id: str) -> Person:
        return next(p for p in self.people if p.id == person_id)


def team_problems(team: TeamModel) -> list[tuple[tuple[str | int, ...], str]]:
    """Cross-references inside a team model, each with the path it sits at."""
    from drillbook.readiness.escalation import dead_ends

    ids = [p.id for p in team.people]
    known = set(ids)
    out: list[tuple[tuple[str | int, ...], str]] = []
    seen: set[str] = set()
    for i, p in enumerate(team.people):
        if p.id in seen:
            out.append((("people", i, "id"), f"person '{p.id}' is declared twice"))
        seen.add(p.id)
    systems = {s.id for s in team.systems}

    def who(path: tuple[str | int, ...], names: list[str]) -> None:
        for j, name in enumerate(names):
            if name not in known:
                out.append(
                    ((*path, j), f"unknown person '{name}'; expected one of: {', '.join(ids)}")
                )

    for role, names in team.roles.items():
        who(("roles", role), names)
    for i, rot in enumerate(team.on_call):
        who(("on_call", i, "people"), rot.people)
        if rot.role not in team.roles:
            out.append((("on_call", i, "role"), f"role '{rot.role}' has no people in 'roles'"))
    for src, cred in team.access.items():
        who(("access", src, "by"), cred.by)
    for i, p in enumerate(team.people):
        for j, s in enumerate(p.knows):
            if s not in systems:
                shown = ", ".join(sorted(systems)) or "none declared"
                out.append(
                    (("people", i, "knows", j), f"unknown system '{s}'; expected one of: {shown}")
                )
        for zone_path, zone in ((("people", i, "timezone"), p.timezone),):
            if zone is not None and not _zone_ok(zone):
                out.append((zone_path, f"unknown time zone '{zone}'"))
    if not _zone_ok(team.timezone):
        out.append((("timezone",), f"unknown time zone '{team.timezone}'"))
    out += dead_ends(team)
    return out


def _zone_ok(name: str) -> bool:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def load_team(path: str | Path) -> TeamModel:
    """Read, validate and cross-check one team model; every problem comes back placed."""
    doc = read(path)
    return team_of(doc)


def team_of(doc: Document) -> TeamModel:
    team = validate(TeamModel, doc)
    problems = [doc.positions.problem(p, msg) for p, msg in team_problems(team)]
    if problems:
        raise InputError(problems)
    team._positions = doc.positions  # for the cross-checks against a scenario
    return team


def bundled_teams() -> list[str]:
    return sorted(p.stem for p in TEAMS_DIR.glob("*.yaml"))


def resolve_team(name: str) -> Path:
    """A team model file, or a bundled one by id (``article-agency``)."""
    return find(name, TEAMS_DIR, "team model file or id", bundled_teams())


def check_against(team: TeamModel, scenario_roles: list[str], sources: list[str]) -> None:
    """The team's references to a scenario: sources it names must exist there."""
    positions = team._positions
    problems: list[Problem] = []

    def add(path: tuple[str | int, ...], msg: str) -> None:
        problems.append(
            positions.problem(path, msg) if positions else Problem(f"team '{team.id}'", 0, 0, msg)
        )

    for src in team.access:
        if src not in sources:
            add(
                ("access", src),
                f"unknown source '{src}' in this scenario; expected one of: {', '.join(sources)}",
            )
    for i, s in enumerate(team.systems):
        for j, src in enumerate(s.sources):
            if src not in sources:
                add(
                    ("systems", i, "sources", j),
                    f"unknown source '{src}' in this scenario; expected one of: {', '.join(sources)}",
                )
    if problems:
        raise InputError(problems)
