"""Which response plan a run is played under: its id, version and digest, for the header.

The journal names the plan file, but a file can be edited after the run. The header also
keeps what the file said then (``plan_id``, ``plan_version``) and the SHA-256 of its bytes,
so a report or the register can tell "scored against the plan it was played under" from
"scored against a plan changed since". The engine imports nothing of the scorer: this reads
the file's top-level ``id`` and ``version`` with the YAML parser alone (the plan itself was
validated before play started).

Every run's header asks, and the bundled plan is 36 KB of YAML: building all of it as Python
data took ~30 ms, fifty times a headless flagship run. So the parser's events are read only
until the top-level ``id`` and ``version`` have both been seen (they open a plan), and only
those two scalars are built; a document of any other shape is loaded whole, as before. The
plan loader refuses duplicate keys, so for any plan that loads the first ``id`` is the one
``yaml.load`` would keep.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drillbook.data import path as bundled_path

if TYPE_CHECKING:
    import yaml
_WANTED = frozenset({"id", "version"})
# digest → (id, version) of plans already read in this process: the same bytes say the same
_SEEN: dict[str, tuple[str | None, str]] = {}
_DIGESTS: dict[tuple[Any, ...], str] = {}  # (path, device, inode, size, mtime, ctime) → digest


class _Unusual(Exception):
    """The head of the document is not a plain mapping of plain keys: load it whole."""


def default_plan_file() -> Path:
    """The bundled plan's file (bundled data, so no import of the scoring package)."""
    return bundled_path("plans", "default.yaml")


_DEFAULT: list[str] = []  # the bundled plan's path, as text, once asked (``plan_ref(None)``)


def _scalar(event: yaml.ScalarEvent) -> Any:
    """The value ``yaml.load`` gives a scalar event (same resolver, same constructor)."""
    import yaml

    tag = event.tag
    if tag is None or tag == "!":
        tag = yaml.resolver.Resolver().resolve(yaml.ScalarNode, event.value, event.implicit)
    node = yaml.ScalarNode(tag, event.value, style=event.style)
    return yaml.constructor.SafeConstructor().construct_object(node)


def _loader() -> type:
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read_ref(raw: bytes, digest: str) -> tuple[str | None, str]:
    """The plan's (id, version) from its bytes; kept between processes by their digest
    (:mod:`formats.validcache`), so a run of an unchanged plan reads no YAML here and need
    not import PyYAML at all (its import was ~10 ms of each ``drillbook run``)."""
    from drillbook.formats import validcache

    known = validcache.recall_loaded(tuple, digest, "plan id and version")
    if known is not None:
        return known
    import yaml

    try:
        data = _head(raw)
    except _Unusual:
        data = yaml.load(raw, Loader=_loader())
    data = data if isinstance(data, dict) else {}
    version = data.get("version")
    plan_id = str(data["id"]) if data.get("id") is not None else None
    ref = (plan_id, "" if version is None else str(version))
    validcache.keep_loaded(tuple, digest, "plan id and version", ref)
    return ref


def _head(raw: bytes) -> dict[str, Any]:
    """The top-level ``id`` and ``version`` of a YAML mapping, read from its first events."""
    found: dict[str, Any] = {}
    depth = 0  # collections open; the top-level mapping's keys and values are at depth 1
    key: str | None = None  # the top-level key whose value comes next
    expect_key = True
    import yaml

    for event in yaml.parse(raw, Loader=_loader()):
        if isinstance(event, yaml.StreamStartEvent | yaml.DocumentStartEvent):
            continue
        if depth == 0:
            if not isinstance(event, yaml.MappingStartEvent) or event.tag not in (None, "!"):
                raise _Unusual  # not a mapping (or an empty or tagged document)
            depth = 1
            continue
        if isinstance(event, yaml.AliasEvent) and depth == 1:
            raise _Unusual  # an alias as a top-level key or value: let the loader resolve it
        if depth == 1 and expect_key:
            if isinstance(event, yaml.MappingEndEvent):
                break  # the whole mapping read: what was not found is absent
            if not isinstance(event, yaml.ScalarEvent) or event.tag is not None:
                raise _Unusual  # a complex or tagged key
            if event.value == "<<":
                raise _Unusual  # a merge key could bring in an id
            key = event.value if event.value in _WANTED else None
            expect_key = False
            continue
        if depth == 1 and key is not None:  # the value of id or version
            if not isinstance(event, yaml.ScalarEvent):
                raise _Unusual  # a collection: str() of the loaded value, as before
            found[key] = _scalar(event)
            if len(found) == len(_WANTED):
                break
            key, expect_key = None, True
            continue
        if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            depth += 1
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            depth -= 1
        if depth == 1:  # a value at the top level just ended (a scalar or a collection)
            key, expect_key = None, True
    return found


_UNREADABLE: dict[str, Any] = {"plan_id": None, "plan_version": None, "plan_digest": None}


def plan_ref(path: str | Path | None) -> dict[str, Any]:
    """``{"plan_id", "plan_version", "plan_digest"}`` of a plan file (None: the bundled one);
    values are None when the file cannot be read."""
    if path:
        name = str(Path(path))
    else:  # every headless run asks for the bundled plan: its path is worked out once
        if not _DEFAULT:
            _DEFAULT.append(str(default_plan_file()))
        name = _DEFAULT[0]
    try:
        st = os.stat(name)
        if not stat.S_ISREG(st.st_mode):  # swapped for a FIFO since it was checked: opening
            return dict(_UNREADABLE)  # one would wait for a writer for ever
        # A file whose identity, size and change times are as when it was last read holds
        # the same bytes: every run's header asks, the readiness simulation thousands of times.
        key = (name, st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
        digest = _DIGESTS.get(key)
        raw = b""
        if digest is None:
            raw = Path(name).read_bytes()
            digest = _DIGESTS[key] = hashlib.sha256(raw).hexdigest()
        if digest not in _SEEN:
            if not raw:  # known by its stat alone: read what is there now
                raw = Path(name).read_bytes()
                digest = _DIGESTS[key] = hashlib.sha256(raw).hexdigest()
            _SEEN[digest] = _read_ref(raw, digest)
    except OSError:
        return dict(_UNREADABLE)
    except Exception as exc:  # PyYAML is imported only when a plan's YAML is read
        import yaml

        if not isinstance(exc, yaml.YAMLError):
            raise
        return dict(_UNREADABLE)
    plan_id, version = _SEEN[digest]
    return {"plan_id": plan_id, "plan_version": version, "plan_digest": digest}
