"""From the action contract to a form: one field description per parameter of an action.

The forms are built from the pydantic models of ``scenarios.actions`` rather than written by
hand, so a parameter added to the contract appears on screen without touching the TUI. Each
annotation maps to one kind of input: a ``Literal`` to a picker, a list of them to a checklist,
``bool`` to a switch, an offset to a ``+H:MM`` box; ids the scenario defines (sources, causes,
obligations, injects) become pickers filled from the scenario. No Textual here: the mapping is
plain data, tested on its own.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from drillbook.formats.offsets import parse_offset
from drillbook.scenarios.actions import ACTION_MODELS, ROLES, check_role_id, parse_action
from drillbook.scenarios.model import Scenario
from drillbook.tui.format import humanise, role_title
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

Kind = Literal["choice", "choices", "switch", "yesno", "text", "longtext", "integer", "offset"]
LONG_TEXT = frozenset({"message"})
MODELS: dict[str, type[BaseModel]] = {
    m.model_fields["action"].annotation.__args__[0]: m  # type: ignore[union-attr]
    for m in ACTION_MODELS
}


@dataclass(frozen=True)
class FieldSpec:
    """One parameter as a form shows it."""

    name: str  # the key in the action's data (the alias where there is one: ``with``)
    label: str
    kind: Kind
    required: bool
    options: list[tuple[str, str]] = field(default_factory=list)  # (label, value)
    default: Any = None
    help: str = ""


@dataclass(frozen=True)
class Desk:
    """What the form may offer a role: the scenario, and the injects on the role's desk."""

    scenario: Scenario
    injects: list[dict[str, Any]]  # inject_delivered events this role has received
    current: str | None = None  # the inject open on screen (pre-fills ``re`` and ``inject``)


def _unwrap_optional(tp: Any) -> tuple[Any, bool]:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return args[0], True
    return tp, False


def _literal_values(tp: Any) -> list[str] | None:
    return list(typing.get_args(tp)) if typing.get_origin(tp) is Literal else None


def _is_offset(info: FieldInfo) -> bool:
    return any(getattr(m, "func", None) is parse_offset for m in info.metadata)


def offset_fields(action: str) -> list[str]:
    """The parameters of ``action`` that are story times (journaled as minutes)."""
    model = MODELS.get(action)
    if model is None:
        return []
    return [info.alias or name for name, info in model.model_fields.items() if _is_offset(info)]


def _is_role(info: FieldInfo) -> bool:
    """A role parameter (escalate to, assign, spokesperson): a pick among the roles in play."""
    return any(getattr(m, "func", None) is check_role_id for m in info.metadata)


def _role_options(values: Iterable[str], scenario: Scenario) -> list[tuple[str, str]]:
    in_play = set(scenario.role_ids)
    return [(role_title(v, scenario), v) for v in values if v in in_play]


def _scenario_options(name: str, desk: Desk) -> list[tuple[str, str]] | None:
    """Pickers for ids the scenario defines. Sorted by label, so order gives nothing away."""
    s = desk.scenario
    if name == "source":
        return sorted((f"{src.title} ({src.kind})", src.id) for src in s.sources)
    if name == "root_cause":
        return sorted((c.label, c.id) for c in s.truth.causes)
    if name == "obligations":
        return sorted(
            (f"{o.regime} — {o.description}".strip(" —"), o.id) for o in s.truth.obligations
        )
    if name == "re":
        return [(_short(e["title"]), e["inject"]) for e in reversed(desk.injects)]
    if name == "inject":
        return [
            (_short(e["title"]), e["inject"]) for e in reversed(desk.injects) if e.get("question")
        ]
    return None


def _short(text: str, width: int = 44) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def answer_options(desk: Desk, inject_id: str | None) -> list[tuple[str, str]]:
    """The options of the question an inject asks (the ``answer`` action's second picker)."""
    for e in desk.injects:
        if e["inject"] == inject_id and e.get("question"):
            return [(o["label"], o["id"]) for o in e["question"].get("options", [])]
    return []


def field_specs(action: str, desk: Desk) -> list[FieldSpec]:
    """The fields of ``action``'s form, parameters first, then ``re`` and ``rationale``."""
    model = MODELS[action]
    specs: list[FieldSpec] = []
    for name, info in model.model_fields.items():
        if name == "action":
            continue
        key = info.alias or name
        tp, optional = _unwrap_optional(info.annotation)
        required = info.is_required()
        default = None if info.default is None or required else info.default
        label = humanise(key)
        help_ = info.description or ""
        scenario_options = _scenario_options(key, desk)
        literal = _literal_values(tp)
        if typing.get_origin(tp) is list:
            (item,) = typing.get_args(tp)
            values = _literal_values(item)
            options = scenario_options or [(humanise(v), v) for v in values or []]
            specs.append(FieldSpec(key, label, "choices", required, options, [], help_))
        elif scenario_options is not None:
            value = desk.current if key in ("re", "inject") else None
            if value not in {v for _, v in scenario_options}:
                value = None
            specs.append(FieldSpec(key, label, "choice", required, scenario_options, value, help_))
            if key == "inject":
                opts = answer_options(desk, value)
                specs.append(FieldSpec("option", "option", "choice", True, opts, None, ""))
        elif _is_role(info):
            options = _role_options(desk.scenario.role_ids, desk.scenario)
            specs.append(FieldSpec(key, label, "choice", required, options, default, help_))
        elif literal is not None:
            options = (
                _role_options(literal, desk.scenario)
                if set(literal) <= set(ROLES)
                else [(humanise(v), v) for v in literal]
            )
            specs.append(FieldSpec(key, label, "choice", required, options, default, help_))
        elif tp is bool:
            kind: Kind = "yesno" if optional else "switch"
            specs.append(FieldSpec(key, label, kind, required, [], default, help_))
        elif tp is int and _is_offset(info):
            specs.append(
                FieldSpec(key, label, "offset", required, [], None, '"+H:MM" from the start')
            )
        elif tp is int:
            specs.append(FieldSpec(key, label, "integer", required, [], default, help_))
        elif key == "option" and action == "answer":
            continue  # shown right after ``inject``, its options depend on it
        else:
            kind = "longtext" if key in LONG_TEXT else "text"
            specs.append(FieldSpec(key, label, kind, required, [], default, help_))
    # the action's own parameters first; what every action may carry (re, rationale) last
    return sorted(specs, key=lambda spec: {"re": 1, "rationale": 2}.get(spec.name, 0))


def check(action: str, values: dict[str, Any]) -> tuple[dict[str, Any] | None, list[str]]:
    """The action's data if it fits the contract, else one readable line per problem."""
    data = {"action": action, **{k: v for k, v in values.items() if v is not None}}
    try:
        parse_action(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            where = ".".join(str(x) for x in err["loc"][1:] if not isinstance(x, int)) or action
            if err["type"] == "missing":
                problems.append(f"{humanise(where)}: required; choose or type a value")
            else:
                msg = err["msg"].removeprefix("Value error, ")
                problems.append(f"{humanise(where)}: {msg}")
        return None, problems
    return data, []
