"""Decision scripts (transcripts): the decisions of a team, for headless runs and tests.

A transcript is also how decisions captured on paper during a room exercise get into
drillbook. Each entry is ``{at, role, action, ...parameters}``; entries are played in time
order (stable for equal times, so the file's order breaks ties).

The evaluators' sheets come along too: an entry with ``role: evaluator`` is not a decision
but a record, journaled exactly as the facilitator console journals it (a ``Record`` command),
so it is scored and reported the same way: ``action: rating`` (``capability``, ``rating``
P/S/M/U, ``note``) overrides a capability's rating, ``action: note`` (``text``, optional
``capability`` and ``about``, a role) is an evaluator's note, and ``action: lesson``
(``capability``, ``text``, optional ``plan_change``) a lesson from the hot wash.
"""

# Annotations are evaluated as the classes are made (no ``from __future__ import annotations``):
# pydantic would otherwise compile and evaluate each field's annotation string, a quarter
# of making a model, and every command makes ~100 of them (see tests/test_model_annotations.py).
import hashlib
from collections.abc import Collection
from dataclasses import dataclass, field
from operator import is_
from pathlib import Path
from typing import Any, Literal

from drillbook.formats.collector import collector_paused
from drillbook.formats.limits import read_bounded
from drillbook.formats.offsets import fmt_offset, parse_offset
from drillbook.formats.validation import dotted, plain_message, validate
from drillbook.formats.yamlsource import Document, InputError, Problem, parse_bytes
from drillbook.scenarios.actions import (
    ACTION_MODELS,
    ACTION_NAMES,
    ROLES,
    ActionModel,
    check_role_id,
    parse_action,
)
from drillbook.scenarios.model import Scenario
from drillbook.scenarios.references import action_problems
from pydantic import BaseModel, ConfigDict, Field, ValidationError


class Decision(BaseModel):
    """One decision at one sim time by one role."""

    # Like every model here, built when first used: a transcript without evaluator entries
    # never builds the evaluator's, and ``drillbook validate`` builds none of them.

    model_config = ConfigDict(frozen=True, defer_build=True)

    at: float = Field(description="Minutes since the start.")
    role: str
    action: ActionModel
    entry: int = Field(-1, description="Index of the entry in its transcript file, if any.")


class _TranscriptFile(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    scenario: str
    seed: int | None = None
    title: str = ""
    actions: list[dict[str, Any]] = Field(default_factory=list)


EVALUATOR = "evaluator"


class _Rating(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)
    action: Literal["rating"]
    capability: str
    rating: Literal["P", "S", "M", "U"]
    note: str = ""


class _Note(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)
    action: Literal["note"]
    text: str = Field(min_length=1)
    capability: str | None = None
    about: str | None = None


class _Lesson(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)
    action: Literal["lesson"]
    capability: str
    text: str = Field(min_length=1)
    plan_change: bool = False


# An evaluator's action on paper → the journal record the facilitator console writes.
_RECORDS: dict[str, tuple[str, type[BaseModel]]] = {
    "rating": ("rating", _Rating),
    "note": ("evaluator_note", _Note),
    "lesson": ("lesson", _Lesson),
}


class EvaluatorRecord(BaseModel):
    """An evaluator's rating, note or lesson at one sim time, as the journal records it."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    at: float = Field(description="Minutes since the start.")
    type: str = Field(description="The journal record: rating, evaluator_note or lesson.")
    fields: dict[str, Any]
    entry: int = -1


@dataclass(frozen=True)
class Transcript:
    """A transcript file's decisions, in play order, with the evaluators' records beside them.

    (A docstring of its own also spares ``dataclass`` writing one from ``inspect.signature``
    at import, which doubled the cost of making this class.)"""

    scenario: str
    decisions: list[Decision]
    seed: int | None = None
    title: str = ""
    file: str = ""
    document: Document | None = None
    records: list[EvaluatorRecord] = field(default_factory=list)
    # What has been derived from the entries for a scenario (checked against it, the
    # engine's commands), so a transcript played many times pays for it once. Each entry
    # keeps the scenario and the entries it was derived from: see :func:`derived_for`.
    memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)


def _entries(t: Transcript) -> tuple[Any, ...]:
    return (*t.decisions, *t.records)


def derived_for(t: Transcript, key: str, scenario: Scenario) -> Any | None:
    """What ``t.memo[key]`` holds for this very scenario and these very entries (None:
    nothing yet, or the entries or the scenario have been replaced since)."""
    entry = t.memo.get(key)
    if entry is None or entry[0] is not scenario:
        return None
    now = _entries(t)
    if len(entry[1]) != len(now) or not all(map(is_, entry[1], now)):  # no frame per entry
        return None
    return entry[2]


def remember_for(t: Transcript, key: str, scenario: Scenario, value: Any) -> Any:
    """Keep ``value`` as derived from ``t``'s entries for ``scenario``; returns it."""
    t.memo[key] = (scenario, _entries(t), value)
    return value


def _parameters(name: str) -> list[str]:
    """The parameters an action takes (for "expected one of" in an error)."""
    for model in ACTION_MODELS:
        if model.model_fields["action"].annotation.__args__[0] == name:  # type: ignore[union-attr]
            return sorted(f.alias or n for n, f in model.model_fields.items() if n != "action")
    return []


def _record(
    doc: Document, i: int, at: float, data: dict[str, Any], raw: dict[str, Any]
) -> tuple[EvaluatorRecord | None, list[Problem]]:
    """An evaluator's entry (``role: evaluator``), every bad field placed."""
    path = ("actions", i)
    kind = data.get("action")
    if kind not in _RECORDS:
        return None, [
            doc.positions.problem(
                (*path, "action"),
                f"actions[{i}].action: the evaluator records '{kind}'; expected one of: "
                f"{', '.join(_RECORDS)}",
            )
        ]
    type_, model = _RECORDS[str(kind)]
    try:
        parsed = model.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = [x for x in err["loc"] if x in raw]
            sub = (*path, *loc[:1])
            if err["type"] == "extra_forbidden":
                fields = sorted(n for n in model.model_fields if n != "action")
                msg = f"an evaluator's '{kind}' takes no '{loc[0] if loc else '?'}'; expected: {', '.join(fields)}"
            elif err["type"] == "missing":
                msg = f"an evaluator's '{kind}' needs '{err['loc'][-1]}'"
            else:
                msg = plain_message(err)
            problems.append(
                doc.positions.problem(
                    sub, f"{dotted(sub)}: {msg}", key=err["type"] == "extra_forbidden"
                )
            )
        return None, problems
    fields = parsed.model_dump(exclude={"action"}, exclude_defaults=True)
    if type_ == "rating":  # the console always writes the note, empty or not
        fields["note"] = parsed.note  # type: ignore[attr-defined]
    return EvaluatorRecord(at=at, type=type_, fields=fields, entry=i), []


def _entry(
    doc: Document, i: int, raw: Any
) -> tuple[Decision | EvaluatorRecord | None, list[Problem]]:
    path = ("actions", i)
    pos = doc.positions
    if not isinstance(raw, dict):
        return None, [
            pos.problem(path, f"actions[{i}]: expected a mapping {{at, role, action, ...}}")
        ]
    problems: list[Problem] = []
    data = dict(raw)
    for required in ("at", "role", "action"):
        if required not in data:
            problems.append(pos.problem(path, f"actions[{i}]: '{required}' is missing"))
    if problems:
        return None, problems
    at_raw, role = data.pop("at"), data.pop("role")
    try:
        at = parse_offset(at_raw)
    except ValueError as exc:
        problems.append(pos.problem((*path, "at"), f"actions[{i}].at: {exc}"))
        at = 0
    if role == EVALUATOR:
        if problems:
            return None, problems
        return _record(doc, i, float(at), data, raw)
    try:  # any role id; whether it is in play is checked against the scenario
        check_role_id(role)
    except ValueError:
        problems.append(
            pos.problem(
                (*path, "role"),
                f"unknown role '{role}'; expected a role id (the article's: {', '.join(ROLES)})",
            )
        )
    try:
        action = parse_action(data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = [x for x in err["loc"] if x in raw]
            sub = (*path, *loc[:1])
            msg = plain_message(err)
            if err["type"] == "union_tag_invalid":
                sub = (*path, "action")
                msg = f"unknown action '{data.get('action')}'; expected one of: {', '.join(ACTION_NAMES)}"
            elif err["type"] == "extra_forbidden":
                msg = (
                    f"'{data.get('action')}' takes no parameter '{loc[0] if loc else '?'}'; "
                    f"expected one of: {', '.join(_parameters(str(data.get('action'))))}"
                )
            elif err["type"] == "missing" and err["loc"]:
                msg = f"'{data.get('action')}' needs '{err['loc'][-1]}'"
            problems.append(
                pos.problem(sub, f"{dotted(sub)}: {msg}", key=err["type"] == "extra_forbidden")
            )
        return None, problems
    if problems:
        return None, problems
    return Decision(at=float(at), role=role, action=action, entry=i), []


def load_transcript(path: str | Path, *, reuse: bool = False) -> Transcript:
    """Read a transcript file; every bad entry is reported with its position.

    Linear in the number of entries, in time and memory (the collector is paused while the
    decisions are built: see ``scenarios.collector``). With ``reuse``, bytes that loaded
    cleanly under this name before give the transcript they gave then (see
    :mod:`formats.validcache`): ``drillbook run`` plays the same model-team transcript every
    time, and composing and validating it (PyYAML's import among it) was ~15 ms of each run.
    A transcript that fails to load is never kept, so its problems are found every time.
    """
    raw = read_bounded(Path(path), "a YAML file")
    digest = hashlib.sha256(raw).hexdigest()
    if reuse:
        from drillbook.formats import validcache

        known = validcache.recall_loaded(Transcript, digest, str(path))
        if known is not None:
            return known
    doc = parse_bytes(raw, path, digest)
    decisions: list[Decision] = []
    records: list[EvaluatorRecord] = []
    problems: list[Problem] = []
    with collector_paused():
        head = validate(_TranscriptFile, doc)
        for i, raw in enumerate(head.actions):
            d, errs = _entry(doc, i, raw)
            problems += errs
            if isinstance(d, Decision):
                decisions.append(d)
            elif d is not None:
                records.append(d)
    if problems:
        raise InputError(problems)
    decisions.sort(key=lambda d: d.at)  # stable: ties keep the file's order
    records.sort(key=lambda r: r.at)
    # Of the file itself only the positions are kept (for placing a later refusal): the
    # decisions hold the data, and a 5,000-entry file's raw data need not live on beside them.
    where = Document(None, doc.positions, doc.sha256)
    t = Transcript(head.scenario, decisions, head.seed, head.title, str(path), where, records)
    if reuse:
        validcache.keep_loaded(Transcript, digest, str(path), t)
    return t


def check_against(t: Transcript, scenario: Scenario) -> None:
    """Every id a transcript names must exist in its scenario (roles, injects, options…).

    A transcript that passed against this scenario passes again (it is remembered)."""
    if derived_for(t, "checked", scenario):
        return
    doc = t.document
    problems: list[Problem] = []

    def bad(i: int, key: str, msg: str) -> None:
        d = t.decisions[i]
        where = f"{fmt_offset(d.at)} {d.role} {d.action.action}"
        if doc is not None and d.entry >= 0:
            problems.append(doc.positions.problem(("actions", d.entry, key), f"{where}: {msg}"))
        else:
            problems.append(Problem(t.file or "transcript", 0, 0, f"entry {i} ({where}): {msg}"))

    if t.scenario != scenario.id:
        problems.append(
            Problem(
                t.file, 1, 1, f"transcript is for scenario '{t.scenario}'; expected '{scenario.id}'"
            )
        )
    for i, d in enumerate(t.decisions):
        for key, msg in action_problems(scenario, d.role, d.action):
            bad(i, key, msg)
    roles = set(scenario.role_ids)
    for r in t.records:
        about = r.fields.get("about")
        if about is not None and about not in roles:
            problems.append(
                _placed(
                    t,
                    r,
                    "about",
                    f"role '{about}' is not in play; expected one of: {', '.join(scenario.role_ids)}",
                )
            )
    if problems:
        raise InputError(problems)
    remember_for(t, "checked", scenario, True)


def check_capabilities(t: Transcript, capabilities: Collection[str]) -> None:
    """Every capability an evaluator's entry names must be one of the plan's: a rating of a
    capability the plan does not have would be left out of the score without a word."""
    problems = [
        _placed(
            t,
            r,
            "capability",
            f"capability '{r.fields['capability']}' is not in the plan; expected one of: "
            f"{', '.join(capabilities)}",
        )
        for r in t.records
        if r.fields.get("capability") is not None and r.fields["capability"] not in capabilities
    ]
    if problems:
        raise InputError(problems)


def _placed(t: Transcript, r: EvaluatorRecord, key: str, msg: str) -> Problem:
    where = f"{fmt_offset(r.at)} {EVALUATOR} {r.type}"
    if t.document is not None and r.entry >= 0:
        return t.document.positions.problem(("actions", r.entry, key), f"{where}: {msg}")
    return Problem(t.file or "transcript", 0, 0, f"{where}: {msg}")
