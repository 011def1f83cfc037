"""Seats over RemoteSession: the headless seat reproduces the model team's journal, a seat
reconnects by itself after its connection drops, a refusal comes back as ActionRejected."""

from __future__ import annotations

import asyncio

import pytest
from drillbook.net import bot
from drillbook.net.remote import JoinError, RemoteSession
from drillbook.scenarios import library, load
from drillbook.scenarios.transcript import load_transcript
from drillbook.simulator.commands import Decide
from drillbook.simulator.headless import run_transcript
from drillbook.simulator.refusals import ActionRejected
from netkit import FLAGSHIP_MODEL, open_table, story


async def until(test, limit: float = 15.0) -> None:
    async with asyncio.timeout(limit):
        while not test():
            await asyncio.sleep(0.001)


async def test_the_headless_seat_plays_the_model_team_as_a_headless_run_does() -> None:
    loaded = load(library.resolve(library.FLAGSHIP))
    transcript = load_transcript(FLAGSHIP_MODEL)
    table = await open_table(loaded)
    remote = await asyncio.to_thread(RemoteSession(table.url, table.codes["facilitator"]).connect)
    playing = asyncio.create_task(asyncio.to_thread(bot.play, remote, transcript))
    session = table.session

    def decided() -> int:
        return sum(1 for e in session.history() if e["type"] == "action_taken")

    for t in sorted({d.at for d in transcript.decisions}):
        table.at(t)
        due = sum(1 for d in transcript.decisions if d.at <= t)
        await until(lambda due=due: decided() == due)
    table.at(float(loaded.scenario.ends))
    session.end()
    result = await playing
    await asyncio.to_thread(remote.close)
    await table.host.close()
    assert result.submitted == len(transcript.decisions) and not result.refused
    headless = run_transcript(loaded, transcript)
    assert story(session.history()) == story(headless.history())
    assert story(remote.history()) == story(headless.history())  # the seat saw it all too


async def test_a_seat_reconnects_by_itself_and_catches_up() -> None:
    table = await open_table()
    remote = await asyncio.to_thread(RemoteSession(table.url, table.codes["on_call"]).connect)
    table.at(5)
    conn = table.host.live["on_call"]
    await conn.ws.close()  # the network drops
    table.at(30)  # meanwhile the story goes on
    want = [e["seq"] for e in table.session.history("on_call")]
    await until(lambda: (remote.tick(), [e["seq"] for e in remote.history()])[1] == want)
    assert remote.reconnects >= 1
    event = await asyncio.to_thread(
        remote.apply, Decide.of("on_call", {"action": "acknowledge", "re": "anomaly-alert"})
    )
    assert event is not None and event["role"] == "on_call"
    with pytest.raises(ActionRejected, match="cannot decide for"):
        await asyncio.to_thread(remote.apply, Decide.of("legal_advisor", {"action": "acknowledge"}))
    snap = remote.snapshot()
    assert snap.running and snap.speed == 60 and snap.meters == {} and snap.upcoming == ()
    await asyncio.to_thread(remote.close)
    await table.host.close()


async def test_a_wrong_code_is_one_line() -> None:
    table = await open_table()
    with pytest.raises(JoinError, match="opens no seat"):
        await asyncio.to_thread(RemoteSession(table.url, "nope").connect)
    await table.host.close()
