"""Validated models kept between processes, so a file read again is not validated again.

A ``run``, ``score`` or ``report`` validates the same scenario, the bundled response plan and
a client profile in every process. Building pydantic's validators for those models and
validating the files was about a fifth of each of those commands (60 ms of ~300 on the
flagship); unpickling the models they gave is under 2 ms.

An entry is kept only for a file that validated cleanly, so every problem is still found and
placed by validating. An entry is used only when everything its result could depend on is as
it was when it was written:

- the file's bytes (their SHA-256 names the entry, with the model's name);
- the versions of Python, pydantic, pydantic-core and PyYAML, and where this drillbook is
  installed (each checkout or environment keeps its own entries);
- every drillbook module that was loaded when the entry was written — validators, models and
  the YAML reader among them — each by its source file's path, size and modification time.
  A module imported during validation is loaded by then, so it is among them.

Entries sit in the user's cache folder beside the compiled report templates, and are trusted
as those are: whoever can write there can already change what drillbook runs. Anything
wrong with an entry (missing, unreadable, damaged, of another shape) means validating as
before, and a folder that cannot be written means validating every time: still correct.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
import sys
from functools import cache
from pathlib import Path
from typing import Any

FORMAT = 1  # of an entry: a JSON header line, then the pickle
MAX_ENTRIES = 256
_INSTALL = str(Path(__file__).resolve().parent.parent)  # where this drillbook's sources are


def _folder() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "drillbook" / "validated"


def _versions() -> str:
    import pydantic
    import pydantic_core

    return f"{sys.version}|{pydantic.VERSION}|{pydantic_core.__version__}|{_pyyaml()}"


@cache
def _pyyaml() -> str:
    """PyYAML as installed, without importing it: a command whose files all come from here
    composes no YAML and need not pay for PyYAML's import (see :mod:`yamlcompose`). Its
    ``__init__.py`` by path, size and modification time: installing any other PyYAML (or
    the same one again) writes that file anew."""
    import importlib.util

    spec = importlib.util.find_spec("yaml")
    origin = spec.origin if spec is not None else None
    try:
        st = os.stat(origin) if origin else None
    except OSError:
        st = None
    return f"{origin}:{st.st_size}:{st.st_mtime_ns}" if st else "no PyYAML"


def _entry(label: str) -> Path:
    # The install is part of the name: two checkouts or virtual environments (their modules
    # at other paths) would otherwise overwrite each other's entries, and each miss the
    # other's on every run.
    name = f"{FORMAT}|{label}|{_versions()}|{_INSTALL}"
    return _folder() / f"{hashlib.sha256(name.encode()).hexdigest()[:40]}.pickle"


def _stat(path: str) -> list[int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


def _own_sources() -> dict[str, list[int] | None]:
    """Path → [size, mtime] of the source of every drillbook module loaded now."""
    out: dict[str, list[int] | None] = {}
    for name, module in list(sys.modules.items()):
        if name == "drillbook" or name.startswith("drillbook."):
            path = getattr(module, "__file__", None)
            if path:
                out[path] = _stat(path)
    return out


def recall(model: type, sha256: str) -> Any | None:
    """The model validated earlier from these bytes, if nothing it depends on has changed."""
    return _recall(f"{model.__module__}.{model.__qualname__}|{sha256}", model) if sha256 else None


def keep(model: type, sha256: str, built: Any) -> None:
    """Keep a cleanly validated model for the next process; never fails the caller."""
    if sha256:
        _keep(f"{model.__module__}.{model.__qualname__}|{sha256}", built)


def recall_document(kind: type, sha256: str, file: str) -> Any | None:
    """The document parsed earlier from these bytes under this file name (its positions
    name the file), if the YAML reader and the rest are as they were."""
    return _recall(f"document|{sha256}|{file}", kind) if sha256 else None


def keep_document(sha256: str, file: str, doc: Any) -> None:
    """Keep a document that parsed cleanly, with its positions, for the next process."""
    if sha256:
        _keep(f"document|{sha256}|{file}", doc)


def recall_loaded(kind: type, sha256: str, file: str) -> Any | None:
    """What loading these bytes under this file name gave earlier (for a result that names
    its file, as a transcript does), if nothing it depends on has changed."""
    return (
        _recall(f"{kind.__module__}.{kind.__qualname__}|{sha256}|{file}", kind) if sha256 else None
    )


def keep_loaded(kind: type, sha256: str, file: str, loaded: Any) -> None:
    """Keep what a file loaded cleanly into, for the next process; never fails the caller."""
    if sha256:
        _keep(f"{kind.__module__}.{kind.__qualname__}|{sha256}|{file}", loaded)


def _recall(label: str, kind: type) -> Any | None:
    try:
        with open(_entry(label), "rb") as f:
            header = json.loads(f.readline())
            sources = header["sources"]
            if not sources or any(_stat(p) != s for p, s in sources.items()):
                return None
            built = pickle.loads(f.read())
    except Exception:  # no entry, or one this code cannot use: validate instead
        return None
    return built if type(built) is kind else None


def _keep(label: str, value: Any) -> None:
    entry = _entry(label)
    tmp = entry.with_name(f"{entry.name}.{os.getpid()}.tmp")
    try:
        body = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        header = json.dumps({"sources": _own_sources()}).encode() + b"\n"
        entry.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(header + body)
        os.replace(tmp, entry)  # a reader sees the old entry or the new one, never half
        _prune(entry.parent)
    except Exception:  # unpicklable, read-only home, full disk: the next run validates
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)


def _prune(folder: Path) -> None:
    """At most :data:`MAX_ENTRIES` entries: past that, the older half goes (files written by
    tests or one-off edits pile up otherwise). Only a write, that is a miss, pays for this."""
    entries = [e for e in os.scandir(folder) if e.name.endswith(".pickle")]
    if len(entries) <= MAX_ENTRIES:
        return
    entries.sort(key=lambda e: e.stat().st_mtime_ns)
    for old in entries[: len(entries) - MAX_ENTRIES // 2]:
        with contextlib.suppress(OSError):
            os.unlink(old.path)
