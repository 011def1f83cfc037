"""The host and join commands as a person types them: one line and status 2 for every bad
argument; TLS when asked; the headless seat from the command line."""

from __future__ import annotations

import asyncio
import json
import shutil
import ssl
import subprocess
from pathlib import Path

import pytest
from drillbook.net.remote import JoinError, RemoteSession
from drillbook.net.seats import SeatCodes, read_codes, seats_for
from netkit import HostThread

from drillbook.cli import main


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["host", "--bind", "0.0.0.0", "--headless"], "--bind: 0.0.0.0 is not loopback"),
        (["host", "--bind", "my-laptop", "--headless"], "is not an IP address"),
        (["host", "--cert", "c.pem", "--headless"], "expected both --cert and --key"),
        (["host", "--evaluators", "500", "--headless"], "--evaluators: 500 is out of range"),
        (["host", "--speed", "500", "--headless"], "--speed"),
        (["join", "http://example.org", "--code", "x"], "expected ws://HOST:PORT"),
        (["join", "ws://127.0.0.1:9"], "no join code given"),
        (["join", "ws://[::1", "--code", "x"], "not a host address (Invalid IPv6 URL)"),
        (["join", "ws://127.0.0.1:99999", "--code", "x"], "not a host address (Port out of"),
        (["join", "wss://127.0.0.1:abc", "--code", "x"], "not a host address (Port could"),
        (["join", "wss://127.0.0.1:9", "--code", "x", "--cafile", "gone.pem"], "as a CA certif"),
        (["host", "--codes", ".", "--headless"], ".: is a folder; expected a file"),
        (["serve", "--bind", "10.0.0.1"], "is not loopback"),
        (["serve", "--port", "99999"], "--port: 99999 is not a port"),
        (["serve", "--host-url", "http://example.org"], "--host-url: http://example.org: not a"),
        (["serve", "--public-url", "example.org"], "--public-url: example.org is not a web"),
    ],
)
def test_a_bad_argument_is_one_line(argv, says, capsys, monkeypatch, tmp_path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DRILLBOOK_CODE", raising=False)
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and says in err[0] and "Traceback" not in err[0]
    assert not list(tmp_path.glob("runs/*.jsonl"))  # nothing began


def test_codes_are_not_written_over_a_file_that_holds_something_else(
    capsys, monkeypatch, tmp_path
) -> None:
    """``--codes roster.yaml`` (a slip of the tab key) refuses and leaves the file be."""
    monkeypatch.chdir(tmp_path)
    roster = tmp_path / "roster.yaml"
    roster.write_text("roles: {on_call: Sam}\n")
    assert main(["host", "--codes", str(roster), "--headless"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "holds something other than seat codes" in err[0]
    assert roster.read_text() == "roles: {on_call: Sam}\n"
    assert not list(tmp_path.glob("runs/*.jsonl"))  # nothing began


def test_a_host_nobody_runs_is_one_line(capsys) -> None:
    assert main(["join", "ws://127.0.0.1:9", "--code", "x"]) == 2
    err = capsys.readouterr().err
    assert "cannot reach the host" in err and len(err.strip().splitlines()) == 1


def test_codes_files_are_the_owners_alone(tmp_path: Path) -> None:
    codes = SeatCodes(seats_for(["on_call"], 1, 1))
    target = tmp_path / "codes.json"
    planted = tmp_path / "elsewhere"
    (tmp_path / ".codes.json.tmp").symlink_to(planted)  # a link where the new file goes
    codes.write(target)
    assert not planted.exists() and target.stat().st_mode & 0o777 == 0o600
    assert read_codes(target) == codes.codes()
    assert set(codes.codes()) == {"facilitator", "on_call", "evaluator-1", "observer-1"}
    assert all(len(c) == 32 for c in codes.codes().values())  # 24 random bytes, 192 bits


async def test_the_headless_seat_from_the_command_line(tmp_path: Path, capsys) -> None:
    hosted = HostThread()
    table = hosted.table
    events = tmp_path / "seen.jsonl"
    transcript = tmp_path / "t.yaml"
    transcript.write_text(
        "scenario: airline-pricing-0347\nactions:\n"
        '  - {at: "+0:07", role: on_call, action: acknowledge, re: anomaly-alert}\n'
        '  - {at: "+0:08", role: legal_advisor, action: acknowledge}\n',
        encoding="utf-8",
    )
    argv = [
        "join",
        table.url,
        "--code",
        table.codes["on_call"],
        "--transcript",
        str(transcript),
        "--events",
        str(events),
    ]
    playing = asyncio.create_task(asyncio.to_thread(main, argv))
    try:
        async with asyncio.timeout(10):
            while not hosted.call(lambda: "on_call" in table.host.live):
                await asyncio.sleep(0.01)
        hosted.call(table.at, 9)
        async with asyncio.timeout(10):
            while not any(e["type"] == "action_taken" for e in hosted.call(table.session.history)):
                await asyncio.sleep(0.01)
        hosted.call(table.session.end)
        assert await playing == 0
    finally:
        hosted.close()
    assert "on_call: 1 decisions recorded, 0 refused" in capsys.readouterr().out
    seen = [json.loads(line) for line in events.read_text().splitlines()]
    assert [e["type"] for e in seen][-1] == "run_ended"
    assert all(e["type"] != "inject_delivered" or "on_call" in e["to"] for e in seen)


@pytest.mark.skipif(shutil.which("openssl") is None, reason="no openssl to make a certificate")
async def test_a_tls_host_and_a_seat_that_trusts_its_certificate(tmp_path: Path) -> None:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )

    from drillbook.commands.host import tls_context

    server = tls_context(str(cert), str(key))
    hosted = HostThread(start=False)
    table = hosted.table
    hosted.run(table.host.close())
    port = hosted.run(table.host.start("127.0.0.1", 0, ssl=server))
    trusting = ssl.create_default_context(cafile=str(cert))
    remote = await asyncio.to_thread(
        RemoteSession(f"wss://127.0.0.1:{port}", table.codes["on_call"], ssl=trusting).connect
    )
    assert remote.seat == "on_call"
    await asyncio.to_thread(remote.close)
    with pytest.raises(JoinError, match="certificate"):  # a seat that does not trust it
        await asyncio.to_thread(
            RemoteSession(
                f"wss://127.0.0.1:{port}", table.codes["on_call"], ssl=ssl.create_default_context()
            ).connect
        )
    hosted.close()
