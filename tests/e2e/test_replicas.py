"""Scale-out: two relay processes on one PostgreSQL and one Redis (issue: replicas)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # the desktop bridge test below

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from websockets.asyncio.client import connect

from tests import services
from tests.conftest import WEBHOOK_TOKEN, CliRelay, auth, run_cli
from tests.relay.test_events_socket import event, history

pytestmark = pytest.mark.services


@pytest.fixture
def replicas(tmp_path: Path) -> Iterator[tuple[CliRelay, CliRelay, str]]:
    """Replicas A and B sharing a fresh database and a Redis key prefix of their own."""
    db = services.create_database()
    prefix = services.redis_prefix()
    env = {"TRUBKA_RELAY_REDIS_URL": services.REDIS, "TRUBKA_RELAY_REDIS_PREFIX": prefix}
    run_cli(tmp_path / "a", "provider", "set", "prostiezvonki", "--webhook-token",
            WEBHOOK_TOKEN, database_url=db)
    token = run_cli(tmp_path / "a", "users", "add", "--name", "Иванов", "--ext", "100",
                    database_url=db).strip().splitlines()[-1]
    a = CliRelay(tmp_path / "a", db, env).start()
    b = CliRelay(tmp_path / "b", db, env).start()
    try:
        yield a, b, token
    finally:
        a.stop()
        b.stop()
        services.drop_database(db)


class FailoverClient:
    """A desktop-like client configured with several relay URLs, tried in order, that
    keeps the last seq it saw and resumes with `since`."""

    def __init__(self, urls: list[str], token: str) -> None:
        self.urls = urls
        self.token = token
        self.since: int | None = None
        self.frames: list[dict[str, object]] = []
        self.used: list[str] = []
        self.greeted = asyncio.Event()

    async def session(self, until: int) -> None:
        """Connect to the first relay that answers; read until `until` frames arrived."""
        for url in self.urls:
            query = f"?since={self.since}" if self.since is not None else ""
            try:
                ws = await connect(f"{url}/api/v1/events{query}",
                                   additional_headers=auth(self.token), open_timeout=3)
            except OSError:
                continue
            self.used.append(url)
            try:
                hello = json.loads(await asyncio.wait_for(ws.recv(), 5))
                assert hello["type"] == "hello" and hello["replay_complete"] is True
                if self.since is None:
                    self.since = hello["seq"]
                self.greeted.set()
                while len(self.frames) < until:
                    frame = json.loads(await asyncio.wait_for(ws.recv(), 10))
                    self.frames.append(frame)
                    self.since = frame["seq"]
            finally:
                await ws.close()
            return
        raise AssertionError("no relay reachable")


async def test_webhooks_on_a_reach_a_client_on_b_and_survive_b_dying(
        replicas: tuple[CliRelay, CliRelay, str]) -> None:
    """Frames cross replicas via Redis; after B is SIGKILLed the client resumes on A with
    `since`, and a webhook retried on the other replica is journaled once."""
    a, b, token = replicas
    client = FailoverClient([b.ws_url, a.ws_url], token)
    async with httpx.AsyncClient(timeout=10) as http:
        reader = asyncio.create_task(client.session(until=1))
        await asyncio.wait_for(client.greeted.wait(), 10)  # subscribed on B
        assert (await http.post(a.url + "/hooks/prostiezvonki",
                                json=event("INCOMING", "rep-1"))).is_success
        await asyncio.wait_for(reader, 10)
        assert client.used == [b.ws_url]
        assert client.frames[0]["call"]["state"] == "ringing"  # type: ignore[index]

        b.kill()
        # While the client is away: the same history retried on both replicas.
        done = history("rep-1", "success", duration=42)
        assert (await http.post(a.url + "/hooks/prostiezvonki", json=done)).is_success
        assert (await http.post(a.url + "/hooks/prostiezvonki", json=done)).is_success
        await client.session(until=3)
        assert client.used == [b.ws_url, a.ws_url]
        states = [f["call"]["state"] if f["type"] == "call" else f["type"]
                  for f in client.frames]
        assert states == ["ringing", "ended", "journal"]
        seqs = [f["seq"] for f in client.frames]
        assert seqs == sorted(set(seqs)) and seqs == list(range(seqs[0], seqs[0] + 3))

        journal = (await http.get(a.url + "/api/v1/calls", headers=auth(token))).json()
        assert [(e["status"], e["duration"]) for e in journal] == [("answered", 42)]


async def test_concurrent_retries_on_both_replicas_journal_once(
        replicas: tuple[CliRelay, CliRelay, str]) -> None:
    """The same webhooks hitting both replicas at once yield one call and one entry."""
    a, b, token = replicas
    async with httpx.AsyncClient(timeout=10) as http:
        for n in range(5):
            posts = [event("INCOMING", f"c{n}"), history(f"c{n}", "missed")]
            for body in posts:
                replies = await asyncio.gather(
                    http.post(a.url + "/hooks/prostiezvonki", json=body),
                    http.post(b.url + "/hooks/prostiezvonki", json=body))
                assert [r.status_code for r in replies] == [200, 200], [r.text for r in replies]
        journal = (await http.get(b.url + "/api/v1/calls", headers=auth(token))).json()
    assert sorted(e["status"] for e in journal) == ["missed"] * 5
    assert len({e["call_id"] for e in journal}) == 5


async def test_seqs_stay_strictly_increasing_across_replicas(
        replicas: tuple[CliRelay, CliRelay, str]) -> None:
    """Calls for one user spread over both replicas: the client sees 1, 2, 3, … once each."""
    a, b, token = replicas
    async with connect(f"{a.ws_url}/api/v1/events", additional_headers=auth(token)) as ws:
        hello = json.loads(await ws.recv())
        async with httpx.AsyncClient(timeout=10) as http:
            await asyncio.gather(*(
                http.post((a if n % 2 else b).url + "/hooks/prostiezvonki",
                          json=event("INCOMING", f"s{n}")) for n in range(20)))
        seqs = [json.loads(await asyncio.wait_for(ws.recv(), 10))["seq"] for _ in range(20)]
    assert seqs == list(range(hello["seq"] + 1, hello["seq"] + 21))


def test_desktop_bridge_with_both_addresses_fails_over(
        qtbot, replicas: tuple[CliRelay, CliRelay, str]) -> None:  # type: ignore[no-untyped-def]
    """The desktop's own client, given "B A", stays on B while it works; when B is
    SIGKILLed it moves to A and resumes with `since`: every frame once, none lost."""
    from trubka.core.protocol import CallFrame, Hello, JournalFrame
    from trubka.desktop.bridge import LinkState, ReconnectPolicy, RelayBridge

    a, b, token = replicas
    bridge = RelayBridge(ReconnectPolicy(first=0.05, minimum=0.1, maximum=0.3, factor=1.5,
                                         ping_interval=1.0, ping_timeout=1.0,
                                         open_timeout=3.0))
    frames: list[object] = []
    bridge.frame.connect(frames.append)
    bridge.configure(f"{b.url} {a.url}", token)

    def post(relay: CliRelay, body: dict[str, object]) -> None:
        assert httpx.post(relay.url + "/hooks/prostiezvonki", json=body).status_code == 200

    def seqs() -> list[int]:
        return [f.seq for f in frames if not isinstance(f, Hello)]  # type: ignore[attr-defined]

    try:
        with qtbot.waitSignal(bridge.frame, timeout=10000,
                              check_params_cb=lambda f: isinstance(f, Hello)):
            bridge.start()
        assert bridge.relay_url == b.url
        post(a, event("INCOMING", "dsk-1"))
        qtbot.waitUntil(lambda: len(seqs()) == 1, timeout=10000)
        b.kill()
        post(a, history("dsk-1", "missed"))  # while the desktop is away
        qtbot.waitUntil(lambda: len(seqs()) == 3, timeout=15000)
        assert bridge.relay_url == a.url
        qtbot.waitUntil(lambda: bridge.current.state is LinkState.CONNECTED, timeout=10000)
        post(a, event("INCOMING", "dsk-2"))
        qtbot.waitUntil(lambda: len(seqs()) == 4, timeout=10000)
        got = seqs()
        assert got == list(range(got[0], got[0] + 4))  # in order, no gap, no duplicate
        kinds = [type(f).__name__ for f in frames if not isinstance(f, Hello)]
        assert kinds == ["CallFrame", "CallFrame", "JournalFrame", "CallFrame"]
        entry = next(f for f in frames if isinstance(f, JournalFrame)).entry
        assert entry.status.value == "missed"
        assert isinstance(frames[-1], CallFrame) and frames[-1].call.provider_call_id == "dsk-2"
    finally:
        bridge.shutdown()
