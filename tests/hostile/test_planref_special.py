"""The plan named in a run's header is read again for its digest: a FIFO or a folder put
there after the plan was checked is unreadable, never waited on (``open`` of a FIFO blocks
until a writer comes)."""

from __future__ import annotations

import os
from pathlib import Path

from drillbook.simulator.planref import plan_ref

UNREADABLE = {"plan_id": None, "plan_version": None, "plan_digest": None}


def test_a_plan_that_is_a_fifo_or_a_folder_has_no_reference(tmp_path: Path) -> None:
    fifo = tmp_path / "plan.yaml"
    os.mkfifo(fifo)
    folder = tmp_path / "folder.yaml"
    folder.mkdir()
    assert plan_ref(fifo) == UNREADABLE
    assert plan_ref(folder) == UNREADABLE
