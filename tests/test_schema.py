"""The committed JSON Schema is the one the models generate, and editors can use it (draft-07)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

import drillbook
from scenarios import library
from scenarios.schema import schema_text
from scenarios.yamlsource import read

COMMITTED = Path(drillbook.__file__).parent / "schema" / "scenario.schema.json"
REGENERATE = "drillbook schema > drillbook/schema/scenario.schema.json"


def test_the_committed_schema_has_not_drifted_from_the_models() -> None:
    assert COMMITTED.is_file(), f"missing; run: {REGENERATE}"
    assert COMMITTED.read_text(encoding="utf-8") == schema_text("scenario"), (
        f"the scenario models changed; run: {REGENERATE}"
    )


def _walk(node: Any) -> list[Any]:
    out = [node]
    if isinstance(node, dict):
        for v in node.values():
            out += _walk(v)
    elif isinstance(node, list):
        for v in node:
            out += _walk(v)
    return out


def test_the_schema_is_draft_07_and_self_contained() -> None:
    schema = json.loads(schema_text("scenario"))
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    nodes = [n for n in _walk(schema) if isinstance(n, dict)]
    assert not [n for n in nodes if "prefixItems" in n]  # 2020-12 only: editors would ignore it
    refs = {n["$ref"] for n in nodes if "$ref" in n}
    assert refs, "expected definitions to be referenced"
    for ref in refs:
        assert ref.startswith("#/$defs/") and ref.removeprefix("#/$defs/") in schema["$defs"]


def test_the_flagship_points_editors_at_the_committed_schema() -> None:
    flagship = library.resolve(library.FLAGSHIP)
    first = flagship.read_text(encoding="utf-8").splitlines()[0]
    m = re.match(r"# yaml-language-server: \$schema=(\S+)$", first)
    assert m, first
    assert (flagship.parent / m.group(1)).resolve() == COMMITTED.resolve()


def test_the_bundled_scenarios_validate_against_the_schema() -> None:
    import jsonschema

    validator = jsonschema.Draft7Validator(json.loads(COMMITTED.read_text(encoding="utf-8")))
    for path in library.bundled():
        errors = [e.message for e in validator.iter_errors(read(path).data)]
        assert errors == [], path


def test_the_bundled_plan_and_client_profiles_validate_against_their_schemas() -> None:
    import jsonschema

    from scoring.plan import DEFAULT_PLAN_PATH

    def validator(kind: str) -> jsonschema.Draft7Validator:
        text = (COMMITTED.parent / f"{kind}.schema.json").read_text(encoding="utf-8")
        return jsonschema.Draft7Validator(json.loads(text))

    files = [("plan", DEFAULT_PLAN_PATH)]
    files += [("client", p) for p in sorted((library.LIBRARY_DIR / "clients").glob("*.yaml"))]
    assert len(files) >= 9
    for kind, path in files:
        errors = [e.message for e in validator(kind).iter_errors(read(path).data)]
        assert errors == [], path


@pytest.mark.parametrize("kind", ["plan", "client"])
def test_the_scorers_committed_schemas_have_not_drifted(kind: str) -> None:
    from drillbook.commands.schema import schema_for

    committed = COMMITTED.parent / f"{kind}.schema.json"
    assert committed.read_text(encoding="utf-8") == schema_for(kind), (
        f"regenerate with: drillbook schema {kind} > drillbook/schema/{kind}.schema.json"
    )
    assert "prefixItems" not in committed.read_text(encoding="utf-8")
