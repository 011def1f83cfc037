"""A bounded fuzz of the journal reader and of resuming: whatever bytes a journal holds —
truncated, bit-flipped, spliced, re-ordered — reading ends in a JournalFile or one placed
line (never a traceback), and a journal that reads can always be appended to and read again."""

from __future__ import annotations

import tempfile
from pathlib import Path

from drillbook.formats.yamlsource import InputError
from drillbook.simulator.journal import Journal, read_journal
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

EVENTS = [
    {
        "seq": 0,
        "type": "run_started",
        "sim": 0.0,
        "scenario": "mini",
        "title": "Mini [/i]\x1b]0;x\x07",
    },
    {"seq": 1, "type": "clock", "sim": 0.0, "verb": "start", "speed": 60},
    {"seq": 2, "type": "action_taken", "sim": 6.5, "role": "on_call", "action": "acknowledge"},
    {"seq": 3, "type": "lesson", "sim": 9.0, "capability": "c", "text": "ünï\ncode\u202e"},
    {"seq": 4, "type": "run_ended", "sim": 12.0, "reason": "end of play", "meters": {}},
]


def pristine(path: Path) -> bytes:
    with Journal(path, wall=lambda: "2024-01-01T00:00:00.000Z", new_run_id=lambda: "r") as j:
        for e in EVENTS:
            j.write(e)
    return path.read_bytes()


mutation = st.one_of(
    st.tuples(st.just("truncate"), st.integers(min_value=0, max_value=2000)),
    st.tuples(st.just("flip"), st.integers(min_value=0, max_value=2000), st.integers(1, 255)),
    st.tuples(st.just("insert"), st.integers(min_value=0, max_value=2000), st.binary(max_size=40)),
    st.tuples(st.just("drop_line"), st.integers(min_value=0, max_value=6)),
    st.tuples(st.just("swap_lines"), st.integers(0, 6), st.integers(0, 6)),
)


def mutate(data: bytes, ops: list[tuple]) -> bytes:
    for op in ops:
        kind = op[0]
        if kind == "truncate":
            data = data[: op[1] % (len(data) + 1)]
        elif kind == "flip" and data:
            i = op[1] % len(data)
            data = data[:i] + bytes([data[i] ^ op[2]]) + data[i + 1 :]
        elif kind == "insert":
            i = op[1] % (len(data) + 1)
            data = data[:i] + op[2] + data[i:]
        elif kind == "drop_line":
            lines = data.split(b"\n")
            if lines:
                del lines[op[1] % len(lines)]
            data = b"\n".join(lines)
        elif kind == "swap_lines":
            lines = data.split(b"\n")
            if lines:
                a, b = op[1] % len(lines), op[2] % len(lines)
                lines[a], lines[b] = lines[b], lines[a]
            data = b"\n".join(lines)
    return data


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(mutation, min_size=1, max_size=4))
def test_any_damaged_journal_reads_or_is_one_placed_line(ops: list[tuple]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "j.jsonl"
        original = pristine(path)
        damaged = mutate(original, ops)
        path.write_bytes(damaged)
        try:
            jf = read_journal(path)
        except InputError as exc:
            assert len(exc.problems) == 1
            assert "\n" not in str(exc) and str(exc).startswith(str(path))
            return
        if damaged != original:  # whatever still reads is a prefix of what was written
            assert jf.events == read_journal_of(original, tmp)[: len(jf.events)]
        if jf.ended:
            return
        with Journal(path, append=True) as j:  # resume: the chain goes on from what is there
            j.write({"seq": 99, "type": "note", "sim": 99.0})
        again = read_journal(path)
        assert again.events[:-1] == jf.events and again.events[-1]["seq"] == 99


def read_journal_of(data: bytes, tmp: str) -> list[dict]:
    p = Path(tmp) / "orig.jsonl"
    p.write_bytes(data)
    return read_journal(p).events


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_are_a_journal_or_one_placed_line(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "j.jsonl"
        path.write_bytes(data)
        try:
            read_journal(path)
        except InputError as exc:
            assert len(exc.problems) == 1 and "\n" not in str(exc)
