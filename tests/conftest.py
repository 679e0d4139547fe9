"""Shared fixtures: a real relay on loopback, its CLI, WebSocket clients, a fake PBX."""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
from hypothesis import HealthCheck, settings
from websockets.asyncio.client import ClientConnection, connect

from tests import services
from tests.fakes.pbx import FakePbx
from trubka.relay import admin, cli
from trubka.relay.config import RelayConfig
from trubka.relay.server import RelayServer
from trubka.relay.store.db import Store
from trubka.relay.store.db import database_url as store_url

# Property tests check what the code answers, not how fast a shared two-core machine draws
# examples: no deadlines, no "input generation is slow" failures (a draw once took 2.3 s
# while the rest of the suite loaded both cores).
settings.register_profile("trubka", deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("trubka")

DATA = Path(__file__).parent / "data"
T = TypeVar("T")
WEBHOOK_TOKEN = "token123"

_cli_lock = threading.Lock()


def run_cli(data_dir: Path, *args: str, expect: int = 0, database_url: str | None = None) -> str:
    """Run `trubka-relay --data-dir D ARGS` in-process (own thread and loop); its stdout."""
    out = io.StringIO()
    result: dict[str, Any] = {}
    engine = ["--database-url", database_url] if database_url else []

    def target() -> None:
        try:
            result["code"] = cli.main(["--data-dir", str(data_dir), *engine, *args])
        except SystemExit as exc:
            result["code"] = exc.code

    with _cli_lock, contextlib.redirect_stdout(out):
        thread = threading.Thread(target=target)
        thread.start()
        thread.join()
    assert result.get("code") == expect, (args, result, out.getvalue())
    return out.getvalue()


def admin_call(data_dir: Path, work: Callable[[admin.Admin], Awaitable[T]],
               database_url: str | None = None) -> T:
    """Run one admin-layer operation on the relay's store (own thread and loop), as the
    CLI, the demo and the console do."""
    config = RelayConfig(data_dir=data_dir, database_url=database_url)

    async def go() -> T:
        async with admin.open_admin(config) as session:
            return await work(session)

    return services.run(go())


def add_user(data_dir: Path, name: str, ext: str, pbx_user: str = "",
             database_url: str | None = None) -> str:
    """A new employee; their desktop token."""
    _, token = admin_call(data_dir, lambda a: admin.add_user(a, name, ext, pbx_user),
                          database_url)
    return token


@dataclass
class Relay:
    server: RelayServer
    data_dir: Path
    database_url: str | None = None

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def ws_url(self) -> str:
        return self.server.ws_url

    def cli(self, *args: str, expect: int = 0) -> str:
        return run_cli(self.data_dir, *args, expect=expect, database_url=self.database_url)

    def add_user(self, name: str, ext: str, pbx_user: str = "") -> str:
        return add_user(self.data_dir, name, ext, pbx_user, self.database_url)

    def admin(self, work: Callable[[admin.Admin], Awaitable[T]]) -> T:
        return admin_call(self.data_dir, work, self.database_url)

    def sql(self, statement: str) -> list[tuple[Any, ...]]:
        """One SQL statement on the relay's database, whichever engine it is."""
        if self.database_url:
            return services.sql(self.database_url, statement)
        with sqlite3.connect(self.data_dir / "relay.db") as db:
            return db.execute(statement).fetchall()


ENGINE_TESTS = ("tests/relay/", "tests/e2e/")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Relay and end-to-end tests run on SQLite and on PostgreSQL (issue: both engines)."""
    path = str(metafunc.definition.path).replace("\\", "/")
    if "database_url" in metafunc.fixturenames and any(p in path for p in ENGINE_TESTS):
        metafunc.parametrize("database_url", ["sqlite", "postgres"], indirect=True)


@pytest.fixture
def database_url(request: pytest.FixtureRequest) -> Iterator[str | None]:
    """None for the embedded SQLite default, or the URL of a fresh PostgreSQL database."""
    if getattr(request, "param", "sqlite") == "sqlite":
        yield None
        return
    url = services.create_database()
    try:
        yield url
    finally:
        services.drop_database(url)


@pytest.fixture
async def store(tmp_path: Path, database_url: str | None) -> AsyncIterator[Store]:
    """The relay's store opened directly (no server), migrated, on each engine."""
    opened = await Store.open(store_url(tmp_path / "relay", database_url))
    try:
        yield opened
    finally:
        await opened.close()


@pytest.fixture
def relay(tmp_path: Path, database_url: str | None) -> Iterator[Relay]:
    data_dir = tmp_path / "relay"
    config = RelayConfig(data_dir=data_dir, database_url=database_url, maintenance_interval=3600)
    server = RelayServer(config).start()
    try:
        yield Relay(server, data_dir, database_url)
    finally:
        server.stop()


@pytest.fixture
def fake_pbx() -> Iterator[FakePbx]:
    fake = FakePbx().start()
    try:
        yield fake
    finally:
        fake.stop()


@pytest.fixture
def pz_relay(relay: Relay, fake_pbx: FakePbx) -> Relay:
    """A relay with Prostye Zvonki configured against the fake PBX."""
    relay.cli("provider", "set", "prostiezvonki", "--webhook-token", WEBHOOK_TOKEN,
              "--api-key", "pz-api-key", "--api-url", fake_pbx.url + "/crmapi/v1/makecall")
    return relay


def assert_provider_error(body: dict[str, Any], text: str, provider: str) -> None:
    """A PBX refusal as the relay reports it: the PBX's own text, the provider, and the
    sentence people read in each language with that text inside (SPEC F3)."""
    assert (body["error"], body["code"], body["provider"]) == (text, "provider_error", provider)
    assert set(body["user_text"]) == {"ru", "en"}
    assert all(text.rstrip(". ") in sentence for sentence in body["user_text"].values())


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


class Client:
    """A desktop-like WebSocket client that collects frames."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws

    async def frame(self, timeout: float = 5.0) -> dict[str, Any]:
        return json.loads(await asyncio.wait_for(self.ws.recv(), timeout))  # type: ignore[no-any-return]

    async def frames(self, count: int, timeout: float = 5.0) -> list[dict[str, Any]]:
        return [await self.frame(timeout) for _ in range(count)]

    async def nothing(self, wait: float = 0.3) -> None:
        """Assert no frame arrives within `wait` seconds."""
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(self.ws.recv(), wait)


@contextlib.asynccontextmanager
async def ws_client(relay: Any, token: str, since: int | None = None,
                    **params: str) -> AsyncIterator[Client]:
    query = dict(params)
    if since is not None:
        query["since"] = str(since)
    url = relay.ws_url + "/api/v1/events" + ("?" + "&".join(
        f"{k}={v}" for k, v in query.items()) if query else "")
    async with connect(url, additional_headers=auth(token), open_timeout=5) as ws:
        yield Client(ws)


async def post_json(relay: Relay, path: str, body: object) -> httpx.Response:
    async with httpx.AsyncClient(base_url=relay.url, timeout=10) as http:
        return await http.post(path, json=body)


class CliRelay:
    """`trubka-relay serve` as a child process on a free loopback port."""

    def __init__(self, data_dir: Path, database_url: str | None = None,
                 env: dict[str, str] | None = None) -> None:
        self.data_dir = data_dir
        self.database_url = database_url
        self.env = env or {}
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.proc: subprocess.Popen[str] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def start(self) -> CliRelay:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "trubka.relay.cli", "--data-dir", str(self.data_dir),
             *(["--database-url", self.database_url] if self.database_url else []),
             "serve", "--port", str(self.port)],
            stderr=subprocess.PIPE, text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1", **self.env})
        assert self.proc.stderr is not None
        self.log: list[str] = []
        for line in self.proc.stderr:  # the started flag: uvicorn's own announcement
            self.log.append(line)
            if "Uvicorn running on" in line:
                break
        else:
            raise RuntimeError("relay exited before starting:\n" + "".join(self.log))
        # keep reading its log, or the relay blocks on a full pipe
        self._drain = threading.Thread(target=lambda: self.log.extend(self.proc.stderr or ()),
                                       daemon=True)
        self._drain.start()
        return self

    def _closed(self) -> None:
        """After the process ended: finish reading its log and close the pipe."""
        drain = getattr(self, "_drain", None)
        if drain is not None:
            drain.join(5)
        if self.proc and self.proc.stderr and not self.proc.stderr.closed:
            self.proc.stderr.close()

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)
        self._closed()

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()
        self._closed()


@pytest.fixture
def cli_relay(tmp_path: Path) -> Iterator[CliRelay]:
    relay = CliRelay(tmp_path / "relay")
    run_cli(relay.data_dir, "provider", "set", "prostiezvonki", "--webhook-token",
            WEBHOOK_TOKEN)
    relay.start()
    try:
        yield relay
    finally:
        relay.stop()
