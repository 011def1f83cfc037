"""The committed JSON Schema is the one the models generate, and editors can use it (draft-07)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from drillbook.authoring.schema import schema_text
from drillbook.formats.yamlsource import read
from drillbook.scenarios import library

import drillbook

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


def _modeline(path: Path) -> Path:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    m = re.match(r"# yaml-language-server: \$schema=(\S+)$", first)
    assert m, f"{path}: {first}"
    return path.parent / m.group(1)


def test_every_bundled_scenario_names_a_schema_beside_it_that_has_not_drifted() -> None:
    # Beside it, not a path into the repository: a copy keeps working once
    # `drillbook schema --write COPY` has dropped the schema next to it.
    for path in library.bundled():
        target = _modeline(path)
        assert target == path.parent / "./scenario.schema.json", path
        assert target.read_text(encoding="utf-8") == schema_text("scenario"), (
            "run: drillbook schema --write scenarios/"
        )


def test_a_copied_bundled_scenario_keeps_its_schema_after_schema_write(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from drillbook.cli import main

    flagship = library.resolve(library.FLAGSHIP)
    copy = tmp_path / "drill.yaml"
    copy.write_bytes(flagship.read_bytes())
    assert not _modeline(copy).exists()  # what an editor met before: "No content"
    assert main(["schema", "--write", str(copy)]) == 0
    out = capsys.readouterr().out
    assert (
        out
        == f"wrote {tmp_path / 'scenario.schema.json'} for your editor's completion and checks (yaml-language-server)\n"
    )
    assert _modeline(copy).read_text(encoding="utf-8") == schema_text("scenario")
    assert copy.read_bytes() == flagship.read_bytes()  # nothing else rewritten
    assert sorted(p.name for p in tmp_path.iterdir()) == ["drill.yaml", "scenario.schema.json"]


def test_schema_write_says_which_line_a_scenario_without_the_modeline_needs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from drillbook.cli import main

    bare = tmp_path / "bare.yaml"
    bare.write_text("id: x\n", encoding="utf-8")
    assert main(["schema", "--write", str(bare)]) == 0
    last = capsys.readouterr().out.splitlines()[-1]
    assert last == (
        f"{bare} does not point at it; put this line first in it: "
        "# yaml-language-server: $schema=./scenario.schema.json"
    )
    assert bare.read_text(encoding="utf-8") == "id: x\n"
    assert main(["schema", "plan", "--write", str(tmp_path)]) == 0
    assert (tmp_path / "plan.schema.json").is_file()
    assert main(["schema", "--write", str(tmp_path / "nowhere" / "x.yaml")]) == 2
    assert "no such file or folder" in capsys.readouterr().err


def test_schema_write_replaces_only_its_own_schema_and_never_follows_a_link(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from drillbook.cli import main
    from drillbook.commands.schema import schema_for

    out = tmp_path / "scenario.schema.json"
    out.write_text("my notes on the schema\n", encoding="utf-8")
    assert main(["schema", "--write", str(tmp_path)]) == 2
    assert "is not this kind's schema" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "my notes on the schema\n"
    out.write_text(schema_for("plan"), encoding="utf-8")  # another kind's schema
    assert main(["schema", "--write", str(tmp_path)]) == 2
    assert out.read_text(encoding="utf-8") == schema_for("plan")
    out.write_text('{"$schema": "http://json-schema.org/draft-07/schema#", "title": "Scenario"}')
    assert main(["schema", "--write", str(tmp_path)]) == 0  # an older one of its own kind
    assert out.read_text(encoding="utf-8") == schema_text("scenario")
    out.write_text("mine\n", encoding="utf-8")
    assert main(["schema", "--write", str(tmp_path), "--force"]) == 0
    assert out.read_text(encoding="utf-8") == schema_text("scenario")
    secret = tmp_path / "elsewhere.txt"
    secret.write_text("keep\n", encoding="utf-8")
    out.unlink()
    out.symlink_to(secret)
    assert main(["schema", "--write", str(tmp_path), "--force"]) == 2
    assert secret.read_text(encoding="utf-8") == "keep\n" and out.is_symlink()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["elsewhere.txt", "scenario.schema.json"]


def test_the_bundled_scenarios_validate_against_the_schema() -> None:
    import jsonschema

    validator = jsonschema.Draft7Validator(json.loads(COMMITTED.read_text(encoding="utf-8")))
    for path in library.bundled():
        errors = [e.message for e in validator.iter_errors(read(path).data)]
        assert errors == [], path


def test_the_bundled_plan_and_client_profiles_validate_against_their_schemas() -> None:
    import jsonschema
    from drillbook.scoring.plan import DEFAULT_PLAN_PATH

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
