"""An exercise as one zip: the scenario with its client profile, plan, transcripts and schema.

Exercise platforms exchange a scenario as a folder or a zip; so does drillbook. ``pack``
stores every file's bytes as they are (and a manifest of their SHA-256), so ``unpack``
reproduces them byte for byte; the zip itself is deterministic (fixed dates, sorted names).

A received zip is hostile until proven otherwise. Before anything is written, ``unpack``
refuses, each with one line naming the member: names that are absolute, climb out with
``..`` or use backslashes or drive letters; links and other non-files; duplicates; encrypted
members; members or a total beyond the size limits (zip bombs, whatever the headers claim);
members the manifest does not list or whose digest differs. Then every file is checked as
it would be on load (the scenario, its client profile against the plan, each transcript
against the scenario) in a scratch folder, and only then moved into the target folder.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import stat
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from drillbook.formats.errors import InputError, Problem
from drillbook.formats.limits import max_file_bytes, read_bounded
from drillbook.formats.safetext import is_clean

MANIFEST = "drillbook-pack.json"
FORMAT = 1
MAX_MEMBERS = 200
_DATE = (1980, 1, 1, 0, 0, 0)  # a zip's dates would make two packs of the same files differ
_KINDS = ("scenario", "client", "plan", "transcript", "schema")
# A pack's own names are a scenario, clients/x.yaml, plans/x.yaml, transcripts/x.yaml: names
# deeper or longer than these limits are hostile (a path of 2,000 folders overflowed the
# stack when created; a part beyond 255 bytes is refused by the filesystem mid-unpack).
MAX_NAME_DEPTH = 8
MAX_NAME_PART = 255


@dataclass(frozen=True)
class Member:
    """One file of a pack: its name inside the zip, its kind, and its bytes."""

    name: str
    kind: str
    data: bytes


def collect(
    scenario_path: Path, plan_path: Path, transcripts: list[Path], client: Path | None
) -> list[Member]:
    """The files of a pack, named as the unpacked scenario will look for them."""
    from drillbook.authoring.schema import schema_text

    scenario = Member(scenario_path.name, "scenario", read_bounded(scenario_path, "a YAML file"))
    members = [scenario]
    if client is not None:
        here = scenario_path.parent.resolve()
        try:  # where the scenario's `client:` finds it; a bundled one goes in clients/
            name = client.resolve().relative_to(here).as_posix()
        except ValueError:
            name = f"clients/{client.name}"
        members.append(Member(name, "client", read_bounded(client, "a YAML file")))
    members.append(
        Member(f"plans/{plan_path.name}", "plan", read_bounded(plan_path, "a YAML file"))
    )
    for t in transcripts:
        members.append(
            Member(f"transcripts/{t.name}", "transcript", read_bounded(t, "a YAML file"))
        )
    schema = scenario_path.parent / "scenario.schema.json"
    data = read_bounded(schema) if schema.is_file() else schema_text("scenario").encode("utf-8")
    members.append(Member("scenario.schema.json", "schema", data))
    names = [m.name for m in members]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise InputError(
            [Problem(twice[0], 0, 0, "two files of the pack would have this name; rename one")]
        )
    return members


def pack_bytes(members: list[Member]) -> bytes:
    """The zip: the manifest first, then the members sorted by name."""
    manifest = {
        "format": FORMAT,
        "files": [
            {"name": m.name, "kind": m.kind, "sha256": hashlib.sha256(m.data).hexdigest()}
            for m in sorted(members, key=lambda m: m.name)
        ],
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        entries = [(MANIFEST, json.dumps(manifest, indent=2).encode() + b"\n")]
        entries += [(m.name, m.data) for m in sorted(members, key=lambda m: m.name)]
        for name, data in entries:
            info = zipfile.ZipInfo(name, _DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            z.writestr(info, data)
    return buf.getvalue()


def read_pack(path: Path) -> list[Member]:
    """The members of a received pack, every structural problem refused in one line."""
    raw = read_bounded(path, "a zip file")
    shown = str(path)

    def refuse(member: str | None, message: str) -> InputError:
        return InputError([Problem(f"{shown}!{member}" if member else shown, 0, 0, message)])

    try:
        z = zipfile.ZipFile(io.BytesIO(raw))
        infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise refuse(None, f"not a zip file ({exc}); expected a drillbook pack") from None
    if len(infos) > MAX_MEMBERS:
        raise refuse(None, f"holds {len(infos)} files; expected at most {MAX_MEMBERS}")
    limit = max_file_bytes()
    total_limit = limit * 5
    seen: set[str] = set()
    data: dict[str, bytes] = {}
    total = 0
    for info in infos:
        name = info.filename
        problem = _bad_name(name) or _bad_kind(info)
        if problem:
            raise refuse(name, problem)
        if name in seen:
            raise refuse(name, "appears twice in the zip; expected each file once")
        seen.add(name)
        if info.flag_bits & 0x1:
            raise refuse(name, "is encrypted; expected a plain drillbook pack")
        try:
            with z.open(info) as f:
                body = f.read(limit + 1)  # never more than the limit, whatever the header says
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
            raise refuse(name, f"cannot be read ({exc})") from None
        total += len(body)
        if len(body) > limit or total > total_limit:
            raise refuse(
                name,
                f"unpacks beyond the limit ({limit:,} bytes a file, {total_limit:,} in all); "
                "expected a drillbook pack",
            )
        data[name] = body
    folders = {str(parent) for name in seen for parent in PurePosixPath(name).parents}
    clash = sorted(seen & folders)
    if clash:  # "x" and "x/y.yaml": one of them could only be written over the other
        raise refuse(clash[0], "is both a file and a folder in the zip; expected one of them")
    return _checked_manifest(shown, data)


def _bad_name(name: str) -> str | None:
    """Why a member's name could write outside the target folder, or None."""
    if not name or "\\" in name or "\0" in name or name.startswith("/") or ":" in name:
        return "is not a plain relative path; expected names like transcripts/x.yaml"
    parts = PurePosixPath(name).parts
    if any(p in ("..", ".", "") for p in name.split("/")) or not parts:
        return "climbs out of the pack's folder; expected a path inside it"
    if not is_clean(name):  # a bidi override makes "x\u202elmay.sh" read as "x hs.yaml"
        return "has a control character in its name; expected names like transcripts/x.yaml"
    if len(parts) > MAX_NAME_DEPTH:
        return f"is {len(parts)} folders deep; expected at most {MAX_NAME_DEPTH}"
    if any(len(p.encode("utf-8", "surrogatepass")) > MAX_NAME_PART for p in parts):
        return f"has a name longer than {MAX_NAME_PART} bytes; expected names like x.yaml"
    return None


def _bad_kind(info: zipfile.ZipInfo) -> str | None:
    mode = info.external_attr >> 16  # Unix mode; zips from elsewhere may carry no file type
    if info.is_dir() or stat.S_ISDIR(mode):
        return "is a folder entry; a drillbook pack holds files only"
    if stat.S_IFMT(mode) and not stat.S_ISREG(mode):
        kind = "a symbolic link" if stat.S_ISLNK(mode) else "not a regular file"
        return f"is {kind}; a drillbook pack holds regular files only"
    return None


def _checked_manifest(shown: str, data: dict[str, bytes]) -> list[Member]:
    def refuse(member: str, message: str) -> InputError:
        return InputError([Problem(f"{shown}!{member}", 0, 0, message)])

    if MANIFEST not in data:
        raise InputError([Problem(shown, 0, 0, f"has no {MANIFEST}; expected a drillbook pack")])
    try:
        manifest = json.loads(data.pop(MANIFEST))
        files = manifest["files"]
        listed = {f["name"]: (f["kind"], f["sha256"]) for f in files}
    except (ValueError, KeyError, TypeError, RecursionError):
        raise refuse(MANIFEST, "is not a drillbook pack manifest") from None
    if manifest.get("format") != FORMAT:
        raise refuse(MANIFEST, f"is pack format {manifest.get('format')!r}; expected {FORMAT}")
    members = []
    for name, body in sorted(data.items()):
        if name not in listed:
            raise refuse(name, f"is not listed in {MANIFEST}; expected only the files it lists")
        kind, digest = listed[name]
        if kind not in _KINDS:
            raise refuse(name, f"has kind {kind!r}; expected one of: {', '.join(_KINDS)}")
        if hashlib.sha256(body).hexdigest() != digest:
            raise refuse(name, f"does not match its digest in {MANIFEST}; the pack was altered")
        members.append(Member(name, kind, body))
    missing = sorted(set(listed) - set(data))
    if missing:
        raise refuse(missing[0], f"is listed in {MANIFEST} but not in the zip")
    if [m.kind for m in members].count("scenario") != 1:
        raise refuse(MANIFEST, "expected exactly one scenario in the pack")
    for m in members:
        _bad = _bad_name(m.name)
        if _bad:  # a name in the manifest is as hostile as a name in the zip
            raise refuse(m.name, _bad)
    return members


def unpack(path: Path, target: Path, *, force: bool = False) -> list[tuple[str, Path]]:
    """Check a pack, then write its files under ``target``; returns (kind, path) of each."""
    members = read_pack(path)
    final = [target / m.name for m in members]
    if not force:
        there = [p for p in final if p.exists() or p.is_symlink()]
        if there:
            raise InputError(
                [Problem(str(there[0]), 0, 0, "already exists; unpack elsewhere or pass --force")]
            )
    with tempfile.TemporaryDirectory(prefix="drillbook-unpack-") as scratch:
        root = Path(scratch)
        for m in members:
            (root / m.name).parent.mkdir(parents=True, exist_ok=True)
            (root / m.name).write_bytes(m.data)
        _check_loads(path, root, members)
        target.mkdir(parents=True, exist_ok=True)
        base = target.resolve()
        for m, dest in zip(members, final, strict=True):
            dest.parent.mkdir(parents=True, exist_ok=True)
            if not dest.parent.resolve().is_relative_to(base):  # a symlinked folder in target
                raise InputError(
                    [Problem(str(dest), 0, 0, "leads outside the target folder; not written")]
                )
            if dest.is_symlink():
                dest.unlink()
            shutil.copyfile(root / m.name, dest)
    return [(m.kind, p) for m, p in zip(members, final, strict=True)]


def _client_inside(loaded: Any, root: Path) -> None:
    """A pack's scenario may name a client profile in the pack or a bundled one, not a file
    elsewhere on the receiving machine (``client: ../../home/x.yaml``)."""
    from drillbook.scenarios.library import CLIENTS_DIR, client_path

    name = loaded.scenario.client
    found = client_path(loaded.path, name) if name else None
    if found is None:
        return
    where = found.resolve()
    if not (where.is_relative_to(root.resolve()) or where.is_relative_to(CLIENTS_DIR.resolve())):
        raise InputError(
            [
                loaded.document.positions.problem(
                    ("client",),
                    f"client profile '{name}' is outside the pack; expected one packed beside "
                    "the scenario or a bundled client id",
                )
            ]
        )


def _check_loads(pack: Path, root: Path, members: list[Member]) -> None:
    """Every file of the pack loads as what the manifest says it is; problems are placed
    in the pack (``pack.zip!name:line:col``), not in the scratch folder."""
    from drillbook.scenarios.loader import load
    from drillbook.scenarios.transcript import check_against, check_capabilities, load_transcript
    from drillbook.scoring.files import client_from
    from drillbook.scoring.plan import default_plan, load_plan

    try:
        [scenario] = [m for m in members if m.kind == "scenario"]
        loaded = load(root / scenario.name)
        _client_inside(loaded, root)
        plans = [load_plan(root / m.name) for m in members if m.kind == "plan"]
        plan = plans[0] if plans else default_plan()
        for m in members:
            if m.kind == "client":
                client_from(root / m.name, plan)
            elif m.kind == "transcript":
                transcript = load_transcript(root / m.name)
                check_against(transcript, loaded.scenario)
                check_capabilities(transcript, list(plan.capabilities))
            elif m.kind == "schema":
                _check_json(pack, m)
    except InputError as exc:
        prefix = str(root) + "/"
        raise InputError(
            [
                Problem(
                    f"{pack}!{p.file.removeprefix(prefix)}"
                    if p.file.startswith(prefix)
                    else p.file,
                    p.line,
                    p.col,
                    p.message,
                )
                for p in exc.problems
            ]
        ) from None


def _check_json(pack: Path, member: Member) -> None:
    """A packed schema is JSON; nesting too deep for the parser is not JSON a schema holds."""
    try:
        json.loads(member.data)
    except (ValueError, RecursionError):
        raise InputError([Problem(f"{pack}!{member.name}", 0, 0, "is not JSON")]) from None
