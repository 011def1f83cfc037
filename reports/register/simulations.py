"""Modelled readiness in the register: a readiness simulation kept beside the exercises.

An exercise measures the people in the room on one afternoon; a simulation (``drillbook
simulate --json``) models the real team — roster, rotation, absences, access — over many
nights. The trend report shows both per quarter, so a manager sees whether the modelled
readiness moves with the exercised one. A simulation is read from its JSON document and kept
once (by the digest of its bytes); what is kept is its headline: the readiness distribution,
rating shares and the loss the simulation leads with.
"""

from __future__ import annotations

import hashlib
import json
import math
import sqlite3
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from drillbook.formats.errors import InputError, Problem
from drillbook.formats.limits import read_bounded
from drillbook.reports.register.exercises import now_text
from drillbook.reports.register.store import transaction
from drillbook.scoring.status import RATINGS


@dataclass(frozen=True)
class Simulation:
    digest: str
    scenario: str
    title: str
    team: str
    team_title: str
    runs: int
    seed: int
    readiness: float  # median over the runs
    readiness_p5: float
    readiness_p95: float
    ratings: dict[str, float]  # share of runs per rating
    loss_label: str
    loss: tuple[float, float, float] | None  # median, p5, p95 of the headline meter


class _Doc:
    """Reads fields of the document, naming the field that is wrong, not a traceback."""

    def __init__(self, file: str, data: Any) -> None:
        self.file = file
        self.data = data

    def problem(self, where: str, expected: str, found: str = "") -> InputError:
        said = f"{where}: {found + '; ' if found else ''}expected {expected}"
        return InputError(
            [Problem(self.file, 0, 0, f"{said} (as `drillbook simulate --json` writes)")]
        )

    def get(self, *path: str) -> Any:
        value = self.data
        for i, key in enumerate(path):
            if not isinstance(value, dict) or key not in value:
                where = ".".join(path[: i + 1])
                raise self.problem(where, "this field", "missing")
            value = value[key]
        return value

    def text(self, *path: str) -> str:
        value = self.get(*path)
        if not isinstance(value, str) or not value.strip():
            raise self.problem(".".join(path), "text")
        return value

    def number(self, *path: str, low: float = -math.inf, high: float = math.inf) -> float:
        value = self.get(*path)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.problem(".".join(path), "a number")
        # compared before float(): an int of 400 digits has no float, and math.isfinite of it
        # raises OverflowError
        finite = isinstance(value, int) or math.isfinite(value)
        if not (finite and low <= value <= high):
            raise self.problem(".".join(path), f"a number from {low:g} to {high:g}")
        return float(value)

    def whole(self, *path: str, low: int, high: int) -> int:
        """A whole number kept exact (a seed of 19 digits has no float that equals it), in the
        range an SQLite INTEGER holds when ``low``/``high`` say so."""
        value = self.get(*path)
        if isinstance(value, float) and value.is_integer() and low <= value <= high:
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.problem(".".join(path), "a whole number")
        if not low <= value <= high:
            raise self.problem(".".join(path), f"a whole number from {low} to {high}")
        return value


def read_simulation(path: str | Path) -> Simulation:
    """The headline of a simulation document; a file that is not one gets one placed line."""
    raw = read_bounded(path, "a simulation document")
    shown = str(path)
    try:
        data = json.loads(raw.decode("utf-8"), parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        why = exc.args[0] if isinstance(exc, ValueError) and exc.args else type(exc).__name__
        raise InputError(
            [
                Problem(
                    shown,
                    0,
                    0,
                    f"not JSON ({why}); expected the output of `drillbook simulate --json`",
                )
            ]
        ) from None
    doc = _Doc(shown, data)
    ratings = doc.get("summary", "ratings")
    if not isinstance(ratings, dict) or set(ratings) - set(RATINGS):
        raise doc.problem("summary.ratings", "shares of P, S, M and U")
    shares = {
        r: doc.number("summary", "ratings", r, low=0, high=1) for r in RATINGS if r in ratings
    }
    runs = doc.whole("summary", "runs", low=1, high=10_000_000)
    seed = doc.whole("seed", low=-(2**63), high=2**63 - 1)  # an SQLite INTEGER
    return Simulation(
        digest=hashlib.sha256(raw).hexdigest(),
        scenario=doc.text("scenario"),
        title=doc.text("title"),
        team=doc.text("team", "id"),
        team_title=str(doc.get("team").get("title") or ""),
        runs=runs,
        seed=seed,
        readiness=doc.number("summary", "readiness", "median", low=0, high=100),
        readiness_p5=doc.number("summary", "readiness", "p5", low=0, high=100),
        readiness_p95=doc.number("summary", "readiness", "p95", low=0, high=100),
        ratings=shares,
        loss_label=str(data.get("loss_label") or ""),
        loss=_loss(doc),
    )


def _loss(doc: _Doc) -> tuple[float, float, float] | None:
    """The meter the simulation leads with (``loss_label``), as median and p5–p95."""
    label = doc.data.get("loss_label")
    meters = doc.get("summary", "meters")
    if not label or not isinstance(meters, dict):
        return None
    for key, m in meters.items():
        if isinstance(m, dict) and m.get("label") == label:
            return tuple(  # type: ignore[return-value]
                doc.number("summary", "meters", key, q) for q in ("median", "p5", "p95")
            )
    raise doc.problem("loss_label", "the label of one of summary.meters")


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number")


def add_simulation(
    conn: sqlite3.Connection, sim: Simulation, held_on: date, client: str | None = None
) -> tuple[int, bool]:
    """Keep ``sim`` as modelled on ``held_on``; returns (id, whether it was new)."""
    found = conn.execute("SELECT id FROM simulations WHERE digest = ?", (sim.digest,)).fetchone()
    if found:
        return int(found["id"]), False
    loss = sim.loss or (None, None, None)
    with transaction(conn):
        cur = conn.execute(
            """INSERT INTO simulations (digest, scenario, title, team, team_title, runs, seed,
                   held_on, client, readiness, readiness_p5, readiness_p95, ratings,
                   loss_label, loss_median, loss_p5, loss_p95, added_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (
                sim.digest,
                sim.scenario,
                sim.title,
                sim.team,
                sim.team_title,
                sim.runs,
                sim.seed,
                held_on.isoformat(),
                client,
                sim.readiness,
                sim.readiness_p5,
                sim.readiness_p95,
                json.dumps(sim.ratings, sort_keys=True),
                sim.loss_label,
                *loss,
                now_text(),
            ),
        )
    return int(cur.lastrowid or 0), True
