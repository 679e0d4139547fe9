"""The pieces of the relay link that the bridge's loop thread owns: its state (`Link`),
the reconnect policy, the resuming `connect`, the REST clients in use. Nothing here is
touched from the GUI thread; the GUI sees `LinkStatus` values, sent by signal."""

from __future__ import annotations

import asyncio
import enum
import random
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from websockets.asyncio.client import ClientConnection, connect
from websockets.uri import parse_uri

from trubka.core.sequence import SeqGate
from trubka.desktop.api import RelayApi


class LinkState(enum.StrEnum):
    IDLE = "idle"  # not configured / stopped
    CONNECTING = "connecting"
    CONNECTED = "connected"
    RECONNECTING = "reconnecting"
    SIGNED_OUT = "signed_out"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class LinkStatus:
    state: LinkState
    detail: str = ""  # what is wrong, for the tray menu's first line
    kind: str = ""  # ApiError kind of the last failure, if any
    address: str = ""  # the relay address in use (several replicas: the current one)


@dataclass(frozen=True, slots=True)
class ReconnectPolicy:
    """Backoff with jitter and the ping watchdog; tests inject an instant one."""

    first: float = 1.0  # upper bound of the random first delay
    minimum: float = 2.0
    maximum: float = 60.0
    factor: float = 1.7
    # A silent link is noticed within ping_interval + ping_timeout = 10 s (UX.md).
    ping_interval: float = 5.0
    ping_timeout: float = 5.0
    open_timeout: float = 10.0

    def delays(self) -> Generator[float]:
        yield random.random() * self.first  # noqa: S311 - jitter, not crypto
        delay = self.minimum
        while True:
            yield delay * (0.8 + 0.4 * random.random())  # noqa: S311
            delay = min(delay * self.factor, self.maximum)


def events_url(relay_url: str, since: int | None) -> str:
    parts = urlsplit(relay_url.rstrip("/"))
    scheme = "wss" if parts.scheme == "https" else "ws"
    url = f"{scheme}://{parts.netloc}{parts.path}/api/v1/events"
    return url if since is None else f"{url}?since={since}"


class ResumingConnect(connect):
    """`connect` whose URL is recomputed per attempt, so every reconnect sends `since` and
    goes to the relay address currently chosen (several replicas: see `_failover`)."""

    def __init__(self, url_for: Callable[[], str], on_attempt: Callable[[], None],
                 ssl_for: Callable[[], Any], **kwargs: Any) -> None:
        self._url_for = url_for
        self._on_attempt = on_attempt
        self._ssl_for = ssl_for
        super().__init__(url_for(), **kwargs)

    async def connect(self) -> ClientConnection:
        self.uri = self._url_for()
        self.ws_uri = parse_uri(self.uri)
        if self.ws_uri.secure:
            self.create_connection_kwargs["ssl"] = self._ssl_for()
        else:
            self.create_connection_kwargs.pop("ssl", None)
        self._on_attempt()
        return await super().connect()


class Clients:
    """The REST client for the address in use. One replaced (failover, new settings) is
    closed only once the requests that took it have finished, so no request ever runs
    on a closed client."""

    def __init__(self) -> None:
        self.current: RelayApi | None = None
        self._users: dict[RelayApi, int] = {}

    def take(self) -> RelayApi | None:
        api = self.current
        if api is not None:
            self._users[api] = self._users.get(api, 0) + 1
        return api

    async def give_back(self, api: RelayApi) -> None:
        self._users[api] -= 1
        if not self._users[api]:
            del self._users[api]
            if api is not self.current:
                await api.aclose()

    def replace(self, api: RelayApi | None, loop: asyncio.AbstractEventLoop) -> None:
        old, self.current = self.current, api
        if old is not None and old not in self._users:
            loop.create_task(old.aclose())

    async def close(self) -> None:
        """At shutdown: close the client in use (requests still running are cancelled)."""
        old, self.current = self.current, None
        if old is not None:
            await old.aclose()


@dataclass
class Link:
    """Connection state. Touched only on the loop thread."""

    key: str = ""  # the relay setting as configured (what `since` is saved against)
    addresses: list[str] = field(default_factory=list)
    address: str = ""
    token: str = ""
    ca_file: str = ""
    gate: SeqGate = field(default_factory=SeqGate)
    replay_until: int | None = None  # an incomplete replay's tail passes the gate
    clients: Clients = field(default_factory=Clients)
    task: asyncio.Task[None] | None = None
    ws: ClientConnection | None = None
    status: LinkStatus = field(default_factory=lambda: LinkStatus(LinkState.IDLE))
    attempts: int = 0
