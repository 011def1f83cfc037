"""Conditions: the small closed vocabulary that branches a scenario. Data only, never eval.

A condition is a one-key mapping (plus its modifiers) in the YAML::

    {done: contain, by: "+1:00"}            # contained (by any role) no later than +1:00
    {not_done: notify, by: "+1:00", where: {audience: client}}   # true from +1:00 if not
    {meter: tickets_sold, above: 5000}
    {chosen: {inject: ceo-call, option: honor}}
    {delivered: blogger-post}
    {investigated: feed-freshness}
    {after: "+2:00"}
    {all: [...]}  {any: [...]}  {not: {...}}
    {condition: still-selling}              # one of the scenario's named ``conditions:``

The engine (``simulator.conditions``) evaluates them against the world state; the linter
reasons about them on a graph. Neither needs anything but these models.
"""

# Annotations are evaluated as the classes are made (no ``from __future__ import annotations``):
# pydantic would otherwise compile and evaluate each field's annotation string, a quarter
# of making a model, and every command makes ~100 of them (see tests/test_model_annotations.py).
from typing import Annotated, Any

from drillbook.formats.offsets import Offset
from drillbook.scenarios.vocabulary import ACTION_NAMES, Role
from pydantic import BaseModel, ConfigDict, Discriminator, Field, PrivateAttr, Tag, field_validator

Scalar = str | int | float | bool


class _Cond(BaseModel):
    # Validators built on first use, not at import: a nested class's own validator is rarely
    # used (its parent's holds it), and building each at import was a visible share of start-up.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


def _check_action(v: str) -> str:
    if v not in ACTION_NAMES:
        raise ValueError(f"'{v}' is not an action; expected one of: {', '.join(ACTION_NAMES)}")
    return v


class Done(_Cond):
    """An action was taken (optionally by a role, with matching parameters, by an offset)."""

    done: str
    by: Offset | None = None
    role: Role | None = None
    where: dict[str, Scalar | list[Scalar]] = Field(default_factory=dict)

    _v = field_validator("done")(_check_action)


class NotDone(_Cond):
    """True from ``by`` onwards if the action had not been taken by then."""

    not_done: str
    by: Offset
    role: Role | None = None
    where: dict[str, Scalar | list[Scalar]] = Field(default_factory=dict)

    _v = field_validator("not_done")(_check_action)


class MeterAbove(_Cond):
    meter: str
    above: float


class ChoiceRef(_Cond):
    inject: str
    option: str


class Chosen(_Cond):
    """Some role answered the inject's question with this option."""

    chosen: ChoiceRef


class Delivered(_Cond):
    delivered: str


class Investigated(_Cond):
    investigated: str
    role: Role | None = None


class After(_Cond):
    after: Offset


class Named(_Cond):
    """A condition the scenario declares once under ``conditions:`` and refers to by name.

    The scenario links each reference to its definition when it is loaded, so everything
    that reads conditions sees through it (its one child is the definition) while the
    handbook and the MSEL can show the name."""

    condition: str
    _target: Any = PrivateAttr(None)

    @property
    def target(self) -> Any:
        return self._target

    def link(self, target: Any) -> None:
        self._target = target


class All(_Cond):
    all: list["Condition"] = Field(min_length=1)


class AnyOf(_Cond):
    any: list["Condition"] = Field(min_length=1)


class Not(_Cond):
    not_: "Condition" = Field(alias="not")
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


_KEYS = {
    "done": "done",
    "not_done": "not_done",
    "meter": "meter",
    "chosen": "chosen",
    "delivered": "delivered",
    "investigated": "investigated",
    "after": "after",
    "all": "all",
    "any": "any",
    "not": "not",
    "condition": "condition",
}


def _which(value: Any) -> str | None:
    if isinstance(value, dict):
        for key in value:
            if key in _KEYS:
                return _KEYS[key]
        return None
    if isinstance(value, BaseModel):
        for key, tag in (("not_done", "not_done"), ("not_", "not"), ("any", "any")):
            if hasattr(value, key):
                return tag
        for key in _KEYS:
            if hasattr(value, key):
                return key
    return None


Condition = Annotated[
    Annotated[Done, Tag("done")]
    | Annotated[NotDone, Tag("not_done")]
    | Annotated[MeterAbove, Tag("meter")]
    | Annotated[Chosen, Tag("chosen")]
    | Annotated[Delivered, Tag("delivered")]
    | Annotated[Investigated, Tag("investigated")]
    | Annotated[After, Tag("after")]
    | Annotated[All, Tag("all")]
    | Annotated[AnyOf, Tag("any")]
    | Annotated[Not, Tag("not")]
    | Annotated[Named, Tag("condition")],
    Discriminator(
        _which,
        custom_error_type="condition",
        custom_error_message=(
            "not a condition; expected one of the keys done, not_done, meter, chosen, "
            "delivered, investigated, after, all, any, not, condition"
        ),
    ),
]

CONDITION_KEYS: tuple[str, ...] = tuple(_KEYS)
# ``All``, ``AnyOf`` and ``Not`` name ``Condition`` before it exists (quoted: the only
# annotations here kept as strings, see tests/test_model_annotations.py); pydantic resolves it from
# this module when their schema is first built (deferred), so no ``model_rebuild`` is needed
# here: rebuilding all three at import built the whole condition tree three times (13 ms of a
# ``run`` measured on a busy machine), for every command that reads a scenario.


def params_match(params: dict[str, Any], where: dict[str, Any]) -> bool:
    """Whether a decision's parameters fit a ``where`` filter: every key must match, and a
    list on either side matches on any overlap (``data_categories: [pii]`` fits a decision
    naming ``[pii, payment]``). The engine's conditions and the plan's steps both read
    ``where`` so; this is the one place that says how."""
    for key, want in where.items():
        have = params.get(key)
        wants = want if isinstance(want, list) else [want]
        haves = have if isinstance(have, list) else [have]
        if not any(h in wants for h in haves):
            return False
    return True


def children(cond: Any) -> list[Any]:
    """Direct sub-conditions of a combinator (empty for a leaf)."""
    if isinstance(cond, All):
        return list(cond.all)
    if isinstance(cond, AnyOf):
        return list(cond.any)
    if isinstance(cond, Not):
        return [cond.not_]
    if isinstance(cond, Named):
        return [cond.target] if cond.target is not None else []
    return []


def leaves(cond: Any) -> list[Any]:
    """Every leaf condition, depth first (through named conditions to their definitions)."""
    return [leaf for leaf, _ in signed_leaves(cond)]


def signed_leaves(cond: Any, negated: bool = False) -> list[tuple[Any, bool]]:
    """Every leaf condition, depth first, with whether it sits under an odd number of
    ``not:``s — what a reader must be told, or a ``not: {done: consult}`` branch reads as
    waiting for the consultation it waits for the absence of."""
    kids = children(cond)
    if not kids:
        return [] if isinstance(cond, Named) else [(cond, negated)]
    flip = isinstance(cond, Not)
    return [pair for k in kids for pair in signed_leaves(k, negated != flip)]


def time_points(cond: Any) -> set[int]:
    """Offsets at which the truth of ``cond`` may change because time passed."""
    out: set[int] = set()
    for leaf in leaves(cond):
        if isinstance(leaf, After):
            out.add(leaf.after)
        elif isinstance(leaf, Done | NotDone) and leaf.by is not None:
            out.add(leaf.by)
    return out


def meters_watched(cond: Any) -> set[tuple[str, float]]:
    """(meter, threshold) pairs whose crossing may change the truth of ``cond``."""
    return {(lf.meter, lf.above) for lf in leaves(cond) if isinstance(lf, MeterAbove)}


def describe(cond: Any) -> str:
    """A short human reading of a condition, for the MSEL and the graph."""
    from drillbook.formats.offsets import fmt_offset

    def where(c: Done | NotDone) -> str:
        bits = [f"{k}={v}" for k, v in c.where.items()]
        if c.role:
            bits.insert(0, f"by {c.role}")
        return f" [{', '.join(bits)}]" if bits else ""

    if isinstance(cond, Done):
        by = f" by {fmt_offset(cond.by)}" if cond.by is not None else ""
        return f"{cond.done} done{by}{where(cond)}"
    if isinstance(cond, NotDone):
        return f"{cond.not_done} not done by {fmt_offset(cond.by)}{where(cond)}"
    if isinstance(cond, MeterAbove):
        return f"{cond.meter} > {cond.above:g}"
    if isinstance(cond, Chosen):
        return f"{cond.chosen.inject} answered '{cond.chosen.option}'"
    if isinstance(cond, Delivered):
        return f"{cond.delivered} delivered"
    if isinstance(cond, Investigated):
        return f"{cond.investigated} investigated" + (f" by {cond.role}" if cond.role else "")
    if isinstance(cond, After):
        return f"after {fmt_offset(cond.after)}"
    if isinstance(cond, All):
        return " and ".join(f"({describe(c)})" for c in cond.all)
    if isinstance(cond, AnyOf):
        return " or ".join(f"({describe(c)})" for c in cond.any)
    if isinstance(cond, Not):
        return f"not ({describe(cond.not_)})"
    if isinstance(cond, Named):
        return cond.condition
    return repr(cond)  # pragma: no cover


def _own_nodes(cond: Any) -> list[Any]:
    """Every node of a condition as written, not following named references."""
    out = [cond]
    if not isinstance(cond, Named):
        for kid in children(cond):
            out += _own_nodes(kid)
    return out


def link_named(named: dict[str, Any], roots: list[Any]) -> None:
    """Point every ``{condition: NAME}`` at its definition. A name that is not declared, or
    one whose definition reaches itself through other names, is left unlinked for the
    scenario's reference check to report (a cycle would make every reader loop)."""
    uses = {
        name: {n.condition for n in _own_nodes(cond) if isinstance(n, Named)}
        for name, cond in named.items()
    }

    def reaches(start: str) -> set[str]:
        seen: set[str] = set()
        todo = list(uses.get(start, ()))
        while todo:
            n = todo.pop()
            if n not in seen:
                seen.add(n)
                todo += uses.get(n, ())
        return seen

    cyclic = {name for name in named if name in reaches(name)}
    for cond in [*named.values(), *roots]:
        for node in _own_nodes(cond):
            linkable = isinstance(node, Named) and node.condition not in cyclic
            if linkable and node.condition in named:
                node.link(named[node.condition])
