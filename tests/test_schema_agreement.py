"""The editor catches what ``drillbook validate`` catches: one corpus, two judges.

Each case is one small edit of the scaffold (``drillbook new``), judged by the in-process
loader (what ``drillbook validate`` runs) and by a JSON Schema validator reading the file as
yaml-language-server does (YAML 1.2 core: ``0x10`` is a number there, ``1:30`` is text). The
two must agree on every case except those named in :data:`ONLY_VALIDATE`: rules that compare
one value with another part of the file, which no static schema can state, and numbers that
YAML 1.2 and drillbook's reader spell differently, which a schema sees only as their value.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from drillbook.authoring.schema import schema_text
from drillbook.formats.yamlsource import InputError
from drillbook.scenarios import load

from drillbook.commands.new import scaffold


class EditorReading(yaml.SafeLoader):
    """YAML 1.2 core schema, as the editor's parser reads plain scalars (no timestamps)."""


EditorReading.yaml_implicit_resolvers = {}
for _tag, _pattern, _first in (
    ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    ("int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", list("-+0123456789")),
    (
        "float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        list("-+0123456789."),
    ),
):
    EditorReading.add_implicit_resolver(f"tag:yaml.org,2002:{_tag}", re.compile(_pattern), _first)


def _int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int:
    text = str(loader.construct_scalar(node))
    base = {"0o": 8, "0x": 16}.get(text[:2], 10)
    return int(text[2:] if base != 10 else text, base)


EditorReading.add_constructor("tag:yaml.org,2002:int", _int)

# (name, text to find in the scaffold, its replacement, does validate accept the result?)
INJ = '    at: "+1:30"\n'
CASES: list[tuple[str, str, str, bool]] = [
    # accepted edits: the schema must not be stricter than validate
    ("at as whole minutes", INJ, "    at: 90\n", True),
    ("at past a day", INJ, '    at: "+240:00"\n', True),
    ("a zero delay beside at", INJ, INJ + "    delay: 0\n", True),
    ('a "+0:00" delay beside at', INJ, INJ + '    delay: "+0:00"\n', True),
    ("at: null beside when", "option: keep}}\n", "option: keep}}\n    at: ~\n", True),
    ("when: null beside at", INJ, INJ + "    when: null\n", True),
    (
        "phase: null",
        '    phase: investigation\n    title: "Client:',
        '    phase: ~\n    title: "Client:',
        True,
    ),
    ("start with a long day name", '"Wed 09:00"', '"Wednesday 09:00"', True),
    (
        "a derived meter",
        "sources:",
        "  - {id: cost, label: Cost, derived: {from: bad_predictions, factor: 2}}\n\nsources:",
        True,
    ),
    # actions, wherever one is named
    ("expects misspelt", "expects: [acknowledge,", "expects: [acknowlege,", False),
    ("not_done misspelt", "{not_done: contain,", "{not_done: contian,", False),
    ("done misspelt in a rate rule", "{done: contain}", "{done: contan}", False),
    # the story start and ids
    ("start in words", '"Wed 09:00"', '"Wednesday 9am"', False),
    ("start at hour 24", '"Wed 09:00"', '"Wed 24:00"', False),
    ("scenario id with spaces", "id: my-drill\n", "id: Quality Alert\n", False),
    ("inject id with capitals", "- id: quality-alert", "- id: Quality-Alert", False),
    ("phase id with a space", "{id: immediate,", "{id: im mediate,", False),
    ("cause id with capitals", "{id: concept-drift,", "{id: Concept-drift,", False),
    ("option id with a space", "{id: keep, label", "{id: keep it, label", False),
    ("obligation id with a dot", "id: client-sla-notice", "id: client.sla", False),
    # triggers
    ("neither at nor when", '    at: "+0:05"\n', "", False),
    ("both at and when", INJ, INJ + '    when: {after: "+1:00"}\n', False),
    ("delay beside at", INJ, INJ + "    delay: 10\n", False),
    # offsets
    ("unquoted 1:30", INJ, "    at: 1:30\n", False),
    ("offset before the start", INJ, '    at: "-0:10"\n', False),
    ("offset with one minute digit", INJ, '    at: "+1:3"\n', False),
    ("negative minutes", INJ, "    at: -5\n", False),
    ("hours past the longest story", INJ, '    at: "+10000:00"\n', False),
    ("minutes past the longest story", INJ, "    at: 600000\n", False),
    ("the longest story, zero-padded", INJ, '    at: "+009999:59"\n', True),
    ("seven digits of hours", INJ, '    at: "+0000001:00"\n', False),
    ("ends without its plus", 'ends: "+8:00"', 'ends: "8:00"', False),
    ("at in hex", INJ, "    at: 0x10\n", False),
    ("at with a leading zero", INJ, "    at: 010\n", False),
    ("minutes with an underscore", INJ, "    at: 1_000\n", True),
    # types, enums, counts, the derived meter
    (
        "unknown inject field",
        '    title: "Client paused',
        '    titel: x\n    title: "Client paused',
        False,
    ),
    ("channel misspelt", "channel: pager ", "channel: pagr ", False),
    ("unknown role", "to: [on_call]", "to: [oncall]", False),
    ("severity misspelt", "severity: high", "severity: hihg", False),
    ("fix misspelt", "fixes: [pipeline_fix]", "fixes: [pipline_fix]", False),
    (
        "a question with one option",
        "        - {id: keep, label: Keep it running with a warning}\n",
        "",
        False,
    ),
    ("a negative rate without a floor", "rate: 40 ", "rate: -1 ", False),
    ("a negative rate with a floor", "rate: 40 ", "rate: -1\n    min: -100 ", True),
    ("a falling rate rule without a floor", "rate: 0\n", "rate: -2\n", False),
    ("a falling rate rule with a floor", "rate: 0\n", "rate: -2\n    min: -9\n", True),
    ("a floor above the initial value", "rate: 40 ", "rate: -1\n    min: 5 ", False),
    (
        "a derived meter with a rate",
        "sources:",
        "  - {id: cost, label: Cost, rate: 1, derived: {from: bad_predictions, factor: 2}}\n\nsources:",
        False,
    ),
    # cross-references and values compared with each other
    (
        "unknown phase",
        '    phase: immediate\n    title: "Model',
        '    phase: immediat\n    title: "Model',
        False,
    ),
    ("a role not in play", "to: [on_call]", "to: [data_lead]", False),
    ("an unknown option chosen", "option: keep}", "option: kep}", False),
    (
        "an unknown meter in a body",
        '"{bad_predictions} wrong predictions served so far."',
        '"{bad_prediction} so far."',
        False,
    ),
    ("a duplicate inject id", "- id: client-thanks", "- id: client-asks", False),
    (
        "revealed by an unknown source",
        "revealed_by: [model-dashboard]",
        "revealed_by: [model-dashbord]",
        False,
    ),
    (
        "a root cause not among the causes",
        "root_cause: upstream-schema-change",
        "root_cause: upstream-change",
        False,
    ),
    ("a client profile that is not there", "based_on:", "client: nowhere.yaml\nbased_on:", False),
    (
        "an attachment row narrower than its columns",
        "    expects: [remediate_harm",
        "    attachments: [{title: T, columns: [a, b], rows: [[1]]}]\n    expects: [remediate_harm",
        False,
    ),
]

# Every case where the editor and validate disagree, and why a schema cannot close the gap.
REFERENCE = "a cross-reference: needs the rest of the file"
READING = "YAML 1.2 reads this as a number; a schema sees only the value"
ONLY_VALIDATE: dict[str, str] = {
    "unknown phase": REFERENCE,
    "a role not in play": REFERENCE,
    "an unknown option chosen": REFERENCE,
    "an unknown meter in a body": REFERENCE,
    "a duplicate inject id": REFERENCE,
    "unknown role": REFERENCE + " (a scenario declares its own roles)",
    "revealed by an unknown source": REFERENCE,
    "a root cause not among the causes": REFERENCE,
    "a client profile that is not there": "the file system, not the file",
    "an attachment row narrower than its columns": "compares two values of the file",
    "a floor above the initial value": "compares two values of the file",
    "at in hex": READING + " (16)",
    "at with a leading zero": READING + " (10)",
    "minutes with an underscore": "YAML 1.2 reads this as text: the editor is stricter",
}


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(json.loads(schema_text("scenario")))


def _edit(name: str, old: str, new: str) -> str:
    base = scaffold("my-drill")
    assert base.count(old) == 1, f"{name}: {old!r} must occur once in the scaffold"
    return base.replace(old, new)


def _validate_accepts(text: str, tmp_path: Path) -> bool:
    path = tmp_path / "drill.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        load(path)
    except InputError:
        return False
    return True


def _editor_accepts(text: str, validator: jsonschema.Draft7Validator) -> bool:
    data: Any = yaml.load(text, Loader=EditorReading)  # a SafeLoader subclass
    return not list(validator.iter_errors(data))


def test_the_scaffold_itself_passes_both(
    validator: jsonschema.Draft7Validator, tmp_path: Path
) -> None:
    text = scaffold("my-drill")
    assert _validate_accepts(text, tmp_path) and _editor_accepts(text, validator)


def test_the_editor_and_validate_disagree_only_where_a_schema_cannot_see(
    validator: jsonschema.Draft7Validator, tmp_path: Path
) -> None:
    disagree: dict[str, tuple[bool, bool]] = {}
    for name, old, new, valid in CASES:
        text = _edit(name, old, new)
        by_validate = _validate_accepts(text, tmp_path)
        assert by_validate == valid, f"{name}: the corpus expects validate to say {valid}"
        by_editor = _editor_accepts(text, validator)
        if by_editor != by_validate:
            disagree[name] = (by_validate, by_editor)
    assert sorted(disagree) == sorted(ONLY_VALIDATE), {
        n: f"validate {'accepts' if v else 'rejects'}, the schema {'accepts' if e else 'rejects'}"
        for n, (v, e) in disagree.items()
    }


def test_every_pattern_and_enum_speaks_drillbooks_words() -> None:
    # yaml-language-server shows patternErrorMessage/errorMessage instead of a raw regex.
    schema = json.loads(schema_text("scenario"))

    def nodes(n: Any) -> list[dict[str, Any]]:
        if isinstance(n, dict):
            return [n] + [x for v in n.values() for x in nodes(v)]
        return [x for v in n for x in nodes(v)] if isinstance(n, list) else []

    patterns = [n for n in nodes(schema) if "pattern" in n]
    assert len(patterns) > 10
    for n in patterns:
        assert re.match(r"^(not an? |'delay')", n["patternErrorMessage"]), n
    assert schema["$defs"]["Action"]["errorMessage"].startswith("not an action; expected one of:")
    assert not [n for n in nodes(schema) if "default" in n and n["default"] is None]


def test_completion_inside_expects_and_the_whole_inject_completions_are_valid() -> None:
    from drillbook.scenarios.actions import ACTION_NAMES

    schema = json.loads(schema_text("scenario"))
    inject = schema["$defs"]["Inject"]
    assert inject["properties"]["expects"]["items"] == {"$ref": "#/$defs/Action"}
    assert schema["$defs"]["Action"]["enum"] == list(ACTION_NAMES)
    # The editor's whole-object completion fills each alternative's required fields with
    # their first example (or enum value): each must be an inject validate accepts.
    assert "required" not in inject
    injects = jsonschema.Draft7Validator({**schema, "$ref": "#/$defs/Inject"})
    alternatives = inject["allOf"][0]["anyOf"]
    assert [a["title"] for a in alternatives] == [
        "Inject at an offset",
        "Inject when a condition holds",
    ]
    for alt in alternatives:
        filled = {}
        for key in alt["required"]:
            prop = alt["properties"][key]
            items = prop.get("items", {})
            filled[key] = (
                prop.get("examples", [None])[0]
                or prop.get("enum", [None])[0]
                or ([items["enum"][0]] if "enum" in items else None)
                or "x"
            )
        assert set(filled) >= {"id", "to", "channel", "title"}
        assert not list(injects.iter_errors(filled)), (alt["title"], filled)
