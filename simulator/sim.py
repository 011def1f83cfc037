"""SimPy, imported without ``importlib.metadata``.

SimPy's ``__init__`` asks ``importlib.metadata`` for its own version. Importing that module
pulls in ``email``, ``zipfile``, ``csv`` and more, and the lookup scans the installed
distributions: 20-40 ms of every ``drillbook run``, ``score``, ``report`` and ``play``,
which otherwise never need it (``drillbook.startup`` keeps pydantic from importing it too).
So the first import of SimPy is given a stand-in that answers just that question from
SimPy's ``.dist-info`` folder beside the package — what ``version()`` reads — and is
removed again afterwards; anything else that imports ``importlib.metadata`` later gets the
real module. Where the folder cannot be found the real module answers, as before.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types
from itertools import count
from pathlib import Path
from typing import Any

_METADATA = "importlib.metadata"


def _installed_version(package_dir: Path, name: str) -> str | None:
    """The version in ``<name>-<version>.dist-info`` beside ``package_dir`` (None: none)."""
    found = sorted(package_dir.parent.glob(f"{name}-*.dist-info"))
    if len(found) != 1:
        return None  # none, or several (an odd install): let the real lookup decide
    return found[0].name[len(name) + 1 : -len(".dist-info")]


def _real_version(name: str) -> str:
    sys.modules.pop(_METADATA, None)
    importlib.__dict__.pop("metadata", None)
    import importlib.metadata as real

    return real.version(name)


def _import_simpy() -> Any:
    if "simpy" in sys.modules or _METADATA in sys.modules:
        import simpy

        return simpy
    spec = importlib.util.find_spec("simpy")
    origin = Path(spec.origin) if spec is not None and spec.origin else None
    stand_in = types.ModuleType(_METADATA, "drillbook: SimPy's own version, read cheaply")

    class PackageNotFoundError(ModuleNotFoundError):
        """As ``importlib.metadata``'s: no such distribution is installed."""

    def version(name: str) -> str:
        known = _installed_version(origin.parent, name) if origin is not None else None
        return known if known is not None else _real_version(name)

    stand_in.PackageNotFoundError = PackageNotFoundError  # type: ignore[attr-defined]
    stand_in.version = version  # type: ignore[attr-defined]
    sys.modules[_METADATA] = stand_in
    importlib.metadata = stand_in  # type: ignore[attr-defined]  # what ``import a.b`` binds
    try:
        import simpy
    finally:
        if sys.modules.get(_METADATA) is stand_in:
            del sys.modules[_METADATA]
        if importlib.__dict__.get("metadata") is stand_in:
            del importlib.metadata  # type: ignore[attr-defined]
    return simpy


simpy = _import_simpy()

__all__ = ["Environment", "simpy"]


class Environment(simpy.Environment):  # type: ignore[misc,name-defined]
    """SimPy's environment, set up without binding its event classes to the instance.

    ``Environment.__init__`` binds ``process``, ``timeout``, ``event`` and the rest to each
    new environment ahead of use (``BoundClass.bind_early``), a loop over the class's
    attributes that cost a tenth of starting an engine. The engine makes none of those
    events (its wake-ups go straight onto the queue), and unbound they still work, through
    the same descriptor the binding would have read (a test's SimPy process, say)."""

    def __init__(self, initial_time: float = 0) -> None:  # what SimPy's sets, but the binding
        self._now = initial_time
        self._queue: list[tuple[float, int, int, Any]] = []
        self._eid = count()
        self._active_proc = None
