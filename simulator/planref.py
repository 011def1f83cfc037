"""Which response plan a run is played under: its id, version and digest, for the header.

The journal names the plan file, but a file can be edited after the run. The header also
keeps what the file said then (``plan_id``, ``plan_version``) and the SHA-256 of its bytes,
so a report or the register can tell "scored against the plan it was played under" from
"scored against a plan changed since". The engine imports nothing of the scorer: this reads
the file's top-level ``id`` and ``version`` with the YAML parser alone (the plan itself was
validated before play started).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import yaml
from drillbook.data import path as bundled_path

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def default_plan_file() -> Path:
    """The bundled plan's file (bundled data, so no import of the scoring package)."""
    return bundled_path("plans", "default.yaml")


def plan_ref(path: str | Path | None) -> dict[str, Any]:
    """``{"plan_id", "plan_version", "plan_digest"}`` of a plan file (None: the bundled one);
    values are None when the file cannot be read."""
    file = Path(path) if path else default_plan_file()
    try:
        raw = file.read_bytes()
        data = yaml.load(raw, Loader=_Loader)
    except (OSError, yaml.YAMLError):
        return {"plan_id": None, "plan_version": None, "plan_digest": None}
    data = data if isinstance(data, dict) else {}
    version = data.get("version")
    return {
        "plan_id": str(data["id"]) if data.get("id") is not None else None,
        "plan_version": "" if version is None else str(version),
        "plan_digest": hashlib.sha256(raw).hexdigest(),
    }
