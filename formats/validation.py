"""Turn pydantic's validation errors into placed, readable problems.

pydantic reports a location as a tuple of keys, indices and — for discriminated unions —
the tag it chose. We walk that tuple along the *data* (dropping any element that is not a
real key), so the position is the one a person sees in their editor. For unknown fields we
also walk the *model* to say which fields were expected.
"""

from __future__ import annotations

import datetime
import enum
import functools
import math
import types
import typing
from typing import Any, TypeVar

from drillbook.formats.limits import MAX_NUMBER
from drillbook.formats.yamlsource import Document, InputError, Path_, Problem
from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)


def _data_path(data: Any, loc: tuple[Any, ...], *, mapping: bool = False) -> Path_:
    """Keep the elements of a pydantic ``loc`` that address real data.

    Anything else is a union tag or a validator name and is skipped. A condition's tag is
    also one of its keys (``{done: contain, by: …}`` is tagged ``done``), so an element that
    names a real key may still be the tag: both readings are tried, and the one that follows
    ``loc`` deepest wins. With ``mapping`` (a missing field) the path must end at a mapping.
    """

    def walk(cur: Any, i: int, last: int) -> tuple[bool, int, Path_]:
        if i == len(loc):
            return (not mapping or isinstance(cur, dict)), last, ()
        el = loc[i]
        best = walk(cur, i + 1, last)
        if (isinstance(cur, dict) and el in cur) or (
            isinstance(cur, list) and isinstance(el, int) and 0 <= el < len(cur)
        ):
            ok, deepest, rest = walk(cur[el], i + 1, i)
            follow = (ok, deepest, (el, *rest))
            best = max(follow, best, key=lambda r: (r[0], r[1], len(r[2])))
        return best

    return walk(data, 0, -1)[2]


def dotted(path: Path_) -> str:
    """``("injects", 2, "at")`` → ``injects[2].at``."""
    text = ""
    for el in path:
        text += f"[{el}]" if isinstance(el, int) else (f".{el}" if text else str(el))
    return text or "(top level)"


def _unwrap(tp: Any) -> list[Any]:
    """The concrete classes a field annotation may hold (through Optional, list, Annotated)."""
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(tp)[0])
    if origin in (typing.Union, types.UnionType):
        return [c for a in typing.get_args(tp) for c in _unwrap(a)]
    if origin in (list, tuple, set, frozenset):
        return [c for a in typing.get_args(tp) for c in _unwrap(a)]
    if origin is dict:
        return _unwrap(typing.get_args(tp)[1])
    return [tp]


def _expected_fields(model: type[BaseModel], data: Any, path: Path_) -> list[str] | None:
    """Field names the model accepts at ``path`` (the mapping that holds an unknown key)."""
    candidates: list[Any] = [model]
    cur = data
    for el in path:
        nxt: list[Any] = []
        for c in candidates:
            if isinstance(el, int):
                nxt.append(c)  # already unwrapped through the list
                continue
            if isinstance(c, type) and issubclass(c, BaseModel) and el in _field_names(c):
                name = _field_by_alias(c, el)
                nxt.extend(_unwrap(c.model_fields[name].annotation))
        cur = cur[el] if isinstance(cur, dict | list) else None
        candidates = nxt
    models = [c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)]
    if isinstance(cur, dict) and len(models) > 1:  # pick the union member that fits best
        models.sort(key=lambda m: -len(set(cur) & set(_field_names(m))))
    return sorted(_field_names(models[0])) if models else None


def _field_names(model: type[BaseModel]) -> list[str]:
    return [f.alias or n for n, f in model.model_fields.items()]


def _field_by_alias(model: type[BaseModel], key: str) -> str:
    for n, f in model.model_fields.items():
        if (f.alias or n) == key:
            return n
    return key


def _message(err: dict[str, Any], path: Path_, model: type[BaseModel], data: Any) -> str:
    kind = err["type"]
    where = dotted(path)
    if kind == "extra_forbidden":
        key = path[-1] if path else "?"
        allowed = _expected_fields(model, data, path[:-1])
        hint = f"; expected one of: {', '.join(allowed)}" if allowed else ""
        return f"unknown field '{key}' in {dotted(path[:-1])}{hint}"
    if kind == "missing":  # the missing key is not in the data, so name it from pydantic's loc
        name = err["loc"][-1] if err["loc"] else "?"
        return f"{dotted((*path, name))}: required field is missing"
    if kind == "union_tag_not_found":
        return f"{where}: {err['msg']}"
    return f"{where}: {plain_message(err)}"


def plain_message(err: dict[str, Any]) -> str:
    """pydantic's message in the form every drillbook error takes: what is wrong, then what
    was expected ("Input should be 'a' or 'b'" → "'c' is not allowed; expected 'a' or 'b'")."""
    msg = str(err["msg"]).removeprefix("Value error, ")
    if msg.startswith("Input should be "):
        given = err.get("input")
        shown = f"'{given}'" if isinstance(given, str) else repr(given)
        if isinstance(given, dict | list):
            shown = "a mapping" if isinstance(given, dict) else "a list"
        return f"{shown} is not allowed; expected {msg.removeprefix('Input should be ')}"
    return msg


def validate(
    model: type[M],
    doc: Document,
    *,
    context: dict[str, Any] | None = None,
    reuse: bool = False,
) -> M:
    """Validate a document against a model; every error becomes a placed problem.

    With ``reuse`` (and no ``context``), a file read from disk that validated cleanly before
    gives the model it gave then, unpickled rather than validated (see :mod:`validcache`):
    for the scenario, plan and client profile every headless command reads."""
    if not isinstance(doc.data, dict):
        raise InputError([doc.positions.problem((), "expected a YAML mapping at the top level")])
    reuse = reuse and context is None and bool(doc.sha256)
    if reuse:
        from drillbook.formats import validcache

        known = validcache.recall(model, doc.sha256)
        if known is not None:
            return known
    try:
        built = model.model_validate(doc.data, context=context)
    except ValidationError as exc:
        problems: list[Problem] = []
        for err in exc.errors():
            path = _data_path(doc.data, err["loc"], mapping=err["type"] == "missing")
            key = err["type"] == "extra_forbidden"
            problems.append(
                doc.positions.problem(path, _message(err, path, model, doc.data), key=key)
            )
        raise InputError(_dedupe(problems)) from None
    bad = [doc.positions.problem(path, msg) for path, msg in _wild_numbers(built, doc.data, ())]
    if bad:
        raise InputError(bad)
    if reuse:
        validcache.keep(model, doc.sha256, built)
    return built


def _wild_numbers(value: Any, data: Any, path: Path_) -> list[tuple[Path_, str]]:
    """Numbers pydantic accepted that no exercise means: ``inf``, ``NaN``, ``1e400``.

    pydantic turns the *words* "inf", "NaN", "Infinity" into floats, and YAML's own
    spellings are refused earlier in ``yamlsource``; this walk over the built model catches
    the words, wherever a float field is. Only values the file wrote are checked (``data``
    follows along), so a default of ``math.inf`` is nobody's mistake. Of a model only the
    fields whose type can hold a float are walked (:func:`_float_fields`): in a scenario of
    10,000 injects that is an inject's condition, not its title, body and recipients.
    """
    if isinstance(value, float):
        return [] if _usable(value) else [_wild(value, data, path)]
    found: list[tuple[Path_, str]] = []
    if isinstance(value, BaseModel):
        if not isinstance(data, dict):
            return []
        for name, key in _float_fields(type(value)):
            if key in data:
                v = getattr(value, name)
                if v.__class__ is float:  # most float fields hold just that: no call for it
                    if not _usable(v):
                        found.append(_wild(v, data[key], (*path, key)))
                elif v is not None:
                    found += _wild_numbers(v, data[key], (*path, key))
    elif isinstance(value, list | tuple) and isinstance(data, list) and len(data) == len(value):
        for i, (v, d) in enumerate(zip(value, data, strict=True)):
            found += _wild_numbers(v, d, (*path, i))
    elif isinstance(value, dict) and isinstance(data, dict):
        for k, v in value.items():
            if k in data:
                found += _wild_numbers(v, data[k], (*path, k))
    return found


def _usable(number: float) -> bool:
    return math.isfinite(number) and abs(number) <= MAX_NUMBER


def _wild(number: float, data: Any, path: Path_) -> tuple[Path_, str]:
    given = f"'{data}'" if isinstance(data, str) else repr(data)
    return (
        path,
        f"{dotted(path)}: {given} is not a usable number; expected a finite number within ±{MAX_NUMBER:,}",
    )


# Types whose values are never a float (a bool is an int; pydantic keeps an int an int).
_NO_FLOAT = (str, int, bytes, type(None), datetime.date, datetime.time, datetime.timedelta)


@functools.cache
def _float_fields(model: type[BaseModel]) -> tuple[tuple[str, str], ...]:
    """(attribute, key in the file) of each field of ``model`` whose value may hold a float,
    directly or anywhere inside it. Anything the analysis cannot rule out is kept."""
    return tuple(
        (name, info.alias or name)
        for name, info in model.model_fields.items()
        if _may_hold_float(info.annotation, set())
    )


def _may_hold_float(tp: Any, visiting: set[type]) -> bool:
    """Whether a value of annotation ``tp`` can be, or contain, a float (conservatively)."""
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return _may_hold_float(typing.get_args(tp)[0], visiting)
    if origin is typing.Literal:
        return any(isinstance(a, float) for a in typing.get_args(tp))
    if origin is not None:  # a union, list, tuple, dict…: any of its arguments
        args = typing.get_args(tp)
        return not args or any(_may_hold_float(a, visiting) for a in args if a is not Ellipsis)
    if not isinstance(tp, type):
        return True  # Any, a TypeVar, a forward reference: cannot tell
    if issubclass(tp, enum.Enum):
        return any(isinstance(m.value, float) for m in tp)
    if issubclass(tp, BaseModel):
        if tp in visiting:
            return False  # the fields it has beyond the recursion are being looked at
        visiting.add(tp)
        return any(
            _may_hold_float(info.annotation, visiting)
            for cls in (tp, *_subclasses(tp))
            for info in cls.model_fields.values()
        )
    if issubclass(tp, float) or tp is object:
        return True
    return not issubclass(tp, _NO_FLOAT)  # some other class: cannot tell, so walk it


def _subclasses(model: type[BaseModel]) -> list[type[BaseModel]]:
    """Every subclass of a model (a field of that type may hold one)."""
    out = []
    for sub in model.__subclasses__():
        out += [sub, *_subclasses(sub)]
    return out


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen: set[tuple[int, int, str]] = set()
    out = []
    for p in problems:
        k = (p.line, p.col, p.message)
        if k not in seen:
            seen.add(k)
            out.append(p)
    return out
