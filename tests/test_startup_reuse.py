"""What ``run`` recalls between processes instead of reading YAML (issue 14: start-up).

A transcript loaded with ``reuse`` and the plan's id and version in a journal header come
from :mod:`formats.validcache` when their bytes were read cleanly before. They must be what
reading the file gives, for every bundled transcript; a bad file is never kept, so it is
refused with its placed problem every time; and a second ``run`` then imports no PyYAML.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from drillbook.formats.yamlsource import InputError
from drillbook.scenarios.library import TRANSCRIPTS_DIR
from drillbook.scenarios.transcript import load_transcript
from drillbook.simulator import planref

BUNDLED = sorted(TRANSCRIPTS_DIR.glob("*.yaml"))


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def _same(a: object, b: object) -> None:
    assert a == b
    assert [d.model_dump_json() for d in a.decisions] == [  # type: ignore[attr-defined]
        d.model_dump_json()
        for d in b.decisions  # type: ignore[attr-defined]
    ]
    assert repr(a.records) == repr(b.records)  # type: ignore[attr-defined]
    assert a.document.positions._tables() == b.document.positions._tables()  # type: ignore[attr-defined]


def test_every_bundled_transcript_recalled_is_the_transcript_read() -> None:
    assert len(BUNDLED) > 10
    for path in BUNDLED:
        fresh = load_transcript(path)
        load_transcript(path, reuse=True)  # kept
        recalled = load_transcript(path, reuse=True)
        assert recalled is not fresh
        _same(recalled, fresh)


def test_a_bad_transcript_is_refused_with_its_place_every_time(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "scenario: x\nactions:\n  - at: '+0:10'\n    role: incident_commander\n    action: fly\n"
    )
    for _ in range(2):
        with pytest.raises(InputError) as caught:
            load_transcript(bad, reuse=True)
        assert str(caught.value).startswith(f"{bad}:5:")


def test_the_plan_id_and_version_recalled_are_those_read(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text("id: mine\nversion: 3\nname: x\n")
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: [unclosed\n")
    cold = planref.plan_ref(plan)
    planref._SEEN.clear()  # as a new process would start
    assert planref.plan_ref(plan) == cold and cold["plan_id"] == "mine"
    assert cold["plan_version"] == "3"
    for _ in range(2):
        planref._SEEN.clear()
        assert planref.plan_ref(broken) == {
            "plan_id": None,
            "plan_version": None,
            "plan_digest": None,
        }


PROBE = """
import contextlib, io, json, sys
from drillbook.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    code = main(sys.argv[1:])
print(json.dumps({"code": code, "yaml": "yaml" in sys.modules}))
"""


def test_a_second_run_imports_no_pyyaml(tmp_path: Path) -> None:
    seen = []
    for i in range(2):
        done = subprocess.run(
            [sys.executable, "-c", PROBE, "run", "-j", str(tmp_path / f"{i}.jsonl")],
            capture_output=True,
            text=True,
            check=True,
        )
        seen.append(json.loads(done.stdout.splitlines()[-1]))
    assert seen == [{"code": 0, "yaml": True}, {"code": 0, "yaml": False}]
