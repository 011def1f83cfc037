"""Hostile inputs, generated: what an attacker or a careless user hands drillbook.

Each :class:`Case` is one command line over files written into a scratch folder, with the
answer drillbook promises: ``input`` (one placed line on stderr, exit 2), ``ok`` (exit 0)
or ``internal`` (the one-line internal-error answer). The suite in this folder runs a
sample in-process; ``python tests/hostile/sweep.py`` runs every case as a real process and
greps for tracebacks. Files are generated, never committed: an alias bomb in the repository
would be one more thing to trip over.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from drillbook.scenarios import library

ROOT = Path(__file__).resolve().parents[2]
FLAGSHIP_FILE = library.resolve(library.FLAGSHIP)
FLAGSHIP_TEXT = FLAGSHIP_FILE.read_text(encoding="utf-8")
MODEL_TEAM_FILE = library.reference_transcript(library.FLAGSHIP)
PLAN_FILE = ROOT / "scoring" / "plans" / "default.yaml"

# The hostile text every string field gets in the "text is data" cases.
HOSTILE_TEXT = "[/i] [bold]x[/bold] \x1b]0;PWNED\x07 <script>alert(1)</script> \u202eevil\x00"

ALIAS_BOMB = (
    "a: &a [x, x, x, x, x, x, x, x, x]\n"
    "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
    "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
    "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
    "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
    "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n"
    "h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]\n"
    "i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]\n"
)


@dataclass(frozen=True)
class Case:
    """One hostile command line and the answer drillbook owes it."""

    name: str
    argv: tuple[str, ...]
    expect: str = "input"  # "input" | "ok" | "any" (just no traceback, hang or raw escape)
    keep: tuple[Path, ...] = field(default=())  # files whose bytes must survive the command


def edit(old: str, new: str, text: str = FLAGSHIP_TEXT) -> str:
    """``text`` with its first ``old`` replaced; fails loudly if the flagship moved on."""
    if old not in text:
        raise AssertionError(f"the flagship no longer holds {old!r}")
    return text.replace(old, new, 1)


# Scenarios that are hostile but valid: they must load, with the text shown, not obeyed.
BENIGN_SCENARIOS = frozenset(
    {
        "control-in-title",
        "bidi-in-title",
        "markup-in-title",
        "nul-byte-quoted",
        "tags",
        "binary-tag",
    }
)
# Journals that are odd but readable.
BENIGN_JOURNALS = frozenset({"header-title-control", "control-in-event", "event-unknown-type"})


# Scenario texts, each broken in one way. Keep one name per way so a failure says which.
def bad_scenarios() -> dict[str, str | bytes]:
    t = FLAGSHIP_TEXT
    return {
        "alias-bomb": ALIAS_BOMB,
        "alias-bomb-in-scenario": t + "\n" + re.sub(r"(?m)^(\w):", r"bomb_\1:", ALIAS_BOMB),
        "recursive-alias": "a: &a [*a]\n",
        "deep-nesting": "a: " + "[" * 5000 + "]" * 5000 + "\n",
        "deep-mapping": "a:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 400)),
        "int-5000-digits": edit("rate: ", "rate: " + "9" * 5000 + " #", t),
        "int-10e30-at": edit('at: "+0:06"', "at: " + "1" + "0" * 30, t),
        "int-minutes-huge": edit('at: "+0:06"', "at: 99999999", t),
        "offset-hours-huge": edit('at: "+0:06"', 'at: "+99999:00"', t),
        "offset-beyond-story": edit('at: "+0:06"', 'at: "+10000:00"', t),
        "ends-huge": edit('ends: "', 'ends: 100000000 #"', t),
        "rate-1e308": edit("rate: ", "rate: 1e308 #", t),
        "rate-1e400": edit("rate: ", "rate: 1e400 #", t),
        "rate-inf-word": edit("rate: ", "rate: inf #", t),
        "rate-dot-inf": edit("rate: ", "rate: .inf #", t),
        "rate-neg-inf": edit("rate: ", "rate: -.inf #", t),
        "rate-nan": edit("rate: ", "rate: .nan #", t),
        "rate-nan-word": edit("rate: ", "rate: NaN #", t),
        "rate-quoted-inf": edit("rate: ", 'rate: "Infinity" #', t),
        "cap-1e300": edit("cap: ", "cap: 1e300 #", t),
        "nul-byte": edit("title: ", "title: a\x00b ", t),
        "nul-byte-quoted": edit("title: ", 'title: "a\\0b" #', t),
        "invalid-utf8": t.encode() + b"\nx: \xff\xfe\n",
        "binary-garbage": bytes(range(256)) * 8,
        "utf16-bom": t.encode("utf-16"),
        "empty": "",
        "only-comment": "# nothing\n",
        "top-level-list": "- a\n- b\n",
        "top-level-scalar": "hello\n",
        "list-for-mapping": edit("truth:", "truth: [1, 2]\nxtruth:", t),
        "null-role": edit("roles:\n", "roles:\n  - null\n", t),
        "null-everything": "id: ~\ntitle: ~\nroles: ~\ninjects: ~\n",
        "tags": edit("title: ", "title: !!python/object:os.system x #", t),
        "binary-tag": edit("title: ", "title: !!binary aGVsbG8= #", t),
        "merge-key": "a: &a {x: 1}\nb:\n  <<: *a\n",
        "complex-key": "? [a, b]\n: c\n",
        "dup-anchor": "a: &x 1\nb: &x 2\nc: *x\n",
        "undefined-alias": "a: *nope\n",
        "tabs": "a:\n\t- b\n",
        "many-docs": "a: 1\n---\nb: 2\n",
        "control-in-title": edit("title: ", 'title: "\\e]0;PWNED\\a\\e[31mred" #', t),
        "bidi-in-title": edit("title: ", 'title: "\\u202eevil\\u2066" #', t),
        "markup-in-title": edit("title: ", 'title: "[/i] [bold] [x]" #', t),
        "huge-line": "a: " + "x" * 2_000_000 + "\n",
        "many-keys-dup": "".join(f"k{i % 50}: {i}\n" for i in range(2000)),
    }


def bad_journals(good: list[dict]) -> dict[str, str | bytes]:
    """Journals broken in one way each, from a good one's events."""

    def dump(events: list[dict]) -> str:
        return "".join(json.dumps(e) + "\n" for e in events)

    def header(**kw: object) -> str:
        return dump([{**good[0], **kw}, *good[1:]])

    out: dict[str, str | bytes] = {
        "header-sim-abc": header(sim="abc"),
        "header-sim-null": header(sim=None),
        "header-sim-list": header(sim=[1]),
        "header-seed-str": header(seed="abc"),
        "header-seed-huge": header(seed=10**40),
        "header-roster-list": header(roster=[1, 2]),
        "header-roster-str": header(roster="x"),
        "header-start-num": header(start=5),
        "header-scenario-null": header(scenario=None, scenario_file=None),
        "header-scenario-list": header(scenario=["x"]),
        "header-file-etc": header(scenario_file="/etc/passwd", scenario="nope-nope"),
        "header-file-dev": header(scenario_file="/dev/zero", scenario="nope-nope"),
        "header-plan-etc": header(plan="/etc/passwd"),
        "header-plan-list": header(plan=["a"]),
        "header-client-dev": header(client="/dev/zero"),
        "header-practice-str": header(practice="yes"),
        "header-title-control": header(title="\x1b]0;PWNED\x07"),
        "nan-literal": dump(good).replace('"sim": 6.0', '"sim": NaN', 1),
        "infinity-literal": dump(good).replace('"sim": 6.0', '"sim": Infinity', 1),
        "huge-int": dump(good).replace('"seq": 1,', '"seq": ' + "9" * 5000 + ",", 1),
        "huge-float": dump(good).replace('"sim": 6.0', '"sim": 1e400', 1),
        "list-line": dump(good) + "[1, 2, 3]\n",
        "scalar-line": dump(good) + "42\n",
        "event-null-type": dump([*good, {"type": None, "sim": 1}]),
        "event-unknown-type": dump([*good[:3], {"type": "zzz", "sim": 7, "seq": 99}, *good[3:]]),
        "event-role-null": dump(
            [
                *good[:3],
                {"type": "action_taken", "sim": 7, "role": None, "action": "note"},
                *good[3:],
            ]
        ),
        "event-params-list": dump(
            [
                *good[:3],
                {"type": "action_taken", "sim": 7, "role": "on_call", "action": "x", "params": []},
                *good[3:],
            ]
        ),
        "no-header": dump(good[1:]),
        "empty": "",
        "blank-lines": "\n\n\n",
        "binary": bytes(range(256)),
        "not-json": "hello\n",
        "torn-only": '{"seq":0,"type":"run_st',
        "deep-json": "[" * 100000 + "]" * 100000 + "\n",
        "control-in-event": dump(
            [
                *good[:3],
                {
                    "seq": 3,
                    "type": "action_taken",
                    "sim": 7.0,
                    "role": "on_call",
                    "action": "note",
                    "params": {"text": "\x1b]0;PWNED\x07\x1b[2J"},
                },
                *good[3:],
            ]
        ),
    }
    return out


# Keys whose values are prose a person reads (never ids, times or numbers).
TEXT_KEYS = frozenset(
    {
        "title",
        "summary",
        "body",
        "label",
        "shows",
        "text",
        "question",
        "description",
        "sender",
        "name",
        "note",
        "prompt",
        "finding",
        "message",
        "detail",
        "headline",
    }
)


def hostile_flagship() -> str:
    """The flagship with HOSTILE_TEXT appended to every prose field (ids left alone)."""
    import yaml

    data = yaml.safe_load(FLAGSHIP_TEXT)

    def walk(node: object) -> object:
        if isinstance(node, dict):
            return {
                k: (v + " " + HOSTILE_TEXT if k in TEXT_KEYS and isinstance(v, str) else walk(v))
                for k, v in node.items()
            }
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    return yaml.safe_dump(walk(data), allow_unicode=False, sort_keys=False, width=1000)


def _write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


def special_files(tmp: Path, *, big: bool = True) -> dict[str, Path]:
    """Paths that are not regular files: drillbook must refuse them without hanging.
    ``big=False`` leaves out the 11 MB file (tests lower the limit instead)."""
    fifo = tmp / "fifo.yaml"
    if not fifo.exists():
        os.mkfifo(fifo)
    folder = tmp / "folder.yaml"
    folder.mkdir(exist_ok=True)
    loop = tmp / "loop.yaml"
    if not loop.is_symlink():
        loop.symlink_to(loop)
    oversized = tmp / "big.yaml"
    if big and not oversized.exists():
        with open(oversized, "wb") as fh:
            fh.write(b"a: b\n" * (11 * 1024 * 1024 // 5 + 1))
    under_file = tmp / "plain.txt"
    under_file.write_text("x\n")
    return {
        "fifo": fifo,
        "dev-zero": Path("/dev/zero"),
        "dev-null": Path("/dev/null"),
        "directory": folder,
        "symlink-loop": loop,
        **({"oversized": oversized} if big else {}),
        "missing": tmp / "missing.yaml",
        "under-a-file": under_file / "x.yaml",
    }


# Scenarios whose one flaw is in a timed inject: importing a sheet into them replaces it.
SHEET_REPLACES = frozenset({"int-minutes-huge", "offset-hours-huge", "offset-beyond-story"})


def _flagship_sheet(tmp: Path) -> Path:
    """The flagship's MSEL as CSV, as ``msel export`` writes it."""
    from drillbook.authoring import msel, sheets
    from drillbook.scenarios.loader import load

    path = tmp / "flagship-msel.csv"
    if not path.exists():
        scenario = load(FLAGSHIP_FILE).scenario
        sheets.write_table(path, "csv", msel.columns(), msel.rows(scenario))
    return path


def cases(tmp: Path, journal: Path) -> Iterator[Case]:
    """Every hostile case over files written into ``tmp``; ``journal`` is a good run's."""
    good = [json.loads(line) for line in journal.read_text(encoding="utf-8").splitlines()]
    scen_dir, jdir, ydir = tmp / "scen", tmp / "journals", tmp / "yaml"
    scen_dir.mkdir(parents=True, exist_ok=True)
    if not (scen_dir / "clients").exists():  # the flagship names its client by a relative path
        (scen_dir / "clients").symlink_to(FLAGSHIP_FILE.parent / "clients")
    transcript = str(MODEL_TEAM_FILE)
    sheet = _flagship_sheet(tmp)
    for name, data in bad_scenarios().items():
        f = str(_write(scen_dir / f"{name}.yaml", data))
        ok = "ok" if name in BENIGN_SCENARIOS else "input"
        # the sheet's timed injects replace the base's: a bad time in one of those is gone
        into = "any" if name in BENIGN_SCENARIOS or name in SHEET_REPLACES else "input"
        yield Case(
            f"msel-into/{name}",
            ("msel", "import", str(sheet), "--into", f, "-o", str(tmp / "out" / f"{name}-m.yaml")),
            expect=into,
            keep=(Path(f),),
        )
        yield Case(f"validate/{name}", ("validate", f), expect=ok)
        yield Case(f"lint/{name}", ("lint", f), expect="any")
        yield Case(f"graph/{name}", ("graph", f), expect=ok)
        yield Case(f"brief/{name}", ("brief", f, "-o", str(tmp / "out" / f"{name}.html")), ok)
        yield Case(
            f"run/{name}",
            ("run", f, "--transcript", transcript, "-j", str(tmp / f"{name}.jsonl")),
            expect=ok,
        )
        yield Case(f"transcript/{name}", ("run", str(FLAGSHIP_FILE), "--transcript", f))
        yield Case(f"plan/{name}", ("score", str(journal), "--plan", f))
        yield Case(f"client/{name}", ("score", str(journal), "--client", f))
    for name, p in special_files(tmp).items():
        f = str(p)
        yield Case(
            f"validate/{name}", ("validate", f), expect="any" if name == "directory" else "input"
        )
        yield Case(f"transcript/{name}", ("run", str(FLAGSHIP_FILE), "--transcript", f))
        yield Case(f"plan/{name}", ("score", str(journal), "--plan", f))
        yield Case(f"score/{name}", ("score", f))
        yield Case(f"replay/{name}", ("replay", f))
        yield Case(f"report-template/{name}", ("report", str(journal), "--template", f, "-o", "-"))
        yield Case(f"msel-import/{name}", ("msel", "import", f, "-o", str(tmp / "m.yaml")))
        yield Case(f"unpack/{name}", ("unpack", f, "-d", str(tmp / "unpacked")))
    for name, p in special_files(
        tmp, big=False
    ).items():  # as spreadsheets: read, not refused by name
        sheet = tmp / "sheets" / f"{name}.csv"
        sheet.parent.mkdir(exist_ok=True)
        if not sheet.is_symlink():
            sheet.symlink_to(p)
        yield Case(
            f"msel-import/{name}.csv", ("msel", "import", str(sheet), "-o", str(tmp / "m.yaml"))
        )
    for name, data in bad_journals(good).items():
        f = _write(jdir / f"{name}.jsonl", data)
        ok = "any" if name in BENIGN_JOURNALS else "input"
        yield Case(f"score/journal-{name}", ("score", str(f)), expect=ok, keep=(f,))
        # replay needs no plan or client: a bad path to one is not its business
        unused = name.startswith(("header-plan", "header-client"))
        yield Case(f"replay/journal-{name}", ("replay", str(f)), "any" if unused else ok, (f,))
        yield Case(
            f"report/journal-{name}",
            ("report", str(f), "-f", "md", "-o", str(tmp / "out" / f"{name}.md")),
            expect=ok,
            keep=(f,),
        )
        yield Case(
            f"register-add/journal-{name}",
            ("register", "--db", str(tmp / "reg.sqlite"), "add", str(f)),
            expect=ok,
            keep=(f,),
        )
    out_dir = tmp / "outdir"
    out_dir.mkdir(exist_ok=True)
    for verb, args in {
        "report": ("report", str(journal)),
        "brief": ("brief", str(FLAGSHIP_FILE)),
        "graph": ("graph", str(FLAGSHIP_FILE)),
        "msel-export": ("msel", "export", str(FLAGSHIP_FILE)),
        "pack": ("pack", str(FLAGSHIP_FILE)),
    }.items():
        yield Case(f"{verb}/-o-directory", (*args, "-o", str(out_dir)))
        yield Case(f"{verb}/-o-under-file", (*args, "-o", str(tmp / "plain.txt" / "x")))
        yield Case(f"{verb}/-o-proc", (*args, "-o", "/proc/version"))
    template = {
        "binary": bytes(range(256)) * 4,
        "bad-jinja": "{% for x in %}",
        "undefined-filter": "{{ x | nope }}",
        "sandbox-escape": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "raise": "{{ 1/0 }}",
    }
    for name, data in template.items():
        f = str(_write(ydir / f"{name}.j2", data))
        yield Case(f"report-template/{name}", ("report", str(journal), "--template", f, "-o", "-"))
    reg = {
        "garbage": bytes(range(256)) * 64,
        "empty-file": b"",
        "text": b"hello register\n",
    }
    for name, data in reg.items():
        f = str(_write(tmp / "reg" / f"{name}.sqlite", data))
        ok = "any" if name == "empty-file" else "input"  # SQLite reads an empty file as new
        yield Case(f"register-list/{name}", ("register", "--db", f, "list"), ok)
        yield Case(f"register-items/{name}", ("register", "--db", f, "items"), ok)
        yield Case(f"register-trend/{name}", ("register", "--db", f, "trend"), ok)
        yield Case(f"register-add/{name}", ("register", "--db", f, "add", str(journal)), ok)
        yield Case(f"list/{name}", ("list", "--db", f), expect="ok")
    yield Case("register-list/dir", ("register", "--db", str(out_dir), "list"))
    yield Case("list/db-dir", ("list", "--db", str(out_dir)), expect="ok")
    control = "\x1b]0;PWNED\x07"
    yield Case("validate/control-in-path", ("validate", str(tmp / f"{control}.yaml")))
    yield Case("run/control-in-id", ("run", f"nope{control}"))
    yield Case("new/control-in-id", ("new", f"x{control}", "-o", str(tmp / "new.yaml")))
    yield Case("run/until-huge", ("run", str(FLAGSHIP_FILE), "--seed", "9" * 5000))


CaseSource = Callable[[Path, Path], Iterator[Case]]
