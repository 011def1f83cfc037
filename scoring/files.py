"""Which plan and client profile a run is scored against, read with every problem placed.

The command line wins; then what the journal's header recorded when the run was played;
then the defaults (the bundled plan, the scenario's own ``client:`` profile). A client profile
is checked against the plan it will be applied to, so a window for a rule the plan does not
have is an error in the profile, at its line, not a silently ignored override.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from drillbook.formats.validation import validate
from drillbook.formats.yamlsource import InputError, Problem, read
from drillbook.scenarios.library import client_path
from drillbook.scoring.client import ClientProfile
from drillbook.scoring.plan import ResponsePlan, default_plan, load_plan
from drillbook.scoring.planchecks import client_problems


def plan_from(path: str | Path | None) -> ResponsePlan:
    """The plan in ``path``, or the bundled default plan."""
    return load_plan(path) if path else default_plan()


def client_from(path: str | Path, plan: ResponsePlan) -> ClientProfile:
    """Read a client profile and check the rule ids it names against ``plan``."""
    doc = read(path, reuse=True)
    profile = validate(ClientProfile, doc, reuse=True)
    problems = [
        doc.positions.problem(p, msg, key=p[0] == "windows")
        for p, msg in client_problems(plan, profile)
    ]
    if problems:
        raise InputError(problems)
    return profile


def scenario_client(
    scenario_path: str | Path, scenario: Any, plan: ResponsePlan
) -> ClientProfile | None:
    """The profile a scenario names with ``client:``: a path relative to the scenario file,
    or a bundled client's id (see :func:`scenarios.library.client_path`)."""
    name = getattr(scenario, "client", None)
    if not name:
        return None
    return client_from(client_path(scenario_path, name) or Path(scenario_path).parent / name, plan)


def run_client(
    named: str | Path | None, scenario_path: str | Path, scenario: Any, plan: ResponsePlan
) -> ClientProfile | None:
    """The client profile a run is scored with — the one place that chooses it: the profile
    the run names (chosen on the setup screen, or on the command line), else the scenario's
    own. ``play``'s live scorer, ``score``, ``report`` and ``run`` all choose through here."""
    if named:
        return client_from(named, plan)
    return scenario_client(scenario_path, scenario, plan)


def recorded(journal: Path, given: str | None, header_value: str | None, what: str) -> Path | None:
    """A file named on the command line, else the one the journal's header recorded (as
    written when the run was played, or next to the journal); None when neither."""
    if given:
        return Path(given)
    if not header_value:
        return None
    p = Path(header_value)
    if not p.is_absolute() and not p.exists():
        p = journal.parent / p
    if not p.exists():
        raise InputError(
            [
                Problem(
                    str(journal),
                    1,
                    1,
                    f"the {what} this run was played under ({header_value}) cannot be found; "
                    f"expected it there, or name one with --{what}",
                )
            ]
        )
    return p


def for_journal(
    journal: Path,
    header: dict[str, Any],
    scenario_path: Path,
    scenario: Any,
    plan_arg: str | None = None,
    client_arg: str | None = None,
) -> tuple[ResponsePlan, ClientProfile | None]:
    """The plan and client profile to score a journal with.

    A file the journal's header names is trusted only as far as it loads as what it claims
    to be: a received journal naming ``/etc/passwd`` as its plan gets one line about the
    journal, never a report of the other file's contents.
    """
    plan_path = recorded(journal, plan_arg, header.get("plan"), "plan")
    with _named_by(journal, None if plan_arg else plan_path, "plan"):
        plan = plan_from(plan_path)
    client_path = recorded(journal, client_arg, header.get("client"), "client")
    with _named_by(journal, None if client_arg else client_path, "client"):
        return plan, run_client(client_path, scenario_path, scenario, plan)


@contextmanager
def _named_by(journal: Path, path: Path | None, what: str) -> Iterator[None]:
    """Problems of a file the journal's header named become one line about the journal."""
    try:
        yield
    except InputError:
        if path is None:
            raise
        raise InputError(
            [
                Problem(
                    str(journal),
                    1,
                    1,
                    f"the {what} this run was played under ({path}) does not load as a "
                    f"drillbook {what} file; expected one, or name one with --{what}",
                )
            ]
        ) from None
