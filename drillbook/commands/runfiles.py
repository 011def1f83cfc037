"""What the commands that read a journal share: the drift flag and the notes on stderr.

``score``, ``report``, ``replay``, ``register add`` and ``play --resume`` refuse a journal whose
hash chain is broken and a scenario file that changed since the run (see
:func:`simulator.replay.scenario_of`); ``--accept-changed-scenario`` lets the last through,
and says so. A journal from before the hash chain is still read, with one note that its
edits cannot be detected.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

ACCEPT = "--accept-changed-scenario"


def add_accept(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        ACCEPT,
        action="store_true",
        dest="accept_changed_scenario",
        help="use the scenario file as it is now even if it changed since the run",
    )


def note_journal(jf: Any, *, scenario_changed: bool = False) -> None:
    """One note each, on stderr, for an unchained journal and an accepted changed scenario."""
    if not jf.chained:
        print(
            f"drillbook: note: {jf.path} has no hash chain (written before drillbook chained "
            "its journals); edits to it cannot be detected",
            file=sys.stderr,
        )
    if scenario_changed:
        print(
            f"drillbook: note: the scenario of {jf.path} changed since the run; used as it is "
            f"now ({ACCEPT})",
            file=sys.stderr,
        )
