"""Readiness simulation: team models, autopilot responders, executors, ablation, the article."""

from __future__ import annotations

import gc
import json
import multiprocessing
import os
import re
import sys
import time
import weakref
from itertools import pairwise
from pathlib import Path

import pytest
from drillbook.readiness import ablation, executors, runner
from drillbook.readiness.executors import Dask, Inline, Processes, run_all
from drillbook.readiness.runner import Spec, play, run_batch
from drillbook.readiness.team import TEAMS_DIR, Absence, TeamModel, load_team
from drillbook.scenarios import library
from drillbook.simulator.events import Kind

FLAGSHIP = str(library.resolve(library.FLAGSHIP))
AGENCY = TEAMS_DIR / "article-agency.yaml"
ON_CALL = TEAMS_DIR / "on-call-with-backup.yaml"


def _team(path: Path = ON_CALL, **update: object) -> TeamModel:
    return load_team(path).model_copy(update=update)


def _decisions(spec: Spec, runs: int) -> list[list[dict]]:
    return [
        [e for e in play(spec, i)[0].history() if e["type"] == Kind.DECISION] for i in range(runs)
    ]


# ── the format ─────────────────────────────────────────────────────────────────────────
def test_team_model_errors_are_placed(cli, write) -> None:
    text = AGENCY.read_text(encoding="utf-8")
    bad = text.replace("  on_call: [sam]\n", "  on_call: [sam, nobody]\n")
    path = write("team.yaml", bad)
    line = bad.splitlines().index("  on_call: [sam, nobody]") + 1
    code, _, err = cli("simulate", "airline-pricing-0347", "--team", path, "--runs", 1)
    assert code == 2
    assert err.strip().splitlines() == [
        f"drillbook: {path}:{line}:18: unknown person 'nobody'; expected one of: sam, priya, mara, leo, jo, ana, ken"
    ]


def test_a_latency_needs_one_shape_and_a_wrong_field_is_named(cli, write) -> None:
    text = AGENCY.read_text(encoding="utf-8")
    bad = text.replace("answers: 0.04}\n  phone:", "answers: 0.04, empirical: [3]}\n  phone:")
    bad = bad.replace("escalate_after: 15", "escalate_afterr: 15")
    code, _, err = cli("simulate", "airline-pricing-0347", "--team", write("t.yaml", bad))
    assert code == 2
    lines = err.strip().splitlines()
    assert any("escalate_afterr" in e and "t.yaml:" in e for e in lines), lines
    assert any("exactly one of 'lognormal' or 'empirical'" in e for e in lines), lines


def test_an_escalation_dead_end_and_an_unknown_source_are_placed(cli, write) -> None:
    text = AGENCY.read_text(encoding="utf-8")
    dead = text.replace(
        "  data_lead: [incident_commander]\n  communications",
        "  data_lead: [legal_advisor]\n  communications",
    ).replace("  legal_advisor: [incident_commander]\n", "  legal_advisor: [data_lead]\n")
    code, _, err = cli("simulate", "airline-pricing-0347", "--team", write("d.yaml", dead))
    assert code == 2 and "dead end: an escalation from 'data_lead' never reaches" in err
    unknown = text.replace("  pricing-dashboard: {credentials", "  pricing-dashbord: {credentials")
    code, _, err = cli("simulate", "airline-pricing-0347", "--team", write("u.yaml", unknown))
    line = unknown.splitlines().index("  pricing-dashbord: {credentials: held, by: [mara]}") + 1
    assert code == 2 and f"u.yaml:{line}:" in err and "unknown source 'pricing-dashbord'" in err


def test_the_committed_team_schema_has_not_drifted_and_accepts_the_bundled_teams() -> None:
    import jsonschema
    import yaml

    import drillbook
    from drillbook.commands.schema import schema_for

    committed = Path(drillbook.__file__).parent / "schema" / "team.schema.json"
    assert committed.read_text(encoding="utf-8") == schema_for("team")
    validator = jsonschema.Draft7Validator(json.loads(committed.read_text(encoding="utf-8")))
    for path in TEAMS_DIR.glob("*.yaml"):
        validator.validate(yaml.safe_load(path.read_text(encoding="utf-8")))


# ── the responders ─────────────────────────────────────────────────────────────────────
def test_an_unreachable_role_never_acts() -> None:
    team = load_team(ON_CALL)
    away = Absence(reason="sick", probability=1.0)
    gone = [p.model_copy(update={"absent": [away]}) if p.id == "ana" else p for p in team.people]
    spec = Spec(FLAGSHIP, team.model_copy(update={"people": gone}), seed=3)
    runs = _decisions(spec, 6)
    assert all(e["role"] != "data_lead" for run in runs for e in run)
    # …while the roles that are filled do act, and the team still reaches the feed report
    assert all(any(e["role"] == "technical_lead" for e in run) for run in runs)


def test_a_person_without_access_never_investigates_that_source() -> None:
    base = load_team(ON_CALL)
    access = {**base.access, "inventory-feed-freshness": {"credentials": "held", "by": ["mara"]}}
    team = TeamModel.model_validate({**base.model_dump(by_alias=True), "access": access})
    runs = _decisions(Spec(FLAGSHIP, team, seed=5), 6)
    feed = [
        e for run in runs for e in run if e["params"].get("source") == "inventory-feed-freshness"
    ]
    assert feed == []  # mara, who holds it, is on vacation
    others = [e for run in runs for e in run if e["action"] == "investigate"]
    assert others, "the team still investigates what it can reach"
    # the evidence then only arrives with the vendor's e-mail at +6:00
    diagnoses = [e["sim"] for run in runs for e in run if e["action"] == "diagnose"]
    assert diagnoses and min(diagnoses) >= 360


def test_a_wrong_cause_is_followed_by_the_true_one() -> None:
    team = _team(
        AGENCY, diagnosis=load_team(AGENCY).diagnosis.model_copy(update={"wrong_cause": 1.0})
    )
    for run in _decisions(Spec(FLAGSHIP, team, seed=2), 3):
        causes = [e["params"]["root_cause"] for e in run if e["action"] == "diagnose"]
        assert len(causes) == 2 and causes[0] != causes[1] == "stale-inventory-feed"


# ── executors and seeds ────────────────────────────────────────────────────────────────
def test_the_same_seed_gives_the_same_figures_whatever_the_workers_and_executor() -> None:
    spec = Spec(FLAGSHIP, load_team(AGENCY), seed=11)
    inline = run_all(spec, 6, Inline())
    pool = run_all(spec, 6, Processes(2), workers=2)
    dask = run_all(spec, 6, Dask(workers=2), workers=2)
    assert inline == pool == dask
    assert run_batch(spec, [4]) == [inline[4]]  # a run does not depend on its batch
    assert (
        len(
            {
                r.meters["revenue_lost"]
                for r in run_all(Spec(FLAGSHIP, load_team(ON_CALL), seed=11), 6, Inline())
            }
        )
        > 1
    )


def _counted_batch(spec: Spec, batch: list[int]) -> list:
    """A batch that only notes that it ran (in a worker) and takes a moment."""
    with open(os.environ["DRILLBOOK_TEST_BATCHES"], "a") as f:
        f.write(f"{batch[0]}\n")
    time.sleep(0.01)
    return []


def test_a_pool_stopped_midway_plays_no_more_batches(monkeypatch, tmp_path) -> None:
    """Ctrl+C (or any error) in the caller ends the pool's workers at once: leaving the
    pool's ``with`` waited for every batch still queued — minutes of a long simulation."""
    count = tmp_path / "batches"
    monkeypatch.setenv("DRILLBOOK_TEST_BATCHES", str(count))
    monkeypatch.setattr(executors, "run_batch", _counted_batch)
    runs = Processes(2).map(Spec(FLAGSHIP, load_team(AGENCY), seed=1), [[i] for i in range(300)])
    next(runs)
    runs.close()  # what an exception in the caller's loop does to the generator
    assert len(count.read_text().split()) < 100
    assert not multiprocessing.active_children()


def test_the_ablation_finds_a_planted_weakness() -> None:
    team = load_team(ON_CALL)
    planted = team.model_copy(update={"on_call": [r for r in team.on_call if r.role != "on_call"]})
    spec = Spec(FLAGSHIP, planted, seed=4)
    runs = 10
    baseline = run_all(spec, runs, Inline())
    rows = ablation.weakest_links(
        spec,
        baseline,
        "revenue_lost",
        runs,
        lambda sp, n: run_all(sp, n, Inline()),
        list(library_roles()),
    )
    assert rows[0]["change"] == "on_call:on_call", rows[:3]
    assert rows[0]["saved"] > 100_000 and rows[0]["saved"] > rows[1]["saved"]


def library_roles() -> list[str]:
    from drillbook.scenarios import load

    return list(load(FLAGSHIP).scenario.role_ids)


# ── the article's night ────────────────────────────────────────────────────────────────
def test_article_agency_reproduces_the_articles_night(cli) -> None:
    code, out, _ = cli(
        "simulate", "airline-pricing-0347", "--team", "article-agency", "--runs", 120,
        "--workers", 2, "--json", "--vs", "on-call-with-backup",
    )  # fmt: skip
    assert code == 0
    doc = json.loads(out)
    s = doc["summary"]
    ack, cause = s["milestones"]["acknowledge"]["median"], s["milestones"]["root_cause"]["median"]
    assert 3 * 60 + 13 <= ack <= 3 * 60 + 58  # discovery around 07:30 (07:00 – 07:45)
    assert 3 * 60 <= cause - ack <= 5 * 60  # about four hours to the root cause
    assert abs(s["meters"]["revenue_lost"]["median"] - 2_100_000) <= 0.15 * 2_100_000
    saved = doc["comparison"]["meters"]["revenue_lost"]["saved"]
    assert saved["p5"] > 0 and saved["median"] > 1_000_000  # what the plan is worth


def test_another_plan_is_compared_on_the_same_seeds(cli, tmp_path) -> None:
    """``--vs-plan``: the same team under another plan. An identical copy saves exactly
    nothing on the same seeds; a plan that changes who contains moves the nights, and each
    side's readiness is said to be against its own plan."""
    plan = (library.LIBRARY_DIR.parent / "plans" / "default.yaml").read_text()
    copy = tmp_path / "copy.yaml"
    copy.write_text(plan)
    only_lead = tmp_path / "only-lead.yaml"
    only_lead.write_text(
        plan.replace("id: default", "id: only-lead", 1).replace(
            "action: contain\n    role: technical_lead\n    roles: [technical_lead, on_call]",
            "action: contain\n    role: technical_lead\n    roles: [technical_lead]",
        )
    )
    assert (
        only_lead.read_text().count("roles: [technical_lead, on_call]")
        == plan.count("roles: [technical_lead, on_call]") - 1
    )
    base = ["simulate", FLAGSHIP, "--team", "article-agency", "--runs", 40, "--executor", "inline"]

    code, out, _ = cli(*base, "--json", "--vs-plan", copy)
    c = json.loads(out)["comparison"]
    assert code == 0 and c["same_plan"] and c["other"] == "plan default (other side)"
    spreads = [m["saved"] for m in c["meters"].values()]
    spreads += [m["sooner_by"] for m in c["milestones"].values()]
    assert all(x[k] == 0 for x in spreads for k in ("p5", "median", "p95"))

    code, out, _ = cli(*base, "--json", "--vs-plan", only_lead)
    doc = json.loads(out)
    c = doc["comparison"]
    assert code == 0 and not c["same_plan"] and doc["plan"]["id"] == "default"
    assert (c["this"], c["other"], c["other_plan"]["id"]) == (
        "plan default",
        "plan only-lead",
        "only-lead",
    )
    contain = c["milestones"]["contain"]["sooner_by"]
    assert (contain["p5"], contain["p95"]) != (0, 0)  # some nights went otherwise
    code, out, _ = cli(*base, "--vs-plan", only_lead)
    assert "Against plan only-lead on the same seeds" in out
    assert "each side scored against its own plan" in out


def test_when_no_single_change_helps_the_fewest_that_do_together_are_found() -> None:
    """The article's night fails twice over: the incident commander and the technical lead
    both sleep through their pages. Neither rotation alone lowers the median loss; together
    they do — which is what a manager needs to hear instead of a column of "$0"."""
    spec = Spec(FLAGSHIP, load_team(AGENCY), seed=3)
    runs = 8

    def play(sp: Spec, n: int) -> list:
        return run_all(sp, n, Inline())

    baseline = play(spec, runs)
    roles = library_roles()
    singles = ablation.weakest_links(spec, baseline, "revenue_lost", runs, play, roles)
    assert all(row["saved"] <= 0 for row in singles)
    together = ablation.smallest_set(spec, baseline, "revenue_lost", runs, play, roles, singles)
    assert together is not None and together["found"], together
    assert set(together["changes"]) == {"on_call:incident_commander", "on_call:technical_lead"}
    assert together["saved"] > 1_000_000


def test_no_set_is_searched_when_a_single_change_already_helps() -> None:
    rows = [{"change": "on_call:on_call", "saved": 5.0, "median_contain": 30.0}]
    spec = Spec(FLAGSHIP, load_team(ON_CALL), seed=1)
    assert ablation.smallest_set(spec, [], "revenue_lost", 1, None, [], rows) is None  # type: ignore[arg-type]


def test_the_progress_bar_rewrites_its_line_past_the_control_character_filter(monkeypatch) -> None:
    """The CLI shows control characters from data as pictures (␍ for a carriage return); the
    bar's own carriage return must reach the terminal as one, or the bars pile up on a line."""
    import io

    from drillbook.cli import _VisibleStream
    from drillbook.commands.simulate import _Progress

    raw = io.StringIO()
    monkeypatch.setattr(sys, "stderr", _VisibleStream(raw))
    bar = _Progress(4)
    bar.step(2)
    bar.step(2)
    assert raw.getvalue().count("\r") == 2 and "\u240d" not in raw.getvalue()
    sys.stderr.write("a title with \r in it")
    assert "\u240d" in raw.getvalue()  # data still goes through the filter


def test_bad_simulation_options_are_refused_in_one_line_before_any_run(cli, tmp_path, monkeypatch):

    base = ("simulate", "airline-pricing-0347", "--team", "article-agency", "--runs", 2)
    refusals = {
        ("--weakest", "--weakest-runs", 0): "--weakest-runs: expected 1 or more, got 0",
        ("--scheduler", "tcp://127.0.0.1:8786"): "expected it with --executor dask",
        ("--report", "-o", tmp_path / "no" / "r.html"): "no folder",
        ("--report", "-o", tmp_path): "is a folder",
    }
    for extra, message in refusals.items():
        code, _, err = cli(*base, "--workers", 1, *extra)
        assert code == 2 and message in err and len(err.strip().splitlines()) == 1, (extra, err)


def test_a_report_never_clobbers_a_journal_or_an_input_but_replaces_its_own(cli, tmp_path):
    """``-o`` goes through the reports' clobber rules, checked before the runs: a journal
    or the scenario is refused (the scenario even with --force); an earlier simulation
    report of the same format is replaced."""
    journal = tmp_path / "night.jsonl"
    journal.write_text('{"seq": 0, "type": "run_started", "sim": 0.0}\n')
    scenario = tmp_path / "s.yaml"
    scenario.write_text(Path(FLAGSHIP).read_text())
    base = ("simulate", scenario, "--team", "article-agency", "--runs", 2, "--workers", 1)
    code, _, err = cli(*base, "--report", "-o", journal)
    assert code == 2 and "is a drillbook journal" in err and journal.read_text().startswith("{")
    code, _, err = cli(*base, "--report", "-o", scenario, "--force")
    assert code == 2 and "an input of this command" in err
    report = tmp_path / "r.md"
    for _ in range(2):
        code, _out, err = cli(*base, "--report", "--format", "md", "-o", report)
        assert (code, err) == (0, "") and "Generated by drillbook" in report.read_text()


def test_an_unreachable_dask_scheduler_is_a_clear_refusal(cli, monkeypatch):
    """Nobody listening at the address: one line naming it, not an internal error."""
    import socket

    from drillbook.readiness import executors

    monkeypatch.setattr(executors, "CONNECT_SECONDS", 1)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again below: nothing listens there
    address = f"tcp://127.0.0.1:{port}"
    code, _, err = cli(
        "simulate", "airline-pricing-0347", "--team", "article-agency", "--runs", 2,
        "--executor", "dask", "--scheduler", address,
    )  # fmt: skip
    assert code == 2 and f"--scheduler {address}: no Dask scheduler answered" in err


def test_durations_read_as_people_say_them() -> None:
    from drillbook.readiness.report import duration

    assert duration(187) == "3 h 07 min"
    assert duration(38) == "38 min"
    assert duration(-38.5) == "\u221238 min"  # a difference the other way, not "-0 h 38 min"
    assert duration(-150) == "\u22122 h 30 min"
    assert duration(None) == "—"


def test_an_inject_on_a_meter_threshold_is_heard_when_the_meter_crosses_it(tmp_path, monkeypatch):
    """A threshold is crossed at a time no wake-up list holds (1,000 tickets at 60 a minute:
    +0:16:40). The on-call engineer, already in the response, must hear the page then — not
    at whatever stop of the team's own work comes next."""
    from drillbook.readiness import autopilot

    text = Path(FLAGSHIP).read_text(encoding="utf-8")
    clients = Path(FLAGSHIP).parent / "clients"
    text = text.replace("client: clients/", f"client: {clients}/", 1)
    text = text.replace(
        "injects:\n",
        "injects:\n"
        "  - id: volume-page\n"
        "    when: {meter: tickets_sold, above: 1000}\n"
        "    to: [on_call]\n"
        "    channel: pager\n"
        "    title: Booking volume past 1,000 tickets\n"
        '    body: "Tickets sold at $14 so far: {tickets_sold}."\n',
        1,
    )
    variant = tmp_path / "threshold.yaml"
    variant.write_text(text, encoding="utf-8")
    heard: list[tuple[float, float]] = []
    original = autopilot.Autopilot._heard

    def spy(self, role, event):
        if event.get("inject") == "volume-page" and self.seats[role].joined is not None:
            heard.append((self.now, float(event["sim"])))
        return original(self, role, event)

    monkeypatch.setattr(autopilot.Autopilot, "_heard", spy)
    spec = Spec(str(variant), load_team(ON_CALL), seed=5)
    for i in range(6):
        play(spec, i)
    assert heard, "the on-call engineer was in the response by then in some night"
    assert all(now == pytest.approx(sim) for now, sim in heard), heard
    assert all(abs(sim - 1000 / 60) < 1e-6 for _, sim in heard)


# ── what a night leaves behind ─────────────────────────────────────────────────────────
def test_a_played_nights_people_go_when_dropped_without_the_cyclic_collector() -> None:
    """The seats leave the session at the end of play, and an ended engine drops its queued
    wake-ups: no cycle is left, so dropping a night frees all of it by reference counting
    (every run's graph used to wait for the cyclic collector, a third of a run's time)."""
    spec = Spec(FLAGSHIP, _team(), seed=3)
    was = gc.isenabled()
    gc.disable()
    try:
        session, pilot = play(spec, 0)
        gone = [weakref.ref(x) for x in (pilot, session, session._engine)]
        assert session.history()[-1]["type"] == Kind.RUN_ENDED
        del session, pilot
        assert [ref() for ref in gone] == [None, None, None]
    finally:
        if was:
            gc.enable()


def test_a_batch_sets_the_standing_data_aside_and_thaws_it_after(monkeypatch) -> None:
    """During a batch the loaded scenario and the imported modules are frozen (never
    rescanned by the collector); after it, nothing stays frozen, and a process that froze
    objects of its own keeps them frozen."""
    seen: list[int] = []
    real = runner.run_one
    monkeypatch.setattr(
        runner, "run_one", lambda s, i: seen.append(gc.get_freeze_count()) or real(s, i)
    )
    spec = Spec(FLAGSHIP, _team(), seed=3)
    assert gc.get_freeze_count() == 0
    alone = runner.run_batch(spec, [0, 1])
    assert len(seen) == 2 and min(seen) > 1000
    assert gc.get_freeze_count() == 0
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        assert runner.run_batch(spec, [0, 1]) == alone
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()


SMALL_TEAMS = ("small-team-no-rotation", "small-team-on-call")


@pytest.mark.parametrize("scenario_id", [p.stem for p in library.bundled()])
def test_the_small_team_models_fit_every_bundled_scenario(scenario_id: str) -> None:
    """They name no scenario's sources, so a manager can start from them on any scenario:
    every role is filled and every run plays and is scored."""
    scenario = str(library.resolve(scenario_id))
    for team_id in SMALL_TEAMS:
        results = run_batch(
            Spec(scenario, load_team(TEAMS_DIR / f"{team_id}.yaml"), seed=3), [0, 1]
        )
        assert all(r.acted.get("on_call", 0) > 0 for r in results), (scenario_id, team_id)


def test_on_the_flagships_night_the_small_teams_rotation_saves_money() -> None:
    def median_loss(team_id: str) -> float:
        spec = Spec(FLAGSHIP, load_team(TEAMS_DIR / f"{team_id}.yaml"), seed=4)
        losses = sorted(r.meters["revenue_lost"] for r in run_batch(spec, list(range(15))))
        return losses[len(losses) // 2]

    without, with_rotation = (median_loss(t) for t in SMALL_TEAMS)
    assert with_rotation < without / 2, (without, with_rotation)


def test_the_loss_histogram_keeps_a_long_tail_in_its_last_bar_and_says_so() -> None:
    """A few nights far beyond the rest (containment never came) would squeeze every other
    night into the first bar: the bins stop at the 99th percentile and the last says "≥"."""
    from drillbook.readiness.report import histogram, value

    losses = [1_000_000.0 + 1_000 * i for i in range(300)] + [50_000_000.0]
    svg = histogram([("team", losses)], "money")
    assert "≥ $1,29" in svg and "$50,000,000" not in svg.split("</title>")[1]
    heights = [float(h) for h in re.findall(r'height="([0-9.]+)"/>', svg)][:20]
    assert sum(1 for h in heights if h > 0) >= 15  # the nights spread over the bins
    assert "<title>Histogram of 301 nights (team)" in svg
    even = histogram([("team", [1.0, 2.0, 3.0])], "count")
    assert "≥" not in even
    assert value(-19_303.2, "money") == "\u2212$19,303" and value(-0.2, "money") == "$0"


def test_a_batch_puts_the_collectors_thresholds_back() -> None:
    """A batch raises the collector's first threshold while it plays (a night leaves no
    cycle for it to find) and puts every threshold back after, an error or not."""
    before = gc.get_threshold()
    seen: list[tuple[int, ...]] = []
    with runner._standing_set_aside():
        seen.append(gc.get_threshold())
    assert seen[0][0] >= runner._YOUNG_DURING_BATCH and seen[0][1:] == before[1:]
    assert gc.get_threshold() == before
    with pytest.raises(RuntimeError), runner._standing_set_aside():
        raise RuntimeError("a run failed")
    assert gc.get_threshold() == before and not gc.get_freeze_count()


def test_a_team_on_call_keeps_the_update_cadence_without_flooding_it() -> None:
    """The incident commander starts each update ahead of its time, so the time it takes to
    write lands inside the hour; and updates come about once an interval, not more."""
    from drillbook.scoring import score

    spec = Spec(FLAGSHIP, _team(), seed=6)
    sh = runner.shared(spec)
    met = 0
    for i in range(20):
        events = play(spec, i)[0].history()
        card = score(sh.loaded.scenario, sh.plan, events, sh.client)
        rule = card.rule("status-cadence")
        assert rule is not None
        met += rule.status == "met"
        updates = [
            e["sim"]
            for e in events
            if e["type"] == Kind.DECISION
            and e["action"] == "status_update"
            and e["params"].get("audience") == "response_team"
        ]
        assert all(b - a >= 30 for a, b in pairwise(updates)), updates
    assert met >= 12, met
