"""A host killed with SIGKILL and resumed from its journal: the same codes come back, the seat
reconnects by itself, a decision sent while the host was down is recorded once, and the
journal is the one source of truth."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from drillbook.net.remote import RemoteSession
from drillbook.simulator.commands import Decide
from drillbook.simulator.journal import read_journal
from drillbook.simulator.session import visible_to

SEAT_LINE = re.compile(r"^\s+(\S+)\s+(\S+)$")


def start_host(
    *args: str, env: dict[str, str] | None = None
) -> tuple[subprocess.Popen[str], int, dict[str, str]]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "drillbook", "host", "--headless", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    first = proc.stdout.readline()
    match = re.search(r"ws://127\.0\.0\.1:(\d+)", first)
    assert match, first + (proc.stderr.read() if proc.stderr else "")
    codes = {}
    while len(codes) < 7:  # the facilitator and the flagship's six roles
        seat, code = SEAT_LINE.match(proc.stdout.readline()).groups()  # type: ignore[union-attr]
        codes[seat] = code
    return proc, int(match.group(1)), codes


def test_kill_9_and_resume_bring_the_same_seats_back(tmp_path: Path) -> None:
    journal, codes_file = tmp_path / "run.jsonl", tmp_path / "codes.json"
    proc, port, codes = start_host(
        "--port",
        "0",
        "--autostart",
        "--speed",
        "60",
        "-j",
        str(journal),
        "--codes",
        str(codes_file),
    )
    assert json.loads(codes_file.read_text()) == codes
    assert codes_file.stat().st_mode & 0o777 == 0o600
    remote = RemoteSession(f"ws://127.0.0.1:{port}", codes["on_call"], ack_seconds=20).connect()
    try:
        first = remote.apply(Decide.of("on_call", {"action": "acknowledge"}))
        assert first is not None
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        before = read_journal(journal).events

        answers: list = []
        sending = threading.Thread(
            target=lambda: answers.append(
                remote.apply(
                    Decide.of("on_call", {"action": "investigate", "source": "model-output-sample"})
                )
            )
        )
        sending.start()  # sent into the void: the host is down
        proc, port2, codes2 = start_host("--resume", str(journal), "--port", str(port))
        assert (port2, codes2) == (port, codes)
        sending.join(20)
        assert answers and answers[0]["action"] == "investigate"
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            remote.tick()
            if remote.history()[-1]["seq"] >= answers[0]["seq"]:
                break
            time.sleep(0.01)
        after = read_journal(journal).events
        assert after[: len(before)] == before  # nothing recorded was lost or rewritten
        decisions = [e for e in after if e["type"] == "action_taken"]
        assert [d["action"] for d in decisions] == ["acknowledge", "investigate"]
        seen = [e["seq"] for e in after if visible_to(e, "on_call")]
        assert [e["seq"] for e in remote.history()] == seen  # all it may see, each once
        assert remote.reconnects >= 1
    finally:
        remote.close()
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGTERM)
            proc.wait(10)


def test_the_facilitator_ends_play_from_a_seat_and_the_host_writes_the_report(
    tmp_path: Path,
) -> None:
    journal = tmp_path / "run.jsonl"
    env = {**os.environ, "DRILLBOOK_DB": str(tmp_path / "register.db")}
    proc, port, codes = start_host("--port", "0", "-j", str(journal), env=env)
    remote = RemoteSession(f"ws://127.0.0.1:{port}", codes["facilitator"]).connect()
    try:
        ended = remote.end("end of play")
        assert ended is not None and ended["type"] == "run_ended"
        out, _ = proc.communicate(timeout=60)
    finally:
        remote.close()
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0
    assert "Report:" in out and f"Journal: {journal}" in out
    assert read_journal(journal).ended
