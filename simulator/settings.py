"""RunSettings: what a facilitator decides before play — seed, plan, client, roster, practice.

Kept apart from :mod:`simulator.session` because the setup screen and the command line build
them before any run exists: ``drillbook play`` shows its first frame without importing the
engine behind a Session (about 6 ms of a 0.3 s start). ``simulator.session`` still names it,
so ``from drillbook.simulator.session import RunSettings`` keeps working.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class RunSettings:
    """What a facilitator decides before play; all of it goes into the journal header."""

    seed: int = 0
    plan: str | None = None
    client: str | None = None
    roster: dict[str, str] = field(default_factory=dict)  # role → person
    practice: bool = False
    mode: str = "play"
