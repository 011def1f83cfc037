"""The shape of a journal line, checked once on reading so that no reader meets a surprise.

A journal is a file a person can edit or receive from elsewhere. Scoring, reports and replay
index events directly (``e["seq"]``, ``float(e["sim"])``, ``header["roster"].items()``);
a ``"sim": "abc"``, a ``NaN``, a 5000-digit number or a list where a mapping belongs would
otherwise surface as a traceback deep inside them. :func:`parse_line` is the JSON door
(numbers bounded, ``NaN``/``Infinity`` refused, nesting bounded) and :func:`event_problem`
checks the fields every consumer relies on, so a bad line is one placed problem instead.
Unknown event types and extra fields are allowed: newer drillbooks may write more.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

from drillbook.formats.limits import MAX_NUMBER, MAX_STORY_MINUTES
from drillbook.simulator.events import Kind

Check = Callable[[Any], bool]
_DIGITS = len(str(MAX_NUMBER))


class LineError(ValueError):
    """A line that is not JSON drillbook will read; ``col`` is 1-based."""

    def __init__(self, what: str, expected: str, col: int = 1) -> None:
        super().__init__(f"not a journal event ({what}); expected {expected}")
        self.col = col


def _int(text: str) -> int:
    if len(text.lstrip("-")) > _DIGITS:  # before int(): Python refuses > 4300 digits itself
        raise LineError(f"a number of {len(text)} digits", f"numbers within ±{MAX_NUMBER:,}")
    return int(text)


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value) or abs(value) > MAX_NUMBER:
        raise LineError(f"{text[:20]} is too large", f"numbers within ±{MAX_NUMBER:,}")
    return value


def _constant(name: str) -> Any:
    raise LineError(f"{name} is not a number", "finite numbers only")


# One decoder for every line: ``json.loads`` with these hooks builds a new one per call, a
# quarter of reading a line.
_DECODER = json.JSONDecoder(parse_int=_int, parse_float=_float, parse_constant=_constant)


def parse_line(line: str) -> Any:
    """One JSON value from one journal line, with drillbook's bounds on numbers and depth."""
    try:
        if line.startswith("\ufeff"):  # what ``json.loads`` checks before decoding
            raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", line, 0)
        return _DECODER.decode(line)
    except json.JSONDecodeError as exc:
        raise LineError(exc.msg, "one JSON object per line", exc.colno) from None
    except RecursionError:
        raise LineError("nested too deeply", "one flat JSON object per line") from None


def _is_str(v: Any) -> bool:
    return isinstance(v, str)


def _opt_str(v: Any) -> bool:
    return v is None or isinstance(v, str)


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _opt_number(v: Any) -> bool:
    return v is None or _is_number(v)


def _opt_int(v: Any) -> bool:
    return v is None or (isinstance(v, int) and not isinstance(v, bool))


def _is_bool(v: Any) -> bool:
    return isinstance(v, bool)


def _str_list(v: Any) -> bool:
    return isinstance(v, list) and all(isinstance(x, str) for x in v)


def _mapping(v: Any) -> bool:
    return isinstance(v, dict)


def _roster(v: Any) -> bool:
    return isinstance(v, dict) and all(isinstance(p, str | None) for p in v.values())


_WHAT = {
    _is_str: "text",
    _opt_str: "text or null",
    _is_number: "a number",
    _opt_number: "a number or null",
    _opt_int: "a whole number or null",
    _is_bool: "true or false",
    _str_list: "a list of ids",
    _mapping: "a mapping",
    _roster: "a mapping of role → name",
}

# field → (check, required). Only what some reader relies on; the rest is free.
_FIELDS: dict[str, dict[str, tuple[Check, bool]]] = {
    Kind.RUN_STARTED: {
        "scenario": (_is_str, False),  # replay says "cannot be found" when it is missing
        "scenario_file": (_opt_str, False),
        "scenario_sha256": (_opt_str, False),
        "title": (_opt_str, False),
        "start": (_opt_str, False),
        "seed": (_opt_int, False),
        "plan": (_opt_str, False),
        "client": (_opt_str, False),
        "roster": (_roster, False),
        "practice": (_is_bool, False),
        "mode": (_is_str, False),
    },
    Kind.INJECT_DELIVERED: {
        "inject": (_is_str, True),
        "to": (_str_list, True),
        "channel": (_opt_str, False),
        "title": (_opt_str, False),
        "body": (_opt_str, False),
    },
    Kind.DECISION: {
        "role": (_is_str, True),
        "action": (_is_str, True),
        "params": (_mapping, False),
    },
    "facilitator": {"verb": (_is_str, True), "inject": (_opt_str, False)},
    "clock": {"verb": (_is_str, True), "speed": (_opt_number, False)},
    Kind.EVALUATOR_NOTE: {"text": (_is_str, True), "capability": (_opt_str, False)},
    "rating": {"capability": (_is_str, True), "rating": (_is_str, True)},
    "lesson": {"text": (_is_str, True), "capability": (_opt_str, False)},
    Kind.RUN_ENDED: {"reason": (_opt_str, False), "meters": (_mapping, False)},
}


def event_problem(ev: Any) -> str | None:
    """What is wrong with one parsed line as a journal event, or ``None`` if nothing."""
    if not isinstance(ev, dict) or "type" not in ev or "sim" not in ev:
        return "not a journal event; expected an object with 'type' and 'sim'"
    kind = ev["type"]
    if not isinstance(kind, str):
        return f"'type' is {_shown(kind)}; expected an event type such as 'action_taken'"
    sim = ev["sim"]
    if not _is_number(sim) or not 0 <= sim <= MAX_STORY_MINUTES:
        return f"'sim' is {_shown(sim)}; expected minutes from 0 to {MAX_STORY_MINUTES}"
    seq = ev.get("seq")
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
        return f"'seq' is {_shown(seq)}; expected the event's number (0 or more)"
    for name, (check, required) in _FIELDS.get(kind, {}).items():
        if name not in ev:
            if required:
                return f"{kind} event without '{name}'; expected {_WHAT[check]}"
            continue
        if not check(ev[name]):
            return f"'{name}' of this {kind} event is {_shown(ev[name])}; expected {_WHAT[check]}"
    if kind == Kind.DECISION:
        return _decision_problem(ev["action"], ev.get("params") or {})
    return None


def _decision_problem(action: str, params: dict[str, Any]) -> str | None:
    """What the action's own model refuses in a decision's parameters, or ``None``.

    The scorer reads a decision's parameters as the engine recorded them: valid for their
    action. A hand-edited journal (an unchained one is accepted) gave ``classify`` a
    severity that is none (exit 70 in the scorer), ``obligations: 5``… An action this
    drillbook does not know is left alone, as before: the scorer counts it for nothing."""
    from drillbook.scenarios.vocabulary import ACTION_NAMES

    if action not in ACTION_NAMES:
        return None
    from drillbook.scenarios.actions import parse_action
    from pydantic import ValidationError

    try:
        parse_action({**params, "action": action})
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(x) for x in err["loc"] if x != action) or "params"
        return f"'{action}' decision: {where}: {err['msg']}; expected the parameters {action} takes"
    return None


def _shown(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, dict):
        return "a mapping"
    if isinstance(v, list):
        return "a list"
    text = json.dumps(v, ensure_ascii=False)
    return text if len(text) <= 40 else text[:40] + "…"
