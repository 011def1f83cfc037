"""The plan a run names in its header: read from the file's first events, as a full load reads
it (issue 14: the whole plan was parsed for every run's header)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
import yaml
from drillbook.simulator.planref import default_plan_file, plan_ref


def full_load_ref(raw: bytes) -> dict[str, object]:
    """What the header said when the whole file was loaded."""
    data = yaml.safe_load(raw)
    data = data if isinstance(data, dict) else {}
    version = data.get("version")
    return {
        "plan_id": str(data["id"]) if data.get("id") is not None else None,
        "plan_version": "" if version is None else str(version),
        "plan_digest": hashlib.sha256(raw).hexdigest(),
    }


@pytest.mark.parametrize(
    "text",
    [
        "id: default\nversion: '1'\nrules: []\n",
        "title: x\nid: p1\nversion: 1.10\n",
        "version: 0x10\nnotes: {a: [1, {b: 2}]}\nid: true\n",
        "'id': 7\n\"version\": null\n",
        "x: &a 1\nid: *a\n",  # an alias: loaded whole
        "<<: {id: merged}\nversion: 2\n",  # a merge key: loaded whole
        "id: [1, 2]\nversion: 3\n",  # a collection: str() of it, as before
        "rules:\n  - id: not-this-one\nid: this-one\n",
        "- a list\n",
        "",
    ],
)
def test_the_header_says_what_a_full_load_says(tmp_path: Path, text: str) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(text, encoding="utf-8")
    assert plan_ref(plan) == full_load_ref(plan.read_bytes())


def test_the_bundled_plan_and_an_unreadable_one(tmp_path: Path) -> None:
    assert plan_ref(None) == full_load_ref(default_plan_file().read_bytes())
    assert plan_ref(tmp_path / "missing.yaml") == dict.fromkeys(
        ("plan_id", "plan_version", "plan_digest")
    )


def test_an_edited_plan_is_read_again(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text("id: first\nversion: 1\n", encoding="utf-8")
    before = plan_ref(plan)
    plan.write_text("id: second\nversion: 22\n", encoding="utf-8")
    stat = plan.stat()
    os.utime(plan, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # even with the mtime kept
    after = plan_ref(plan)
    assert (before["plan_id"], after["plan_id"]) == ("first", "second")
    assert after == full_load_ref(plan.read_bytes())
