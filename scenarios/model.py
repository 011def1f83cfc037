"""The scenario (the exercise's MSEL) as typed, frozen models.

One YAML file is one exercise. These models are the single definition of that format: the
loader validates against them, ``drillbook schema`` generates the JSON Schema from them, and
the engine, scorer and screens read them. Cross-references (an inject naming a meter, a
condition naming a source) are checked by :mod:`scenarios.references`, which can place
each problem in the file.
"""

# Annotations are evaluated as the classes are made (no ``from __future__ import annotations``):
# pydantic would otherwise compile and evaluate each field's annotation string, a quarter
# of making a model, and every command makes ~100 of them (see tests/test_model_annotations.py).
import re
from datetime import date, datetime, time, timedelta
from functools import cached_property
from typing import Annotated, Literal

from drillbook.formats.offsets import Offset, StoryClock
from drillbook.scenarios.base import _Model, _slug, check_id
from drillbook.scenarios.conditions import Condition, link_named
from drillbook.scenarios.meters import Derived, Meter, RateRule  # noqa: F401 - re-exported
from drillbook.scenarios.truth import (  # noqa: F401 - the scenario format's names, re-exported
    Amendment,
    Cause,
    FollowUp,
    Obligation,
    StoryTrigger,
    Trigger,
    Truth,
)
from drillbook.scenarios.vocabulary import (
    ACTION_NAMES,
    ROLE_TITLES,
    IncidentType,
    Role,
)
from pydantic import (
    BeforeValidator,
    Field,
    PrivateAttr,
    WithJsonSchema,
    field_validator,
    model_validator,
)

Channel = Literal[
    "pager", "phone", "email", "chat", "dashboard", "news", "social", "ticket", "meeting", "video"
]
SourceKind = Literal["dashboard", "log", "report", "sample", "ticket", "document", "feed", "video"]


def _as_date(value: object) -> object:
    """``2023-10-02`` as YAML writes it, quoted or not; a clear line for anything else."""
    if isinstance(value, datetime):
        raise ValueError(f'{value} is a date and time; expected a date like "2023-10-02"')
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f'{value!r} is not a date; expected like "2023-10-02"')


StoryDate = Annotated[
    date,
    BeforeValidator(_as_date),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^\d{4}-\d{2}-\d{2}$",
            "patternErrorMessage": 'not a date; expected like "2023-10-02"',
            "description": "A date: 2023-10-02.",
        }
    ),
]

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_START = re.compile(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)\w* ([01]\d|2[0-3]):([0-5]\d)$")
# Any Monday will do: only the weekday and time of the story clock are shown to players.
_REFERENCE_MONDAY = datetime(2024, 1, 1)


class Phase(_Model):
    id: str
    title: str
    description: str = ""
    _slug = field_validator("id")(_slug)


class RoleInPlay(_Model):
    """A role at the table and what it knows when play starts (for the Situation Manual).

    The article's six roles need nothing more. A scenario's own role (a CEO, government
    affairs, field operations) names the ``duties`` it carries: the plan's roles or duty kinds
    whose steps it takes (``duties: [communications_lead]``), so the plan's "whose step is
    this" maps onto the scenario's table."""

    id: Role
    title: str = Field("", description="How people name it; default: the article's title.")
    brief: str = ""
    duties: list[str] = Field(
        default_factory=list,
        description="The plan's roles or duty kinds this role carries (its own id always).",
    )

    @field_validator("duties")
    @classmethod
    def _duty_ids(cls, v: list[str]) -> list[str]:
        for d in v:
            check_id(d)
        return v


class Attachment(_Model):
    """A small table of metrics shown with an inject."""

    title: str
    columns: list[str] = Field(min_length=1)
    rows: list[list[str | int | float]] = Field(default_factory=list)

    @model_validator(mode="after")
    def _widths(self) -> "Attachment":
        for i, row in enumerate(self.rows):
            if len(row) != len(self.columns):
                raise ValueError(
                    f"row {i} has {len(row)} cells; expected {len(self.columns)} (the columns)"
                )
        return self


Verdict = Literal["sound", "poor", "harmful"]


class Option(_Model):
    """One answer to an inject's question; ``verdict`` and ``why`` are for scoring, never shown."""

    id: str
    label: str
    verdict: Verdict | None = Field(None, description="How the answer is judged when scored.")
    capability: str | None = Field(None, description="The plan capability it bears on.")
    why: str = Field("", description="Why the answer is sound, poor or harmful (the report).")
    _slug = field_validator("id")(_slug)


class Question(_Model):
    prompt: str
    options: list[Option] = Field(min_length=2)
    role: Role | None = Field(None, description="Who is expected to answer (default: any).")
    capability: str | None = Field(
        None, description="The plan capability its answers bear on (an option may name its own)."
    )

    def players_view(self) -> dict[str, object]:
        """The question as players receive it: no verdicts, no reasons, no capability."""
        return {
            "prompt": self.prompt,
            "options": [{"id": o.id, "label": o.label} for o in self.options],
            **({"role": self.role} if self.role else {}),
        }


class Inject(_Model):
    """One scripted event put in front of players: at an offset, or when a condition holds."""

    id: str
    at: Offset | None = None
    when: Condition | None = None
    delay: Offset = Field(0, description="With 'when': minutes between the condition and delivery.")
    to: list[Role] = Field(min_length=1)
    channel: Channel
    sender: str = ""
    title: str
    body: str = Field("", description="May show meter values: {tickets_sold}, {revenue_lost}.")
    attachments: list[Attachment] = Field(default_factory=list)
    question: Question | None = None
    phase: str | None = None
    expects: list[str] = Field(default_factory=list, description="Actions this inject prompts.")
    _slug = field_validator("id")(_slug)

    @field_validator("expects")
    @classmethod
    def _actions(cls, v: list[str]) -> list[str]:
        for a in v:
            if a not in ACTION_NAMES:
                raise ValueError(
                    f"'{a}' is not an action; expected one of: {', '.join(ACTION_NAMES)}"
                )
        return v

    @model_validator(mode="after")
    def _one_trigger(self) -> "Inject":
        if (self.at is None) == (self.when is None):
            raise ValueError(f"inject '{self.id}' needs exactly one of 'at' (an offset) or 'when'")
        if self.at is not None and self.delay:
            raise ValueError(f"inject '{self.id}': 'delay' goes with 'when', not with 'at'")
        return self


class Source(_Model):
    """Something the team can look into; what it shows arrives after ``minutes``."""

    id: str
    kind: SourceKind
    title: str
    shows: str
    minutes: Offset = 10
    jitter: Offset = Field(
        0, description="Up to this many extra minutes, drawn from the run's seed."
    )
    access: list[Role] = Field(min_length=1, description="Roles that can reach it.")
    refusal: str = "You cannot reach this source."
    _slug = field_validator("id")(_slug)


class Objective(_Model):
    text: str
    capabilities: list[str] = Field(default_factory=list)


class BasedOn(_Model):
    title: str
    year: int | None = None
    summary: str = ""
    reference: str = ""


class Scenario(_Model):
    """One exercise: its story, its truth, its meters and its MSEL."""

    id: str
    title: str
    summary: str
    types: list[IncidentType] = Field(min_length=1)
    start: str = Field(description='Story clock at the start: a day and a time, "Tue 03:47".')
    date: StoryDate | None = Field(
        None,
        description='The calendar date of the start ("2023-10-02"), its weekday the one in '
        "start; the story clock then shows dates (Mon 2 Oct 21:30).",
    )
    clock: Literal["weekday", "day", "date"] | None = Field(
        None,
        description="How the story clock reads: weekday (Wed 09:00), day (day 3 09:00: for a "
        "story longer than a week) or date (Wed 4 Oct 09:00, needs 'date'). Default: date "
        "when a date is given, else weekday.",
    )
    ends: Offset = Field(description="End of play (an offset).")
    roles: list[RoleInPlay] = Field(min_length=1)
    phases: list[Phase] = Field(default_factory=list)
    objectives: list[Objective] = Field(default_factory=list)
    truth: Truth
    meters: list[Meter] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list)
    injects: list[Inject] = Field(min_length=1)
    discussion: list[str] = Field(default_factory=list, description="Hot-wash questions.")
    based_on: BasedOn | None = None
    client: str | None = Field(None, description="Client profile file, relative to this file.")
    no_client: Literal["leadership", "nobody"] | None = Field(
        None,
        description="No outside client (a company running its own fleet): 'leadership' — the "
        "organisation's own leadership takes the client's place in the plan (telling, "
        "updating and consulting it does the client steps); 'nobody' — the plan's client "
        "steps do not apply.",
    )
    conditions: dict[str, Condition] = Field(
        default_factory=dict,
        description="Named conditions, referred to as {condition: NAME} wherever a condition "
        "goes (the handbook shows the name, and the definition once).",
    )
    _slug = field_validator("id")(_slug)

    @field_validator("conditions")
    @classmethod
    def _condition_names(cls, v: dict[str, Condition]) -> dict[str, Condition]:
        for name in v:
            check_id(name)
        return v

    @model_validator(mode="after")
    def _link_conditions(self) -> "Scenario":
        roots = [i.when for i in self.injects if i.when is not None]
        roots += [r.when for m in self.meters for r in m.rates]
        link_named(self.conditions, roots)
        return self

    # Indexes that readers derive from the scenario (the engine's, the scorer's) are kept
    # here so that many runs of one scenario build them once. Not part of the format.
    _memo: dict[str, object] = PrivateAttr(default_factory=dict)

    @property
    def derived_memo(self) -> dict[str, object]:
        return self._memo

    @field_validator("start")
    @classmethod
    def _start(cls, v: str) -> str:
        if not _START.match(v.strip()):
            raise ValueError(f'"{v}" is not a day and time; expected like "Tue 03:47"')
        return v.strip()

    @model_validator(mode="after")
    def _client_or_none(self) -> "Scenario":
        if self.no_client is not None and self.client is not None:
            raise ValueError(
                f"no_client: {self.no_client} says there is no outside client, but client names "
                "a profile; expected one of them"
            )
        return self

    @model_validator(mode="after")
    def _date_and_weekday(self) -> "Scenario":
        if self.clock == "date" and self.date is None:
            raise ValueError("clock: date needs the calendar 'date' of the start (2023-10-02)")
        if self.date is not None:
            weekday = _DAYS[self.date.weekday()]
            said = self.start[:3]
            if said != weekday:
                raise ValueError(
                    f"start says {said} but date {self.date.isoformat()} is a {weekday}; "
                    f'expected start "{weekday} {self.start.split()[-1]}" or another date'
                )
        return self

    @property
    def start_datetime(self) -> datetime:
        m = _START.match(self.start)
        assert m  # validated
        hours, minutes = int(m.group(2)), int(m.group(3))
        if self.date is not None:
            return datetime.combine(self.date, time(hours, minutes))
        day = _DAYS.index(m.group(1))
        return _REFERENCE_MONDAY + timedelta(days=day, hours=hours, minutes=minutes)

    @cached_property
    def story_clock(self) -> StoryClock:
        """The one formatter of this story's clock (see :class:`StoryClock`)."""
        mode = self.clock or ("date" if self.date else "weekday")
        return StoryClock(self.start_datetime, mode)

    def story_time(self, minutes: float) -> str:
        """The story clock at ``minutes``: ``Wed 09:00``, ``day 3 09:00`` or ``Wed 4 Oct 09:00``."""
        return self.story_clock.label(minutes)

    @property
    def start_label(self) -> str:
        """The start as the clock writes it (the scenario's own words for a short story)."""
        return self.start if self.story_clock.mode == "weekday" else self.story_clock.start_label()

    # Lookups by id are asked for on every decision a run takes; a frozen scenario can keep
    # them (cached_property writes the instance dict directly, which frozen models allow).
    @cached_property
    def role_ids(self) -> list[str]:
        return [r.id for r in self.roles]

    def role_title(self, role_id: str) -> str:
        """``Government affairs`` — the scenario's title, else the article's, else the id."""
        role = next((r for r in self.roles if r.id == role_id), None)
        if role is not None and role.title:
            return role.title
        return ROLE_TITLES.get(role_id) or role_id.replace("_", " ").capitalize()

    def duties_of(self, role_id: str) -> set[str]:
        """The role itself and the duties the scenario gives it."""
        role = next((r for r in self.roles if r.id == role_id), None)
        return {role_id, *(role.duties if role else ())}

    def filling(self, duty: str) -> list[str]:
        """Roles in play that carry ``duty`` (a plan role or duty kind), in table order."""
        return [r.id for r in self.roles if duty == r.id or duty in r.duties]

    @cached_property
    def _by_id(self) -> tuple[dict[str, Inject], dict[str, Source], dict[str, Meter]]:
        return (
            {i.id: i for i in self.injects},
            {s.id: s for s in self.sources},
            {m.id: m for m in self.meters},
        )

    def inject(self, inject_id: str) -> Inject | None:
        return self._by_id[0].get(inject_id)

    def source(self, source_id: str) -> Source | None:
        return self._by_id[1].get(source_id)

    def meter(self, meter_id: str) -> Meter | None:
        return self._by_id[2].get(meter_id)
