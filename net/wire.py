"""The wire format: versioned JSON messages between a host and its seats (docs/protocol.md).

Every frame is one JSON object with a ``t`` (its type). Frames from a seat are untrusted: they
are size-bounded before parsing, parsed with the journal's own bounds on numbers and nesting
(:func:`simulator.eventshape.parse_line`), and a command is rebuilt only from the fields a seat
of that kind may send (:func:`command_from_wire`) — a role's decision for its own role, an
evaluator's note or rating, the facilitator's changes. Commands travel as the journal's own
fields, so what a seat sends is what the journal will say.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from drillbook.formats.safetext import first_unsafe
from drillbook.net.fields import CHANGES, MAX_TEXT, RECORDS, field_problem, shown
from drillbook.scenarios.actions import params_of, parse_action
from drillbook.scenarios.vocabulary import ACTION_NAMES
from drillbook.scoring.status import RATINGS
from drillbook.simulator.commands import (
    ClockCommand,
    Command,
    Decide,
    EndPlay,
    Record,
    SendAdhoc,
    command_of,
)
from drillbook.simulator.events import EVALUATOR_RECORDS, FACILITATOR, ClockVerb, Event, Kind
from drillbook.simulator.eventshape import LineError, parse_line

PROTOCOL = 1
MAX_FRAME = 64 * 1024  # bytes of one frame either way; an event or a command is far smaller
MAX_DEPTH = 8  # nesting of a frame from a seat (a decision's params are 2–3 deep)
MAX_CID = 64
_CID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")  # what token_urlsafe makes: safe in any log line
# What a seat accepts from its host: a welcome carries the facilitator's whole scenario and a
# catch-up may be long, so far more than a seat may send — but still bounded.
MAX_HOST_FRAME = 16 * 1024 * 1024


class WireError(ValueError):
    """A frame the host refuses: ``code`` is the error frame's code (docs/protocol.md)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class SeatKind:
    """Who sits at a seat: a role (its id), the facilitator, an evaluator or an observer."""

    FACILITATOR = "facilitator"
    ROLE = "role"
    EVALUATOR = "evaluator"
    OBSERVER = "observer"


def encode(message: dict[str, Any]) -> str:
    return json.dumps(message, ensure_ascii=False, separators=(",", ":"))


def decode(frame: str | bytes, limit: int = MAX_FRAME, depth: int = MAX_DEPTH) -> dict[str, Any]:
    """One frame as a message: size, JSON, depth and shape checked (raises ``WireError``).
    ``limit`` and ``depth`` are a seat's by default; a seat reading its host allows more."""
    if isinstance(frame, bytes):
        if len(frame) > limit:
            raise WireError("oversize", f"frame of {len(frame)} bytes; expected at most {limit}")
        try:
            frame = frame.decode("utf-8")
        except UnicodeDecodeError:
            raise WireError("malformed", "frame is not UTF-8 text; expected JSON") from None
    if len(frame) > limit:
        raise WireError("oversize", f"frame of {len(frame)} characters; expected at most {limit}")
    try:
        message = parse_line(frame)
    except LineError as exc:
        raise WireError(
            "malformed", str(exc).replace("journal event", "protocol message")
        ) from None
    if not isinstance(message, dict) or not isinstance(message.get("t"), str):
        raise WireError("malformed", "expected a JSON object with a 't' (message type)")
    if _depth(message) > depth:
        raise WireError("malformed", f"message nested deeper than {depth}")
    return message


def _depth(value: Any, level: int = 1) -> int:
    """How deep ``value`` nests; a text in it (a key or a value) that is not Unicode a file
    can hold — a lone surrogate, which JSON's ``\\ud800`` escape makes — is refused here,
    before it reaches the journal or another seat's frame, neither of which could encode it;
    so is a text with a control character (``safetext.first_unsafe``), which a terminal would obey."""
    if isinstance(value, dict):
        for k in value:
            _text(k)
        return max((_depth(v, level + 1) for v in value.values()), default=level)
    if isinstance(value, list):
        return max((_depth(v, level + 1) for v in value), default=level)
    if isinstance(value, str):
        _text(value)
    return level


def _text(value: str) -> None:
    # C0 and C1 controls (but newline and tab) and the bidirectional overrides: a terminal
    # obeys them — the facilitator's console, the host's log, a report piped to a pager — so
    # text carrying them could clear a screen, retitle a window or reorder a line the
    # facilitator reads; refused at the door, like a lone surrogate
    control = first_unsafe(value)
    if control is not None:
        raise WireError(
            "malformed",
            f"text with a control character (U+{ord(control):04X}); expected printable text",
        )
    if value.isascii():
        return
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        code = ord(value[exc.start])
        raise WireError(
            "malformed", f"text with a lone surrogate (U+{code:04X}); expected Unicode text"
        ) from None


# ── messages ───────────────────────────────────────────────────────────────────────────────
def hello(code: str, last_seq: int = -1) -> dict[str, Any]:
    return {"t": "hello", "protocol": PROTOCOL, "code": code, "last_seq": last_seq}


def error(code: str, message: str, cid: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"t": "error", "code": code, "message": message}
    if cid is not None:
        out["cid"] = cid
    return out


def check_hello(message: dict[str, Any]) -> tuple[str, int]:
    """The code and last event number of a hello (raises ``WireError``)."""
    if message.get("t") != "hello":
        raise WireError("expected-hello", f"{shown(message.get('t'))} before hello; expected hello")
    if message.get("protocol") != PROTOCOL:
        raise WireError(
            "protocol",
            f"protocol {shown(message.get('protocol'))} is not spoken here; expected {PROTOCOL}",
        )
    code, last = message.get("code"), message.get("last_seq", -1)
    if not isinstance(code, str) or not 0 < len(code) <= 128:
        raise WireError("bad-code", "hello without a join code; expected 'code'")
    if not isinstance(last, int) or isinstance(last, bool) or last < -1:
        raise WireError("malformed", "'last_seq' is not an event number; expected -1 or more")
    return code, last


# ── commands ───────────────────────────────────────────────────────────────────────────────
def command_to_wire(command: Command) -> dict[str, Any]:
    """A command as the journal fields it will be recorded with (no sim time, no seq)."""
    if isinstance(command, Decide):
        return {
            "type": Kind.DECISION,
            "role": command.role,
            "action": command.action.action,
            "params": params_of(command.action),
        }
    if isinstance(command, SendAdhoc):
        out: dict[str, Any] = {
            "type": Kind.FACILITATOR,
            "verb": "adhoc",
            "to": list(command.to),
            "channel": command.channel,
            "title": command.title,
            "body": command.body,
            "due": command.due,
        }
        if command.reply_to is not None:
            out["reply_to"] = command.reply_to
        return out
    if isinstance(command, ClockCommand):
        out = {"type": Kind.CLOCK, "verb": str(command.verb)}
        if command.speed is not None:
            out["speed"] = command.speed
        return out
    if isinstance(command, EndPlay):
        return {"type": Kind.RUN_ENDED, "reason": command.reason}
    if isinstance(command, Record):
        return {"type": command.type_, **command.data}
    fields = {k: v for k, v in vars(command).items() if k != "cid"}
    kind = command.kind
    if kind == Kind.FACILITATOR:  # Retime, Cancel
        verb = "retime" if "due" in fields else "cancel"
        return {"type": kind, "verb": verb, **fields}
    raise WireError("unknown-command", f"{command.describe()} cannot be sent over the wire")


def command_message(command: Command, cid: str) -> dict[str, Any]:
    return {"t": "command", "cid": cid, "command": command_to_wire(command)}


def command_from_wire(message: dict[str, Any], kind: str, role: str | None) -> Command:
    """Rebuild a seat's command, refusing what that seat may not send (raises ``WireError``).

    A role seat sends only its own role's decisions; an evaluator only notes, ratings and
    lessons; an observer nothing; the facilitator every input a journal can hold.
    """
    cid = message.get("cid")
    if not isinstance(cid, str) or not _CID.match(cid):
        raise WireError(
            "malformed", f"command without a 'cid'; expected 1–{MAX_CID} of A-Z a-z 0-9 _ -"
        )
    body = message.get("command")
    if not isinstance(body, dict) or not isinstance(body.get("type"), str):
        raise WireError("malformed", "command without a 'type'; expected a journal input")
    typ = body["type"]
    if kind == SeatKind.OBSERVER:
        raise WireError("forbidden", "an observer's seat sends no commands")
    if kind == SeatKind.ROLE:
        if typ != Kind.DECISION:
            raise WireError("forbidden", f"a role's seat sends decisions only, not {shown(typ)}")
        if body.get("role", role) != role:
            raise WireError(
                "forbidden", f"the {role} seat cannot decide for {shown(body.get('role'))}"
            )
        return _decision(body, str(role), cid)
    if kind == SeatKind.EVALUATOR:
        if typ not in EVALUATOR_RECORDS:
            allowed = ", ".join(sorted(EVALUATOR_RECORDS))
            raise WireError("forbidden", f"an evaluator sends {allowed} only, not {shown(typ)}")
        return _record(body, cid)
    # the facilitator
    if typ == Kind.DECISION:
        return _decision(body, body.get("role"), cid)
    if typ == Kind.CLOCK:
        try:
            verb = ClockVerb(body.get("verb"))
        except ValueError:
            raise WireError(
                "unknown-command", f"clock verb {shown(body.get('verb'))} is not one"
            ) from None
        speed = body.get("speed")
        if speed is not None and (isinstance(speed, bool) or not isinstance(speed, int | float)):
            raise WireError("malformed", "'speed' is not a number")
        return ClockCommand(verb, speed, cid=cid)
    if typ == Kind.RUN_ENDED:
        reason = body.get("reason", "end of play")
        if not isinstance(reason, str):
            raise WireError("malformed", "'reason' is not text")
        return EndPlay(reason[:200], cid=cid)
    if typ in EVALUATOR_RECORDS:
        return _record(body, cid)
    if typ in (Kind.FACILITATOR, Kind.HOTWASH_STARTED):
        spec = CHANGES.get(str(body.get("verb"))) if typ == Kind.FACILITATOR else {}
        if spec is None:
            raise WireError("unknown-command", f"facilitator verb {shown(body.get('verb'))}")
        _check_fields(body, spec, ("type", "verb"), f"facilitator {body.get('verb')}")
        try:
            command = command_of({**body, "sim": 0, "cid": cid})
        except (KeyError, TypeError, ValueError) as exc:
            raise WireError("malformed", f"{typ}: {_why(exc)}") from None
        return command
    raise WireError("unknown-command", f"{shown(typ)} is not a command a seat can send")


def _decision(body: dict[str, Any], role: Any, cid: str) -> Decide:
    if not isinstance(role, str):
        raise WireError("malformed", "decision without a 'role'")
    p = body.get("params", {})
    if not isinstance(body.get("action"), str) or not isinstance(p, dict):
        raise WireError("malformed", "decision without 'action' and 'params'")
    name = body["action"]
    if name not in ACTION_NAMES:
        raise WireError(
            "rejected", f"unknown action {shown(name)}; expected one of: {', '.join(ACTION_NAMES)}"
        )
    try:
        action = parse_action({**p, "action": name})
    except ValueError as exc:  # pydantic's ValidationError is one
        raise WireError("rejected", f"{role} {name}: {_invalid(exc)}") from None
    return Decide(role, action, cid=cid)


def _invalid(exc: ValueError) -> str:
    """What is wrong with a decision's parameters, in one line: the first problem pydantic
    found and where ("severity: Input should be 'critical', 'high', …"), not its heading."""
    errors = getattr(exc, "errors", None)
    if not callable(errors):
        return _why(exc)
    first = errors()[0]
    where = ".".join(str(x) for x in first.get("loc", ())[1:])  # past the action's own tag
    return _why(ValueError(f"{where}: {first['msg']}" if where else first["msg"]))


def _record(body: dict[str, Any], cid: str) -> Record:
    """A note, rating or lesson: only the fields the consoles write, each of its kind — the
    journal's own (``wall``, ``hash``…) or anything else is refused, so a record holds nothing
    the scorer or the report does not expect and no seat can forge a journal field."""
    typ = body["type"]
    data = {k: v for k, v in body.items() if k not in ("type", "cid")}
    _check_fields(body, RECORDS[typ], ("type", "cid"), typ)
    if typ == Kind.RATING and data.get("rating") not in RATINGS:
        raise WireError(
            "rejected", f"rating {shown(data.get('rating'))}; expected one of P, S, M, U"
        )
    if typ == Kind.RATING and not data.get("capability"):
        raise WireError("rejected", "a rating without a 'capability'")
    if typ != Kind.RATING and not isinstance(data.get("text"), str):
        raise WireError("rejected", f"a {typ} without its 'text'")
    return Record(typ, data, cid=cid)


def _check_fields(body: dict[str, Any], spec: Any, known: tuple[str, ...], what: str) -> None:
    problem = field_problem(body, spec, known, what)
    if problem is not None:
        raise WireError("malformed", problem)


def _why(exc: Exception) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:300]


def event_message(event: Event) -> dict[str, Any]:
    return {"t": "event", "seq": event["seq"], "event": event}


__all__ = ["FACILITATOR", "MAX_FRAME", "MAX_TEXT", "PROTOCOL", "WireError"]
