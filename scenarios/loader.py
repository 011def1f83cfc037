"""Load a scenario file: YAML → validated :class:`Scenario`, or every problem placed.

This is the only entry point for scenario files. Problems come back as one
:class:`~scenarios.yamlsource.InputError` holding every ``file:line:col`` line, so an
author fixes a file in one pass rather than one error per run.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from drillbook.formats.validation import validate
from drillbook.formats.yamlsource import Document, InputError, read
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


def load(path: str | Path) -> LoadedScenario:
    """Read, validate and cross-check one scenario file."""
    doc = read(path)
    scenario = validate(Scenario, doc)
    problems = [doc.positions.problem(p, msg) for p, msg in references.check(scenario)]
    # Only the profile's existence is checked here: reading it is the scorer's business.
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
    if problems:
        raise InputError(problems)
    return LoadedScenario(scenario, doc, Path(path))


def load_scenario(path: str | Path) -> Scenario:
    return load(path).scenario
