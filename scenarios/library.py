"""The bundled scenario library: find a scenario by id or path.

A facilitator names a scenario either by its id (``airline-pricing-0347``), which is looked
up among the bundled files, or by a path to a YAML file of their own.
"""

from __future__ import annotations

from pathlib import Path

from drillbook.data import path as bundled_path
from drillbook.formats.errors import InputError, Problem

LIBRARY_DIR = bundled_path("scenarios")
TRANSCRIPTS_DIR = LIBRARY_DIR / "transcripts"
TEMPLATES_DIR = bundled_path("templates")
FLAGSHIP = "airline-pricing-0347"


def bundled() -> list[Path]:
    """Every bundled scenario file, flagship first."""
    files = sorted(LIBRARY_DIR.glob("*.yaml"))
    return sorted(files, key=lambda p: (p.stem != FLAGSHIP, p.stem))


def resolve(name: str) -> Path:
    """A path for a scenario id or file name; unknown names list what exists."""
    return find(name, LIBRARY_DIR, "scenario file or id", [f.stem for f in bundled()])


def find(name: str, folder: Path, what: str, known: list[str]) -> Path:
    """A file a person named: a path as given (a ``.yaml`` name, or one that exists), else
    the bundled ``folder/NAME.yaml``; neither is one line listing the bundled ids."""
    p = Path(name)
    if p.suffix in (".yaml", ".yml") or p.exists():
        return p
    candidate = folder / f"{name}.yaml"
    if candidate.is_file():
        return candidate
    raise InputError([Problem(name, 0, 0, f"no such {what}; bundled ids: {', '.join(known)}")])


def reference_transcript(scenario_id: str, kind: str = "model") -> Path:
    """The bundled decisions of a model (or weak) team for a bundled scenario."""
    p = TRANSCRIPTS_DIR / f"{scenario_id}.{kind}.yaml"
    if not p.exists():
        raise InputError(
            [Problem(str(p), 0, 0, f"no bundled {kind}-team transcript for '{scenario_id}'")]
        )
    return p


CLIENTS_DIR = LIBRARY_DIR / "clients"


def client_path(scenario_path: str | Path, name: str) -> Path | None:
    """Where the client profile a scenario names with ``client:`` is, or None if nowhere.

    A path relative to the scenario file wins. Failing that, the name is taken as a client's
    id (``skylark-regional``, or the bundled scenarios' own ``clients/skylark-regional.yaml``
    when a copy no longer has that folder beside it): ``ID.yaml`` or ``clients/ID.yaml``
    beside the scenario, then the bundled profile of that id. Only a bare name or
    ``clients/NAME`` is taken as an id, so ``../x.yaml`` never resolves into the library.
    """
    here = Path(scenario_path).parent
    beside = here / name
    if beside.is_file():
        return beside
    candidate = Path(name)
    if candidate.parent not in (Path("."), Path("clients")) or candidate.name in ("", ".", ".."):
        return None
    stem = candidate.name.removesuffix(".yaml").removesuffix(".yml")
    for found in (
        here / f"{stem}.yaml",
        here / "clients" / f"{stem}.yaml",
        CLIENTS_DIR / f"{stem}.yaml",
    ):
        if found.is_file():
            return found
    return None
