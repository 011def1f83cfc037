"""``drillbook pack`` / ``unpack``: byte-for-byte for every bundled scenario; a hostile zip
ends in one placed line and writes nothing (issue 16, 9)."""

from __future__ import annotations

import hashlib
import io
import json
import os
import stat
import zipfile
from pathlib import Path

import pytest
from drillbook.authoring.pack import MANIFEST
from drillbook.scenarios import library
from drillbook.scenarios.loader import load
from drillbook.scoring.plan import DEFAULT_PLAN_PATH

BUNDLED = library.bundled()


def _sources(scenario: Path) -> dict[str, Path]:
    """The files a pack of a bundled scenario must hold, by their name inside it."""
    out = {scenario.name: scenario, "plans/default.yaml": DEFAULT_PLAN_PATH}
    out["scenario.schema.json"] = library.LIBRARY_DIR / "scenario.schema.json"
    out |= {f"transcripts/{t.name}": t for t in library.TRANSCRIPTS_DIR.glob(f"{scenario.stem}.*")}
    client = library.client_path(scenario, load(scenario).scenario.client or "")
    if client:
        out[f"clients/{client.name}"] = client
    return out


@pytest.mark.parametrize("scenario", BUNDLED, ids=[p.stem for p in BUNDLED])
def test_pack_then_unpack_reproduces_the_files_byte_for_byte(cli, tmp_path, scenario):
    zipped = tmp_path / "x.zip"
    assert cli("pack", scenario, "-o", zipped)[0] == 0
    code, out, err = cli("unpack", zipped, "-d", tmp_path / "got")
    assert (code, err) == (0, ""), err
    expected = _sources(scenario)
    got = {
        p.relative_to(tmp_path / "got").as_posix(): p
        for p in (tmp_path / "got").rglob("*")
        if p.is_file()
    }
    assert sorted(got) == sorted(expected)
    for name, source in expected.items():
        assert got[name].read_bytes() == source.read_bytes(), name
    assert f"drillbook run {tmp_path / 'got' / scenario.name} -t " in out


def test_two_packs_of_the_same_files_are_the_same_bytes(cli, tmp_path):
    for name in ("a.zip", "b.zip"):
        assert cli("pack", library.FLAGSHIP, "-o", tmp_path / name)[0] == 0
    assert (tmp_path / "a.zip").read_bytes() == (tmp_path / "b.zip").read_bytes()


def test_a_copied_scenario_naming_its_client_by_id_packs_and_unpacks(cli, tmp_path):
    src = library.resolve(library.FLAGSHIP).read_text(encoding="utf-8")
    mine = tmp_path / "mine.yaml"
    mine.write_text(src.replace("clients/skylark-regional.yaml", "skylark-regional"), "utf-8")
    assert cli("pack", mine, "-o", tmp_path / "m.zip")[0] == 0
    assert cli("unpack", tmp_path / "m.zip", "-d", tmp_path / "got")[0] == 0
    assert (tmp_path / "got" / "clients" / "skylark-regional.yaml").is_file()
    assert cli("validate", tmp_path / "got" / "mine.yaml")[0] == 0


def _flagship_members(tmp_path: Path) -> dict[str, bytes]:
    return {name: p.read_bytes() for name, p in _sources(library.resolve(library.FLAGSHIP)).items()}


def _pack(
    members: dict[str, bytes], *, modes: dict[str, int] | None = None, manifest=None
) -> bytes:
    files = [
        {"name": n, "kind": _kind(n), "sha256": hashlib.sha256(d).hexdigest()}
        for n, d in members.items()
    ]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(MANIFEST, json.dumps(manifest or {"format": 1, "files": files}))
        for name, data in members.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = ((modes or {}).get(name, stat.S_IFREG | 0o644)) << 16
            z.writestr(info, data)
    return buf.getvalue()


def _kind(name: str) -> str:
    top = name.split("/")[0]
    return {"clients": "client", "plans": "plan", "transcripts": "transcript"}.get(
        top, "schema" if name.endswith(".json") else "scenario"
    )


def _hostile(tmp_path: Path, case: str) -> bytes:
    m = _flagship_members(tmp_path)
    if case == "escape":
        return _pack(m | {"../evil.yaml": b"x"})
    if case == "absolute":
        return _pack(m | {"/tmp/evil.yaml": b"x"})
    if case == "backslash":
        return _pack(m | {"..\\evil.yaml": b"x"})
    if case == "symlink":
        return _pack(
            m | {"transcripts/link": b"/etc/passwd"},
            modes={"transcripts/link": stat.S_IFLNK | 0o777},
        )
    if case == "unlisted":
        raw = _pack(m)
        buf = io.BytesIO(raw)
        with zipfile.ZipFile(buf, "a") as z:
            z.writestr("extra.yaml", b"x")
        return buf.getvalue()
    if case == "altered":
        files = [{"name": n, "kind": _kind(n), "sha256": "0" * 64} for n in m]
        return _pack(m, manifest={"format": 1, "files": files})
    if case == "bomb":
        return _pack(m | {"transcripts/bomb.yaml": b"\0" * 3_000_000})
    if case == "bad-scenario":
        name = f"{library.FLAGSHIP}.yaml"
        return _pack(m | {name: m[name].replace(b"channel: pager", b"channel: fax", 1)})
    if case == "client-outside":
        name = f"{library.FLAGSHIP}.yaml"
        escaped = b"client: ../../../../../../../../etc/passwd"
        return _pack(m | {name: m[name].replace(b"client: clients/skylark-regional.yaml", escaped)})
    if case == "not-a-zip":
        return b"PK\x03\x04 but not really"
    raise AssertionError(case)


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("escape", "!../evil.yaml: climbs out of the pack's folder"),
        ("absolute", "!/tmp/evil.yaml: is not a plain relative path"),
        ("backslash", "is not a plain relative path"),
        ("symlink", "!transcripts/link: is a symbolic link"),
        ("unlisted", "!extra.yaml: is not listed in drillbook-pack.json"),
        ("altered", "does not match its digest"),
        ("bomb", "!transcripts/bomb.yaml: unpacks beyond the limit (1,000,000 bytes a file"),
        ("bad-scenario", f"!{library.FLAGSHIP}.yaml:"),
        ("not-a-zip", "not a zip file"),
        ("client-outside", "is outside the pack; expected one packed beside the scenario"),
    ],
)
def test_a_hostile_zip_ends_in_one_line_and_writes_nothing(
    cli, tmp_path, monkeypatch, case, expected
):
    monkeypatch.setenv("DRILLBOOK_MAX_FILE_BYTES", "1000000")
    zipped = tmp_path / "hostile.zip"
    zipped.write_bytes(_hostile(tmp_path, case))
    code, out, err = cli("unpack", zipped, "-d", tmp_path / "got")
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1, err
    assert err.startswith(f"drillbook: {zipped}") and expected in err, err
    assert not (tmp_path / "got").exists()
    assert not (tmp_path / "evil.yaml").exists()


def test_unpack_never_replaces_a_file_unasked_nor_writes_through_a_link(cli, tmp_path):
    zipped = tmp_path / "x.zip"
    assert cli("pack", library.FLAGSHIP, "-o", zipped)[0] == 0
    got = tmp_path / "got"
    got.mkdir()
    (got / f"{library.FLAGSHIP}.yaml").write_text("mine", encoding="utf-8")
    code, _, err = cli("unpack", zipped, "-d", got)
    assert code == 2 and "already exists; unpack elsewhere or pass --force" in err
    assert (got / f"{library.FLAGSHIP}.yaml").read_text(encoding="utf-8") == "mine"
    outside = tmp_path / "outside"
    outside.mkdir()
    os.symlink(outside, got / "clients")
    code, _, err = cli("unpack", zipped, "-d", got, "--force")
    assert code == 2 and "leads outside the target folder" in err
    assert list(outside.iterdir()) == []
