"""Load a scenario file: YAML → validated :class:`Scenario`, or every problem placed.

This is the only entry point for scenario files. Problems come back as one
:class:`~scenarios.yamlsource.InputError` holding every ``file:line:col`` line, so an
author fixes a file in one pass rather than one error per run.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from drillbook.formats.collector import collector_paused
from drillbook.formats.limits import read_bounded
from drillbook.formats.validation import validate
from drillbook.formats.yamlsource import Document, InputError, Problem, parse_bytes, read
from drillbook.scenarios import references
from drillbook.scenarios.library import CLIENTS_DIR, client_path
from drillbook.scenarios.model import Scenario


@dataclass(frozen=True)
class LoadedScenario:
    """A scenario with the file it came from and where each value sits (for lint, errors)."""

    scenario: Scenario
    document: Document
    path: Path

    @property
    def sha256(self) -> str:
        """SHA-256 of the file's bytes as they were loaded."""
        return self.document.sha256


# Scenarios already loaded in this process: (path as given, SHA-256 of its bytes) → the load.
# ``validate`` then ``run`` in one process (the readiness simulation, the scale benchmark), or
# a console reopening its scenario, read the same bytes again: a 10,000-inject file took a
# second to parse and validate, its digest a few milliseconds. Scenarios are frozen, so their
# fields serve every caller; each caller gets a scenario object of its own (see ``load``).
_LOADED: dict[tuple[str, str], LoadedScenario] = {}
_LOADED_SIZE = 4


def _bytes(path: str | Path) -> bytes | None:
    """The file's bytes, or None where reading them is an error (``read`` then reports it,
    exactly as it always has)."""
    try:
        return read_bounded(path, "a YAML file")
    except InputError:
        return None


def load(path: str | Path) -> LoadedScenario:
    """Read, validate and cross-check one scenario file (the same bytes at the same path are
    read and validated once per process; whether its client profile exists is checked on
    every call, as the file system may have changed)."""
    raw = _bytes(path)  # read once: hashed for the cache, then parsed
    digest = hashlib.sha256(raw).hexdigest() if raw is not None else None
    known = _LOADED.get((str(path), digest)) if digest is not None else None
    if known is not None:
        problems = _client_problems(known.scenario, known.document, path)
        if problems:
            raise InputError(problems)
        # A scenario of its own, as a fresh load gives: the fields are shared (frozen), what
        # has been derived from it (its memo, which takes part in equality) starts empty.
        scenario = known.scenario.model_copy()
        scenario._memo = {}
        return LoadedScenario(scenario, known.document, known.path)
    # The collector is held for the whole load, not only the parse (as ``read`` does): the
    # validated models and the checks allocate as much again, all of it kept, and each full
    # collection rescanned the document built so far (a fifth of loading 10,000 injects).
    with collector_paused():
        doc = read(path) if raw is None else parse_bytes(raw, path, digest, reuse=True)
        scenario = validate(Scenario, doc, reuse=True)
        problems = [doc.positions.problem(p, msg) for p, msg in references.check(scenario)]
    problems += _client_problems(scenario, doc, path)
    if problems:
        raise InputError(problems)
    loaded = LoadedScenario(scenario, doc, Path(path))
    if len(_LOADED) >= _LOADED_SIZE:
        del _LOADED[next(iter(_LOADED))]
    _LOADED[(str(path), doc.sha256)] = loaded  # the digest of the very bytes parsed
    return loaded


def _client_problems(scenario: Scenario, doc: Document, path: str | Path) -> list[Problem]:
    """Only the profile's existence is checked here: reading it is the scorer's business."""
    problems: list[Problem] = []
    if scenario.client is not None and client_path(path, scenario.client) is None:
        beside = Path(path).parent / scenario.client
        problems.append(
            doc.positions.problem(
                ("client",),
                f"client profile '{scenario.client}' not found ({beside}); "
                "expected a path relative to the scenario file or a bundled client id "
                f"({', '.join(sorted(f.stem for f in CLIENTS_DIR.glob('*.yaml')))})",
            )
        )
    return problems


def load_scenario(path: str | Path) -> Scenario:
    return load(path).scenario
