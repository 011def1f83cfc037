"""JSON Schema for the file formats, generated from the same models the loader uses.

The schemas are committed under ``drillbook/schema/`` so editors with yaml-language-server
can offer completion (``# yaml-language-server: $schema=…``); a test fails when a committed
schema drifts from the models. Only draft-07 constructs are emitted (no tuple fields).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

from .model import Scenario

SCHEMAS: dict[str, Callable[[], dict[str, Any]]] = {}


def register(name: str, model: type[BaseModel], title: str) -> None:
    def build() -> dict[str, Any]:
        schema = model.model_json_schema(by_alias=True, mode="validation")
        return {"$schema": "http://json-schema.org/draft-07/schema#", "title": title, **schema}

    SCHEMAS[name] = build


register("scenario", Scenario, "drillbook scenario (one exercise, its MSEL)")


def schema_text(name: str) -> str:
    """The schema as committed: sorted keys, two-space indent, final newline."""
    return json.dumps(SCHEMAS[name](), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
