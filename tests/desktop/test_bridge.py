"""The bridge: events URL with `since`, the backoff with jitter, the since/dedupe rule
on a scripted socket, and the GUI thread never waiting for the loop."""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
import time
from typing import Any

from tests.desktop.conftest import FAST
from trubka.core.protocol import contacts_frame, hello_frame
from trubka.desktop.bridge import ReconnectPolicy, RelayBridge, events_url


def test_events_url() -> None:
    """http→ws, https→wss, a path prefix kept, `since` appended when known."""
    assert events_url("http://127.0.0.1:8765", None) == "ws://127.0.0.1:8765/api/v1/events"
    assert events_url("https://relay.example.ru/trubka/", 42) == (
        "wss://relay.example.ru/trubka/api/v1/events?since=42")


def test_backoff_grows_with_jitter_and_is_capped() -> None:
    """The first delay is a random fraction; later ones grow, jittered ±20 %, up to the cap."""
    policy = ReconnectPolicy(first=1.0, minimum=2.0, maximum=60.0, factor=1.7)
    delays = list(itertools.islice(policy.delays(), 30))
    assert 0 <= delays[0] <= 1.0
    assert 1.6 <= delays[1] <= 2.4
    assert all(d <= 60.0 * 1.2 for d in delays)
    assert min(delays[-5:]) >= 60.0 * 0.8  # reached the cap and stays there
    again = list(itertools.islice(policy.delays(), 30))
    assert again != delays  # jitter: two clients do not reconnect in lockstep


class ScriptedRelay:
    """A loopback WebSocket server playing one script of frames per connection and
    recording the path (with `since`) each connection asked for."""

    def __init__(self, scripts: list[list[dict[str, object]]]) -> None:
        self.scripts = scripts
        self.paths: list[str] = []
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()
        assert self.ready.wait(10)

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_until_complete(self._start())
        self.ready.set()
        self.loop.run_forever()

    async def _start(self) -> None:
        from websockets.asyncio.server import serve

        self.server = await serve(self._handle, "127.0.0.1", 0)
        self.port = self.server.sockets[0].getsockname()[1]  # type: ignore[index]

    async def _handle(self, ws: Any) -> None:
        self.paths.append(ws.request.path)
        index = min(len(self.paths), len(self.scripts)) - 1
        for frame in self.scripts[index]:
            await ws.send(json.dumps(frame))
        await ws.wait_closed()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        async def stop() -> None:
            self.server.close()
            await self.server.wait_closed()

        asyncio.run_coroutine_threadsafe(stop(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()


def contacts(seq: int) -> dict[str, object]:
    return contacts_frame(seq, seq)


def test_duplicates_skipped_and_a_gap_refilled(qtbot: Any) -> None:
    """Frames reach the GUI once each, in order: a duplicate is skipped, and a gap makes
    the bridge resume with `since` so the relay refills it (core.sequence)."""
    relay = ScriptedRelay([
        [hello_frame(3, "Иван", "100", [], True), contacts(4), contacts(4), contacts(5),
         contacts(7)],  # 4 twice; 6 missing
        [hello_frame(7, "Иван", "100", [], True), contacts(6), contacts(7), contacts(8)],
    ])
    bridge = RelayBridge(FAST)
    got: list[tuple[str, int]] = []
    positions: list[tuple[str, int]] = []
    bridge.frame.connect(lambda f: got.append((type(f).__name__, f.seq)))
    bridge.position.connect(lambda key, seq: positions.append((key, seq)))
    try:
        bridge.configure(relay.url, "trk_x", since=3)
        bridge.start()
        # each frame's position is a second queued signal: wait for it too
        qtbot.waitUntil(lambda: ("ContactsFrame", 8) in got and (relay.url, 8) in positions,
                        timeout=10_000)
    finally:
        bridge.shutdown()
        relay.close()
    assert [seq for kind, seq in got if kind == "ContactsFrame"] == [4, 5, 6, 7, 8]
    assert [seq for kind, seq in got if kind == "Hello"] == [3, 7]
    assert relay.paths == ["/api/v1/events?since=3", "/api/v1/events?since=5"]
    assert positions[-1] == (relay.url, 8)


def test_gui_calls_never_wait_for_the_loop(qtbot: Any) -> None:
    """configure, start, stop_socket and reconnect_now return at once even while the
    loop thread is busy: the GUI thread never waits for it (only shutdown does)."""
    bridge = RelayBridge(FAST)
    try:
        busy = bridge.run(lambda: _block(1.5))
        started = time.monotonic()
        bridge.configure("http://127.0.0.1:9", "trk_x")
        bridge.start()
        bridge.stop_socket()
        bridge.reconnect_now()
        assert time.monotonic() - started < 0.2
        busy.result(10)
    finally:
        bridge.shutdown()


async def _block(seconds: float) -> None:
    time.sleep(seconds)  # blocks the loop thread on purpose  # noqa: ASYNC251


async def test_a_client_in_use_is_closed_only_after_its_requests() -> None:
    """Failover or new settings replace the REST client; one a request still uses is
    closed when that request finishes, not under it."""
    from trubka.desktop.api import RelayApi
    from trubka.desktop.link import Clients

    clients = Clients()
    loop = asyncio.get_running_loop()
    first = RelayApi("http://127.0.0.1:9", "trk_x")
    clients.replace(first, loop)
    taken = clients.take()
    assert taken is first
    clients.replace(RelayApi("http://127.0.0.1:7", "trk_x"), loop)
    await asyncio.sleep(0)
    assert not first._http.is_closed  # still in use
    await clients.give_back(first)
    assert first._http.is_closed
    idle = clients.current
    clients.replace(None, loop)
    await asyncio.sleep(0.05)
    assert idle is not None and idle._http.is_closed  # nobody used it: closed at once
