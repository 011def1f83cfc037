"""The journal file: one flushed line per event, never overwritten unasked, a torn tail tolerated."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from drillbook.formats.yamlsource import InputError
from drillbook.simulator.journal import (
    Journal,
    JournalExists,
    read_journal,
    story_events,
    without_wall,
)

HEADER = {"seq": 0, "type": "run_started", "sim": 0.0, "scenario": "mini"}


def fixed_wall() -> str:
    return "2024-01-01T00:00:00.000Z"


def test_each_event_is_one_line_on_disk_as_soon_as_it_is_written(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    journal = Journal(path, wall=fixed_wall, new_run_id=lambda: "r1")
    journal.write(HEADER)
    # no close(): a process killed now must already have the line on disk
    body = (
        '{"seq":0,"type":"run_started","sim":0.0,"scenario":"mini",'
        '"wall":"2024-01-01T00:00:00.000Z","run_id":"r1","chain":"sha256"}'
    )
    digest = hashlib.sha256(body.encode()).hexdigest()  # the first line follows nothing
    assert path.read_text(encoding="utf-8") == body[:-1] + f',"hash":"{digest}"}}\n'

    journal.write({"seq": 1, "type": "note", "sim": 2.5, "text": "ünïcode\nand a newline"})
    lines = path.read_text(encoding="utf-8").split("\n")
    assert len(lines) == 3 and lines[2] == ""
    assert json.loads(lines[1])["text"] == "ünïcode\nand a newline"
    # each line's hash runs on from the one before: sha256(previous hash + its own bytes)
    second = json.loads(lines[1])
    body = lines[1][: lines[1].index(',"hash":')] + "}"
    assert second["hash"] == hashlib.sha256((digest + body).encode()).hexdigest()
    journal.close()
    journal.close()  # closing twice is harmless
    with pytest.raises(RuntimeError, match="journal is closed"):
        journal.write(HEADER)


def test_wall_time_is_kept_apart_from_sim_time(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    with Journal(path, wall=fixed_wall) as journal:
        journal.write(HEADER)
        journal.write({"seq": 1, "type": "clock", "sim": 0.0, "verb": "start", "speed": 1})
        journal.write({"seq": 2, "type": "note", "sim": 3.0})
    events = read_journal(path).events
    assert all(e["wall"] == fixed_wall() for e in events)
    # replay compares everything but the wall clock; the story leaves the clock out too
    assert without_wall(events) == [
        HEADER,
        {"seq": 1, "type": "clock", "sim": 0.0, "verb": "start", "speed": 1},
        {"seq": 2, "type": "note", "sim": 3.0},
    ]
    assert story_events(events) == [HEADER, {"seq": 2, "type": "note", "sim": 3.0}]


def test_a_journal_that_holds_events_is_never_overwritten_unasked(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    path.write_text(json.dumps(HEADER) + "\n", encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(JournalExists) as info:
        Journal(path)
    assert str(info.value).startswith(f"{path}: journal already holds events;")
    assert "--force" in str(info.value)
    assert path.read_bytes() == before
    Journal(path, overwrite=True).close()  # asked, but no new run began: the old one stays
    assert path.read_bytes() == before
    with Journal(path, overwrite=True) as journal:  # asked, and a new run began: replaced
        journal.write({**HEADER, "scenario": "other"})
    assert read_journal(path).started["scenario"] == "other"
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left beside it


def test_an_empty_file_and_a_new_folder_are_fine(tmp_path: Path) -> None:
    (tmp_path / "empty.jsonl").touch()
    Journal(tmp_path / "empty.jsonl").close()
    with Journal(tmp_path / "new" / "dir" / "j.jsonl") as journal:
        journal.write(HEADER)
    assert read_journal(tmp_path / "new" / "dir" / "j.jsonl").events[0]["type"] == "run_started"


def test_a_torn_last_line_is_left_out_on_reading(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    path.write_text(json.dumps(HEADER) + '\n{"seq":1,"type":"no', encoding="utf-8")
    jf = read_journal(path)
    assert jf.torn_tail is True
    assert jf.events == [HEADER]
    assert jf.ended is False


def test_append_cuts_the_torn_line_before_writing(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    path.write_text(json.dumps(HEADER) + '\n{"seq":1,"type":"no', encoding="utf-8")
    with Journal(path, append=True, wall=fixed_wall) as journal:
        journal.write({"seq": 1, "type": "note", "sim": 1.0})
    jf = read_journal(path)
    assert jf.torn_tail is False
    assert [e["seq"] for e in jf.events] == [0, 1]


def test_a_broken_line_in_the_middle_is_placed(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    path.write_text(json.dumps(HEADER) + "\n{oops\n" + json.dumps(HEADER) + "\n")
    with pytest.raises(InputError) as info:
        read_journal(path)
    assert str(info.value) == (
        f"{path}:2:2: not a journal event (Expecting property name enclosed in double quotes); "
        "expected one JSON object per line"
    )
    path.write_text(json.dumps(HEADER) + "\n[1, 2]\n")
    with pytest.raises(InputError) as info:
        read_journal(path)
    assert str(info.value) == (
        f"{path}:2:1: not a journal event; expected an object with 'type' and 'sim'"
    )


def test_what_is_not_a_journal(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    path.write_text('{"type":"note","sim":0}\n')
    with pytest.raises(InputError, match="not a drillbook journal; expected a 'run_started'"):
        read_journal(path)
    path.write_text("")
    with pytest.raises(InputError, match="not a drillbook journal"):
        read_journal(path)
    with pytest.raises(InputError, match="no such journal file"):
        read_journal(tmp_path / "gone.jsonl")
    with pytest.raises(InputError, match="is a directory; expected a journal"):
        read_journal(tmp_path)


def test_a_journal_that_cannot_be_written_is_one_clear_problem(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        Journal(tmp_path, overwrite=True)
    assert str(info.value) == f"{tmp_path}: is a directory; expected a journal file (.jsonl)"
    a_file = tmp_path / "a-file"
    a_file.write_text("")
    with pytest.raises(InputError) as info:
        Journal(a_file / "j.jsonl")
    assert str(info.value) == f"{a_file / 'j.jsonl'}: cannot write the journal: Not a directory"
