"""A journal's lines one by one: what counts as an event, and the hash chain that makes an
edited line visible in one pass.

Every line ends with ``hash`` = sha256(previous line's ``hash`` + this line's bytes without its
own ``,"hash":"…"``); the header follows the empty string. The writer appends it as the last
field, so a reader checks it on the bytes as they are, without re-encoding anything. An edited
line is named itself (the last line included), a removed one by the line after the gap. With
no secret involved it is evidence against quiet edits, not a signature.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from drillbook.formats.yamlsource import InputError, Problem
from drillbook.simulator.events import Event, Kind

CHAIN = "sha256"  # the header's ``chain``: each ``hash`` is sha256(previous hash + line bytes)
_HASH = b',"hash":"'
_HASHED_TAIL = len(_HASH) + 64 + 2  # ,"hash":"<64 hex>"}
_SNIFF_BYTES = 1 << 20  # a journal's header line is far smaller than this


def seal(body: bytes, prev: str) -> tuple[bytes, str]:
    """``body`` (an encoded event) with its running ``hash`` appended, and that hash."""
    digest = hashlib.sha256(prev.encode("utf-8") + body).hexdigest()
    return body[:-1] + _HASH + digest.encode("ascii") + b'"}', digest


def sealed_hash(line: bytes, prev: str) -> str | None:
    """The ``hash`` ``line`` ends with if it is the right one after ``prev``, else None."""
    line = line.rstrip(b"\r")
    cut = len(line) - _HASHED_TAIL
    if cut < 1 or line[cut : cut + len(_HASH)] != _HASH or not line.endswith(b'"}'):
        return None
    recorded = line[cut + len(_HASH) : -2].decode("ascii", errors="replace")
    body = line[:cut] + b"}"
    return recorded if hashlib.sha256(prev.encode("utf-8") + body).hexdigest() == recorded else None


class Chain:
    """Checks each line's running ``hash`` against the one before it, in one pass."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.kind: object = None
        self.prev = ""

    def check(self, n: int, line: bytes, ev: Event, *, first: bool) -> None:
        if first:
            self.kind = ev.get("chain")
            if self.kind not in (None, CHAIN):
                self._broken(
                    n,
                    f"its chain '{self.kind}' is not one this drillbook knows; expected '{CHAIN}'",
                )
        if self.kind == CHAIN:
            found = sealed_hash(line, self.prev)
            if found is None:
                self._broken(
                    n,
                    "hash chain broken: this line was changed after drillbook wrote it, or a "
                    "line before it was removed, inserted or moved; expected the journal as "
                    "drillbook wrote it",
                )
            self.prev = str(found)
        elif "hash" in ev:
            self._broken(
                n,
                "this line carries a chain hash but the header declares no chain "
                "(the header was edited); expected the journal as drillbook wrote it",
            )

    def _broken(self, n: int, message: str) -> None:
        raise InputError([Problem(str(self.path), n, 1, message)])


def starts_as_journal(fd: int) -> bool:
    """Whether the file behind ``fd`` begins with a ``run_started`` event (is a journal)."""
    head = os.pread(fd, _SNIFF_BYTES, 0)
    first = parse_event(head.split(b"\n", 1)[0])
    return first is not None and first.get("type") == Kind.RUN_STARTED


def parse_event(line: bytes) -> Event | None:
    """``line`` as an event, or None if it is not one (torn, or not a journal line at all)."""
    try:
        ev = json.loads(line.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    return ev if isinstance(ev, dict) and "type" in ev and "sim" in ev else None
