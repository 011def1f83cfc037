"""The headless seat: plays one role's decisions from a transcript against a host.

Each decision is submitted when the *host's* clock — as the host last reported it, never the
seat's own extrapolation — reaches the decision's time, so a transcript played against a host
lands where the host's clock stands. It is how tests, load benches and solo practice ("the bot
plays legal") use a host. A decision the host refuses is reported and play goes on.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from drillbook.net.remote import RemoteSession
from drillbook.net.wire import SeatKind
from drillbook.scenarios.transcript import Decision, Transcript
from drillbook.simulator.commands import Decide
from drillbook.simulator.events import EPSILON
from drillbook.simulator.refusals import ActionRejected

POLL_SECONDS = 0.01


@dataclass
class BotResult:
    submitted: int = 0
    refused: list[str] = field(default_factory=list)


def decisions_for(remote: RemoteSession, transcript: Transcript) -> list[Decision]:
    """The transcript's decisions this seat may take: its role's (all, for the facilitator)."""
    if remote.kind == SeatKind.FACILITATOR:
        return list(transcript.decisions)
    return [d for d in transcript.decisions if d.role == remote.role]


def play(
    remote: RemoteSession,
    transcript: Transcript,
    *,
    until_end: bool = True,
    sleep: Callable[[float], None] = time.sleep,
    say: Callable[[str], None] = lambda line: None,
) -> BotResult:
    """Submit this seat's decisions as the host's clock reaches them; with ``until_end``,
    keep following the run until the host ends it."""
    todo = decisions_for(remote, transcript)
    result = BotResult()
    while not remote.ended and not remote.fatal:
        remote.tick()
        reached = remote.host_time()
        while todo and todo[0].at <= reached + EPSILON and not remote.ended:
            d = todo.pop(0)
            try:
                remote.apply(Decide(d.role, d.action))
                result.submitted += 1
            except ActionRejected as exc:
                line = f"{d.role} {d.action.action} at {d.at:g} min: not recorded: {exc}"
                result.refused.append(line)
                say(line)
        if not todo and not until_end:
            break
        sleep(POLL_SECONDS)
    remote.tick()
    return result
