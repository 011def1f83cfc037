"""The second sweep: the register's records, simulation documents and received packs.

Each case is an attack that once ended in exit 70 (an OverflowError, a RecursionError
reported without its place), named a scratch folder the reader never saw, or replaced a
file the command had read. The promise is the same as everywhere: one placed line, exit 2,
and every byte already recorded still there.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from corpus import FLAGSHIP_FILE

from drillbook.cli import EXIT_INPUT, main

Run = Callable[..., tuple[int, str, str]]  # the ``cli`` fixture (conftest.py)


def _one_line(code: int, err: str) -> str:
    lines = err.strip().splitlines()
    assert code == EXIT_INPUT and len(lines) == 1, (code, err)
    assert "internal error" not in err and "nested too deeply" not in err
    return lines[0]


@pytest.fixture
def register(cli: Run, journal: Path, tmp_path: Path) -> Path:
    db = tmp_path / "register.db"
    code, _, err = cli("register", "--db", db, "add", journal)
    assert code == 0, err
    return db


# -- the register ----------------------------------------------------------------------------


@pytest.mark.parametrize("verb", [("close",), ("plan-change",)])
@pytest.mark.parametrize("item", [str(10**25), str(-(10**25)), str(2**63)])
def test_an_item_id_beyond_an_sqlite_integer_is_no_such_item(
    cli: Run, register: Path, verb: tuple[str, ...], item: str
) -> None:
    line = _one_line(*cli("register", "--db", register, "item", *verb, item)[::2])
    assert line.startswith(f"drillbook: {register}: no improvement item {item};")


def test_items_exported_onto_the_register_never_replace_it(cli: Run, register: Path) -> None:
    before = register.read_bytes()
    for fmt in ("csv", "json"):
        code, _, err = cli("register", "--db", register, "items", "--format", fmt, "-o", register)
        assert "an input of this command" in _one_line(code, err)
        code, _, err = cli(
            "register", "--db", register, "items", "--format", fmt, "-o", register, "--force"
        )
        assert "never overwritten, even with --force" in _one_line(code, err)
    assert register.read_bytes() == before
    assert cli("register", "--db", register, "list")[0] == 0


def _simulation(**changes: object) -> dict:
    """The smallest document `drillbook simulate --json` writes that the register reads."""
    doc: dict = {
        "scenario": "airline-pricing-0347",
        "title": "3:47 AM",
        "seed": 7,
        "team": {"id": "article-agency", "title": "The agency"},
        "loss_label": "",
        "summary": {
            "runs": 3,
            "ratings": {"P": 0.0, "S": 0.5, "M": 0.5, "U": 0.0},
            "readiness": {"median": 50.0, "p5": 40.0, "p95": 60.0},
            "meters": {},
        },
    }
    for where, value in changes.items():
        node = doc
        *parents, last = where.split("__")
        for key in parents:
            node = node[key]
        node[last] = value
    return doc


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("seed", 2**63, "seed: expected a whole number from"),
        ("seed", 10**400, "seed: expected a whole number from"),
        ("seed", -(2**63) - 1, "seed: expected a whole number from"),
        ("seed", 1.5, "seed: expected a whole number ("),
        ("summary__runs", 10**400, "summary.runs: expected a whole number from 1 to"),
        ("summary__readiness__median", 10**400, "median: expected a number from 0 to 100"),
        ("summary__ratings__P", -(10**400), "summary.ratings.P: expected a number from 0 to 1"),
    ],
)
def test_simulation_numbers_beyond_range_are_placed(
    cli: Run, tmp_path: Path, field: str, value: object, says: str
) -> None:
    doc = tmp_path / "sim.json"
    doc.write_text(json.dumps(_simulation(**{field: value})), encoding="utf-8")
    db = tmp_path / "sim.db"
    line = _one_line(*cli("register", "--db", db, "add-simulation", doc)[::2])
    assert line.startswith(f"drillbook: {doc}: ") and says in line


def test_a_seed_of_nineteen_digits_is_kept_exactly(cli: Run, tmp_path: Path) -> None:
    doc = tmp_path / "sim.json"
    doc.write_text(json.dumps(_simulation(seed=2**63 - 1)), encoding="utf-8")
    db = tmp_path / "sim.db"
    code, _, err = cli("register", "--db", db, "add-simulation", doc)
    assert code == 0, err
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT seed FROM simulations").fetchone()[0] == 2**63 - 1


# -- packs -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def packed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, bytes]]:
    """A real pack of the flagship, as name -> (kind, bytes)."""
    path = tmp_path_factory.mktemp("pack") / "flagship.zip"
    assert main(["pack", str(FLAGSHIP_FILE), "-o", str(path)]) == 0
    with zipfile.ZipFile(path) as z:
        manifest = json.loads(z.read("drillbook-pack.json"))
        return {f["name"]: (f["kind"], z.read(f["name"])) for f in manifest["files"]}


def _zip(path: Path, members: dict[str, tuple[str, bytes]]) -> Path:
    files = [
        {"name": n, "kind": k, "sha256": hashlib.sha256(b).hexdigest()}
        for n, (k, b) in members.items()
    ]
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("drillbook-pack.json", json.dumps({"format": 1, "files": files}))
        for name, (_, body) in members.items():
            z.writestr(name, body)
    return path


def _scenario_only(packed: dict[str, tuple[str, bytes]]) -> dict[str, tuple[str, bytes]]:
    return {n: kb for n, kb in packed.items() if kb[0] == "scenario"}


@pytest.mark.parametrize(
    ("extra", "member", "says"),
    [
        ({"x": "a", "x/y.yaml": "b"}, "x", "is both a file and a folder in the zip"),
        ({"t/\x1b]0;PWNED\x07.yaml": "a"}, "t/␛]0;PWNED␇.yaml", "a control character"),
        ({"t/\u202elmay.sh": "a"}, "t/‹U+202E›lmay.sh", "a control character in its name"),
        ({"/".join(["d"] * 2000) + "/x.yaml": "a"}, None, "is 2001 folders deep"),
        ({"t/" + "a" * 300 + ".yaml": "a"}, None, "has a name longer than 255 bytes"),
    ],
)
def test_a_member_name_that_cannot_be_unpacked_is_refused_in_the_pack(
    cli: Run,
    tmp_path: Path,
    packed: dict[str, tuple[str, bytes]],
    extra: dict[str, str],
    member: str | None,
    says: str,
) -> None:
    members = _scenario_only(packed) | {n: ("transcript", b.encode()) for n, b in extra.items()}
    pack = _zip(tmp_path / "hostile.zip", members)
    target = tmp_path / "into"
    line = _one_line(*cli("unpack", pack, "-d", target)[::2])
    assert line.startswith(f"drillbook: {pack}!{member or ''}") and says in line, line
    assert not target.exists()  # refused before anything is written


def test_a_packed_schema_nested_too_deep_is_not_json(
    cli: Run, tmp_path: Path, packed: dict[str, tuple[str, bytes]]
) -> None:
    members = _scenario_only(packed) | {"scenario.schema.json": ("schema", b"[" * 100_000)}
    pack = _zip(tmp_path / "deep.zip", members)
    line = _one_line(*cli("unpack", pack, "-d", tmp_path / "into")[::2])
    assert line == f"drillbook: {pack}!scenario.schema.json: is not JSON"
    assert not (tmp_path / "crashes").exists()


def test_a_pack_is_never_written_over_the_plan_or_client_it_packs(cli: Run, tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_bytes((FLAGSHIP_FILE.parents[1] / "plans" / "default.yaml").read_bytes())
    clients = tmp_path / "clients"
    clients.mkdir()
    [name] = [ln for ln in FLAGSHIP_FILE.read_text().splitlines() if ln.startswith("client: ")]
    client = clients / Path(name.split(": ", 1)[1].strip()).name
    client.write_bytes((FLAGSHIP_FILE.parent / "clients" / client.name).read_bytes())
    scenario = tmp_path / FLAGSHIP_FILE.name
    scenario.write_text(
        FLAGSHIP_FILE.read_text().replace(name, f"client: clients/{client.name}"),
        encoding="utf-8",
    )
    kept = {p: p.read_bytes() for p in (plan, client)}
    for target in (plan, client):
        code, _, err = cli("pack", scenario, "--plan", plan, "-o", target, "--force")
        assert "an input of this command" in _one_line(code, err)
    assert all(p.read_bytes() == data for p, data in kept.items())


def test_a_journal_swapped_for_a_fifo_after_reading_is_refused(
    cli: Run, journal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The report reads the journal, then its bytes again for the digest it states: a FIFO
    put there meanwhile was waited on for ever."""
    import os

    from drillbook.reports import exercise

    copy = tmp_path / "run.jsonl"
    copy.write_bytes(journal.read_bytes())
    read = exercise.read_journal

    def read_then_swap(path: str | Path, **kw: bool) -> object:
        jf = read(path, **kw)
        copy.unlink()
        os.mkfifo(copy)
        return jf

    monkeypatch.setattr(exercise, "read_journal", read_then_swap)
    code, _, err = cli("report", copy, "-f", "md", "-o", tmp_path / "r.md")
    assert _one_line(code, err) == f"drillbook: {copy}: is a FIFO (named pipe); expected a file"
