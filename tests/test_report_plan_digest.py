"""A report reads its plan's digest without the YAML parser (issue 14: report start-up).

``reports.exercise.plan_digest`` must give what ``simulator.planref.plan_ref`` gives for the
same file, since the report compares it with the digest the journal's header recorded; and a
report whose scenario, plan and client were read before then imports no PyYAML at all.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from drillbook.reports.exercise import plan_digest
from drillbook.scoring.plan import DEFAULT_PLAN_PATH
from drillbook.simulator.planref import plan_ref


def test_the_digest_is_plan_refs_for_the_bundled_plan_a_named_one_and_a_missing_one(
    tmp_path: Path,
) -> None:
    named = tmp_path / "plan.yaml"
    named.write_bytes(DEFAULT_PLAN_PATH.read_bytes() + b"# edited\n")
    assert plan_digest(None) == plan_ref(None)["plan_digest"]
    assert plan_digest(named) == plan_ref(named)["plan_digest"] != plan_digest(None)
    assert (
        plan_digest(tmp_path / "gone.yaml") == ""
        and plan_ref(tmp_path / "gone.yaml")["plan_digest"] is None
    )


PROBE = """
import contextlib, io, json, sys
from drillbook.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    code = main(sys.argv[1:])
print(json.dumps({"code": code, "yaml": "yaml" in sys.modules}))
"""


def test_a_report_of_files_read_before_imports_no_pyyaml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    journal = tmp_path / "run.jsonl"
    subprocess.run(
        [sys.executable, "-m", "drillbook", "run", "-j", str(journal)],
        check=True,
        capture_output=True,
    )
    report = ["report", str(journal), "-f", "json", "-o", str(tmp_path / "r.json")]
    seen = []
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-c", PROBE, *report], capture_output=True, text=True, check=True
        )
        seen.append(json.loads(done.stdout.splitlines()[-1]))
    assert [s["code"] for s in seen] == [0, 0]
    assert seen[1]["yaml"] is False  # the second: everything recalled, nothing composed
