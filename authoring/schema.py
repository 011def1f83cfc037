"""JSON Schema for the file formats, generated from the same models the loader uses.

The schemas are committed under ``drillbook/schema/`` so editors with yaml-language-server
can offer completion (``# yaml-language-server: $schema=…``); a test fails when a committed
schema drifts from the models. Only draft-07 constructs are emitted (no tuple fields).

pydantic writes what the field *types* say. The scenario format also has rules that live in
field and model validators (an id is a slug, an inject has exactly one of ``at`` or
``when``, ``expects`` names actions). :func:`_editor_rules` writes those into the generated
schema as well, so that an editor flags what ``drillbook validate`` would, in the same words.
It only adds to the schema: what ``validate`` accepts is decided by the models alone, and
``tests/test_schema_agreement.py`` proves the two agree on everything a static schema can
see (cross-references, such as an unknown phase, stay with ``validate``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from drillbook.formats.limits import MAX_STORY_MINUTES
from drillbook.formats.offsets import OFFSET_PATTERN
from drillbook.scenarios.actions import ACTION_NAMES
from drillbook.scenarios.model import Scenario
from pydantic import BaseModel

SCHEMAS: dict[str, Callable[[], dict[str, Any]]] = {}

# The loader's rules, in the loader's words (see scenarios/model.py and scenarios/offsets.py).
# JavaScript regexes (the editor's): ASCII classes, and the loader strips spaces first.
ID_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
ID_MESSAGE = "not an id; expected lower-case letters, digits, '-' or '_'"
START_PATTERN = r"^\s*(Mon|Tue|Wed|Thu|Fri|Sat|Sun)[A-Za-z0-9_]* ([01][0-9]|2[0-3]):[0-5][0-9]\s*$"
START_MESSAGE = 'not a day and time; expected like "Tue 03:47"'
# Up to 9999 hours (scenarios/limits.py), written with at most six digits as the loader reads.
OFFSET_STRING = r"^\s*\+0{0,2}[0-9]{1,4}:[0-5][0-9]\s*$"
OFFSET_MESSAGE = 'not an offset; expected "+H:MM" (quoted) or whole minutes'
ZERO_DELAY = r"^\s*\+0{1,4}:00\s*$"
ONE_TRIGGER = "an inject needs exactly one of 'at' (an offset) or 'when' (a condition)"
DELAY_WITH_AT = "'delay' goes with 'when', not with 'at'"
DERIVED_ALONE = "a derived meter takes no rate, rates, cap or min of its own"
NEEDS_FLOOR = "a meter with a negative rate needs a floor; expected 'min: …'"
ACTION_MESSAGE = "not an action; expected one of: " + ", ".join(ACTION_NAMES)
TRIGGER_EXAMPLES: dict[str, list[Any]] = {
    "at": ["+0:30"],
    "when": [{"not_done": "contain", "by": "+1:00"}],
}
# Models whose ``id`` field is a slug (RoleInPlay's id is a role id, patterned already).
SLUG_IDS = ("Cause", "Inject", "Meter", "Obligation", "Option", "Phase", "Source")


def register(
    name: str,
    model: type[BaseModel],
    title: str,
    extra: Callable[[dict[str, Any]], None] | None = None,
) -> None:
    def build() -> dict[str, Any]:
        schema = model.model_json_schema(by_alias=True, mode="validation")
        schema = {"$schema": "http://json-schema.org/draft-07/schema#", "title": title, **schema}
        if extra:
            extra(schema)
        return schema

    SCHEMAS[name] = build


def _given(field: str) -> dict[str, Any]:
    """Holds when ``field`` is present and not null (the models treat null as absent)."""
    return {"required": [field], "properties": {field: {"not": {"type": "null"}}}}


def _offsets(node: Any) -> None:
    """Every offset: drillbook's wording instead of a raw regex, and an example to insert."""
    if isinstance(node, dict):
        branches = node.get("anyOf", [])
        strings = [b for b in branches if b.get("pattern") == OFFSET_PATTERN]
        for b in branches:
            if b.get("type") == "integer" and strings:
                b["maximum"] = MAX_STORY_MINUTES
        for b in strings:
            b["pattern"] = OFFSET_STRING
            b["patternErrorMessage"] = OFFSET_MESSAGE
            b["examples"] = ["+0:30"]
            node["errorMessage"] = OFFSET_MESSAGE
        for v in node.values():
            _offsets(v)
    elif isinstance(node, list):
        for v in node:
            _offsets(v)


def _no_null_defaults(node: Any) -> None:
    """An editor inserts a field's default on completion: ``null`` is never worth inserting."""
    if isinstance(node, dict):
        if "default" in node and node["default"] is None:
            del node["default"]
        for v in node.values():
            _no_null_defaults(v)
    elif isinstance(node, list):
        for v in node:
            _no_null_defaults(v)


def _triggered(inject: dict[str, Any], trigger: str, title: str) -> dict[str, Any]:
    """An inject with its required fields and one trigger, as one alternative.

    yaml-language-server builds its whole-object completion from each alternative's
    ``required`` and ``properties``: with the trigger required here (and nothing required
    on the inject itself) that completion inserts an inject ``validate`` accepts.
    """
    required = [*inject["required"], trigger]
    props = {k: v for k, v in inject["properties"].items() if k in required}
    branch = next(b for b in props[trigger]["anyOf"] if b.get("type") != "null")
    props[trigger] = {**branch, "examples": TRIGGER_EXAMPLES[trigger]}
    return {"properties": props, "required": required, "title": title}


def _editor_rules(schema: dict[str, Any]) -> None:
    """Add the scenario rules that live in validators, so editors check them too."""
    defs = schema["$defs"]
    defs["Action"] = {
        "description": "A player action (what `expects` and conditions name).",
        "enum": list(ACTION_NAMES),
        "errorMessage": ACTION_MESSAGE,
        "type": "string",
    }
    action = {"$ref": "#/$defs/Action"}
    defs["Inject"]["properties"]["expects"]["items"] = action
    defs["Done"]["properties"]["done"] = {**action, "title": "Done"}
    defs["NotDone"]["properties"]["not_done"] = {**action, "title": "Not Done"}

    slug = {"pattern": ID_PATTERN, "patternErrorMessage": ID_MESSAGE, "type": "string"}
    for name in SLUG_IDS:
        defs[name]["properties"]["id"].update(slug, examples=["model-alert"])
    schema["properties"]["id"].update(slug, examples=["model-outage"])
    schema["properties"]["start"].update(
        pattern=START_PATTERN, patternErrorMessage=START_MESSAGE, examples=["Tue 03:47"]
    )
    _offsets(schema)

    inject = defs["Inject"]
    inject["properties"]["when"]["examples"] = TRIGGER_EXAMPLES["when"]
    inject["properties"]["to"]["examples"] = [["on_call"]]  # roles are the scenario's own
    zero = {
        "anyOf": [
            {"enum": [0], "errorMessage": DELAY_WITH_AT},
            {"type": "string", "pattern": ZERO_DELAY, "patternErrorMessage": DELAY_WITH_AT},
        ],
        "errorMessage": DELAY_WITH_AT,
    }
    hidden = {"doNotSuggest": True}  # rules only: never offered as completions
    both = {"type": "null", "errorMessage": ONE_TRIGGER + "; this one has both", **hidden}
    inject["allOf"] = [
        {
            "anyOf": [
                _triggered(inject, "at", "Inject at an offset"),
                _triggered(inject, "when", "Inject when a condition holds"),
            ]
        },
        # neither, in drillbook's words (yaml-language-server shows a required's errorMessage;
        # no properties here, so no completion is built from it)
        {
            "anyOf": [
                {"required": ["at"], "errorMessage": ONE_TRIGGER},
                {"required": ["when"], "errorMessage": ONE_TRIGGER},
            ]
        },
        # both, or a delay beside `at`
        {
            "if": _given("at"),
            "then": {"properties": {"when": both, "delay": {**zero, **hidden}}},
        },
    ]
    del inject["required"]

    meter = defs["Meter"]
    meter["allOf"] = [
        {
            "if": _given("derived"),
            "then": {
                "properties": {
                    "rate": {"enum": [0], "errorMessage": DERIVED_ALONE},
                    "rates": {"maxItems": 0, "errorMessage": DERIVED_ALONE},
                    "cap": {"type": "null", "errorMessage": DERIVED_ALONE},
                    "min": {"type": "null", "errorMessage": DERIVED_ALONE},
                }
            },
        },
        # a meter that can fall declares its floor (initial ≥ min ≤ cap stays with validate)
        {
            "if": {"required": ["rate"], "properties": {"rate": {"exclusiveMaximum": 0}}},
            "then": {"required": ["min"], "errorMessage": NEEDS_FLOOR},
        },
        {
            "if": {
                "required": ["rates"],
                "properties": {
                    "rates": {
                        "contains": {
                            "required": ["rate"],
                            "properties": {"rate": {"exclusiveMaximum": 0}},
                        }
                    }
                },
            },
            "then": {"required": ["min"], "errorMessage": NEEDS_FLOOR},
        },
    ]
    _no_null_defaults(schema)


register("scenario", Scenario, "drillbook scenario (one exercise, its MSEL)", _editor_rules)


def schema_text(name: str) -> str:
    """The schema as committed: sorted keys, two-space indent, final newline."""
    return json.dumps(SCHEMAS[name](), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
