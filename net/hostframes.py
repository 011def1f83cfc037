"""What a seat takes from its host: an address it can use, and each frame's shape checked
before the seat acts on it.

A joined seat trusts its host for the story, not for the shape of what it sends: a host that
is not drillbook's, a broken one or a hostile one could send an event without a number, a
clock whose time is text, a welcome without a scenario. Unchecked, each was a traceback on the
seat's network thread or in its console; checked, it is one :class:`WireError` that the seat
turns into one line for the player (and it stops: such a host is not reconnected to).
"""

from __future__ import annotations

from typing import Any

from drillbook.net.wire import WireError
from websockets.exceptions import InvalidURI
from websockets.uri import parse_uri

_CLOCK_NUMBERS = ("now", "reached", "speed")
_CLOCK_FLAGS = ("running", "started", "ended")


def address_problem(url: str) -> str | None:
    """Why ``url`` cannot be a host's address (what follows "URL: " in the one line), or
    None. A port out of range or a broken IPv6 bracket is found here, not as a traceback
    in the connecting thread; the command line, ``serve`` and the join form all ask this."""
    expected = "expected ws://HOST:PORT or wss://HOST:PORT"
    if not url.startswith(("ws://", "wss://")):
        return f"not a host address; {expected}"
    try:
        parse_uri(url)
    except (InvalidURI, ValueError) as exc:
        return f"not a host address ({exc}); {expected}"
    return None


def check_host_frame(message: dict[str, Any]) -> None:
    """Raise ``WireError`` unless ``message`` (a decoded frame from the host) has what the
    seat reads of it."""
    t = message["t"]
    if t == "event":
        _event(message)
    elif t == "welcome":
        for name in ("seat", "kind"):
            _need(isinstance(message.get(name), str), f"a welcome without its '{name}'")
        _need(isinstance(message.get("scenario"), dict), "a welcome without its scenario")
        _need(isinstance(message.get("settings", {}), dict), "a welcome's settings")
        _clock(message.get("state"))
    elif t == "state":
        _clock(message)
    elif t == "verdicts":
        decisions = message.get("decisions", [])
        _need(
            isinstance(decisions, list)
            and all(isinstance(d, dict) and _is_seq(d.get("seq")) for d in decisions),
            "verdicts without their decisions' numbers",
        )
    elif t == "ack":
        event = message.get("event")
        _need(event is None or isinstance(event, dict), "an ack whose event is not one")


def _event(message: dict[str, Any]) -> None:
    event = message.get("event")
    _need(_is_seq(message.get("seq")) and isinstance(event, dict), "an event without its number")
    assert isinstance(event, dict)
    _need(event.get("seq") == message["seq"], "an event numbered twice over")
    _need(isinstance(event.get("type"), str), "an event without its type")
    _need(_is_number(event.get("sim")), "an event without its story time")


def _clock(state: Any) -> None:
    _need(isinstance(state, dict), "a clock state that is not one")
    for name in _CLOCK_NUMBERS:
        _need(_is_number(state.get(name)), f"a clock state whose '{name}' is not a number")
    for name in _CLOCK_FLAGS:
        _need(isinstance(state.get(name), bool), f"a clock state whose '{name}' is not true/false")
    if "meters" in state:
        meters = state["meters"]
        _need(
            isinstance(meters, dict) and all(_is_number(v) for v in meters.values()),
            "meters that are not numbers",
        )
        _need(isinstance(state.get("upcoming", []), list), "an MSEL ahead that is not a list")


def _is_seq(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _need(ok: bool, what: str) -> None:
    if not ok:
        raise WireError("malformed", what)
