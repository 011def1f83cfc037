"""A joined console: the same screens as local play, over a RemoteSession — only the seat's
own console opens, injects arrive through the app's timer, decisions go to the host."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

from drillbook.net.remote import RemoteSession
from drillbook.simulator import commands
from drillbook.tui.factory import make_app
from drillbook.tui.role.inbox import Inbox
from netkit import HostThread


async def until(pilot, test, limit: float = 15.0) -> None:
    async with asyncio.timeout(limit):
        while not test():
            pilot.app.tick_clock()
            await pilot.pause()


def scored_host() -> HostThread:
    """The flagship hosted with the scorer ``drillbook host`` gives it (the bundled plan)."""
    from drillbook.scenarios import library, load

    from drillbook.commands.play import make_scorer, plan_loader

    loaded = load(library.resolve(library.FLAGSHIP))
    return HostThread(loaded=loaded, scorer=make_scorer(loaded, plan_loader(None)))


@contextlib.asynccontextmanager
async def seated(hosted: HostThread, seat: str, **app: Any) -> AsyncIterator[tuple[Any, Any, Any]]:
    """A console joined to ``hosted`` at ``seat`` and running under Pilot: (remote, app,
    pilot). The seat leaves and the host stops afterwards, whatever the test did."""
    try:
        table = hosted.table
        remote = await asyncio.to_thread(RemoteSession(table.url, table.codes[seat]).connect)
        try:
            console = make_app(session=remote, **app)
            async with console.run_test() as pilot:
                await pilot.pause()
                yield remote, console, pilot
        finally:
            await asyncio.to_thread(remote.close)
    finally:
        hosted.close()


def acknowledge_on_the_host(hosted: HostThread) -> None:
    """On-call acknowledges the anomaly alert at +0:08, on the host's own session."""
    from drillbook.simulator.commands import Decide

    table = hosted.table
    hosted.call(table.at, 8)
    hosted.call(
        table.session.apply, Decide.of("on_call", {"action": "acknowledge", "re": "anomaly-alert"})
    )


async def test_a_role_console_joined_over_the_network_plays_its_own_seat() -> None:
    hosted = HostThread()
    table = hosted.table
    async with seated(hosted, "on_call", seats=["on_call"]) as (_, app, pilot):
        assert app.seats == ["on_call"] and app.current_mode == "on_call"
        hosted.call(table.at, 7)  # the anomaly alert pages on-call at +0:06
        await until(pilot, lambda: app.screen.query_one(Inbox).row_count == 1)
        event = app.submit("on_call", {"action": "acknowledge", "re": "anomaly-alert"})
        assert event is not None and event["sim"] == 7
        assert not app.submit("legal_advisor", {"action": "acknowledge"})  # not this seat's
        journaled = hosted.call(table.session.history)
        decisions = [e for e in journaled if e["type"] == "action_taken"]
        assert [(d["role"], d["action"]) for d in decisions] == [("on_call", "acknowledge")]
        await pilot.press("ctrl+q")


async def test_the_facilitator_joins_with_the_msel_and_the_clock() -> None:
    hosted = HostThread()
    table = hosted.table
    async with seated(hosted, "facilitator") as (remote, app, pilot):
        assert app.current_mode == "facilitator"
        hosted.call(table.at, 30)
        await until(pilot, lambda: remote.snapshot().reached >= 30)
        snap = remote.snapshot()
        assert snap.upcoming and snap.meters  # the facilitator's own: the MSEL, the meters
        assert app.apply(commands.pause_clock())
        assert hosted.call(lambda: table.session.snapshot().running) is False
        lines = app.finish()  # the hot wash's last step, from the facilitator's own seat
        assert hosted.call(lambda: table.session.ended) and lines
        await until(pilot, lambda: remote.ended)
        await pilot.press("ctrl+q")


async def test_an_evaluator_sees_decisions_with_verdicts_and_records_a_note() -> None:
    from drillbook.tui.follow_screen import FollowScreen
    from textual.widgets import DataTable, Input

    hosted = scored_host()
    table = hosted.table
    async with seated(hosted, "evaluator-1", seats=["evaluator-1"]) as (remote, app, pilot):
        screen = app.screen
        assert isinstance(screen, FollowScreen) and screen.evaluator
        acknowledge_on_the_host(hosted)
        story = screen.query_one(DataTable)
        await until(pilot, lambda: remote.verdicts)
        await until(pilot, lambda: "met" in str(story.get_row_at(story.row_count - 1)[-1]))
        await pilot.press("e")
        app.screen.query_one("#text", Input).value = "On-call owned the page at once"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: story.row_count == 3)  # the inject, the decision, the note
        journaled = hosted.call(table.session.history)
        assert journaled[-1]["type"] == "evaluator_note"
        assert journaled[-1]["text"] == "On-call owned the page at once"
        await pilot.press("ctrl+q")


async def test_a_facilitator_joined_over_the_network_sees_the_host_scorers_verdicts() -> None:
    """The plan and client are the host's, so a joined facilitator has no scorer of its own:
    the Decisions tab shows the host scorer's verdicts instead of "(no scorer)"."""
    from drillbook.tui.widgets.decision_log import NO_SCORER, DecisionLog

    hosted = scored_host()
    async with seated(hosted, "facilitator") as (_, app, pilot):
        acknowledge_on_the_host(hosted)
        log = app.screen.query_one(DecisionLog)
        await until(pilot, lambda: log.row_count == 1)
        assert NO_SCORER not in str(log.get_row_at(0)[2])
        await until(pilot, lambda: "met" in str(log.get_row_at(0)[2]))
        await pilot.press("ctrl+q")


async def test_an_observer_follows_the_public_story_and_records_nothing() -> None:
    from drillbook.tui.follow_screen import FollowScreen

    hosted = HostThread()
    table = hosted.table
    async with seated(hosted, "observer-1", seats=["observer-1"]) as (remote, app, pilot):
        screen = app.screen
        assert isinstance(screen, FollowScreen) and not screen.evaluator
        assert screen.check_action("note", ()) is False
        hosted.call(table.at, 60)  # deal sites post the $14 fares (social) at +0:40
        await until(pilot, lambda: any(e["type"] == "inject_delivered" for e in remote.history()))
        assert all(
            e["channel"] in ("news", "social")
            for e in remote.history()
            if e["type"] == "inject_delivered"
        )
        await pilot.press("ctrl+q")


async def test_the_join_form_asks_for_the_code_and_becomes_the_seat() -> None:
    from drillbook.tui.join_app import JoinApp, JoinScreen
    from drillbook.tui.role.screen import RoleScreen
    from textual.widgets import Input, Label

    from drillbook.commands.join import joiner

    hosted = HostThread()
    table = hosted.table
    app = JoinApp(joiner(), table.url)
    try:
        async with app.run_test() as pilot:
            await pilot.pause()
            form = app.screen
            assert isinstance(form, JoinScreen)
            form.query_one("#code", Input).value = "not-a-code"
            await pilot.press("enter")
            problem = form.query_one("#join-problem", Label)
            await until(pilot, lambda: "opens no seat" in str(problem.render()))
            form.query_one("#code", Input).value = table.codes["data_lead"]
            await pilot.press("enter")
            await until(pilot, lambda: isinstance(app.screen, RoleScreen))
            assert app.screen.role == "data_lead" and app.seats == ["data_lead"]
            assert hosted.call(table.host.connected) == ["data_lead"]
            await pilot.press("ctrl+q")
    finally:
        if app.session is not None:
            await asyncio.to_thread(app.session.close)
        hosted.close()
