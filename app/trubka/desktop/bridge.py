"""The one bridge between Qt and the relay: an asyncio loop in a worker thread.

`RelayBridge` owns that thread, the events socket (websockets' `async for ws in
connect(...)` reconnect loop, resuming with `since`) and the REST client. It emits typed
signals carrying `core` dataclasses; the GUI calls back in with `call()`, which runs a
coroutine on the loop and delivers its result on the GUI thread (STYLE.md: one bridge).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import enum
import json
import logging
import random
import threading
import time
from collections.abc import Awaitable, Callable, Generator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from PySide6.QtCore import QObject, Signal, Slot
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.uri import parse_uri

from trubka.core.protocol import CLOSE_UNAUTHORIZED, Hello, ProtocolError, parse_frame
from trubka.desktop.api import ApiError, RelayApi, classify
from trubka.desktop.qtcompat import emit
from trubka.desktop.settings import relay_addresses
from trubka.http import ssl_context

log = logging.getLogger("trubka.desktop.bridge")


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


class _ResumingConnect(connect):
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


class RelayBridge(QObject):
    frame = Signal(object)  # a core.protocol Frame (Hello, CallFrame, JournalFrame, ...)
    status = Signal(object)  # LinkStatus
    _done = Signal(object, object)  # (callbacks, concurrent future), to the GUI thread

    def __init__(self, policy: ReconnectPolicy | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.policy = policy or ReconnectPolicy()
        self.relay_url = ""  # the address in use; `relay_urls` lists them all, in order
        self.relay_urls: list[str] = []
        self.token = ""
        self.ca_file = ""
        self.since: int | None = None
        self.attempts = 0  # connection attempts, for tests and diagnostics
        self.last_received = 0.0  # perf_counter() of the last frame off the socket (bench)
        self.current = LinkStatus(LinkState.IDLE)
        self.api: RelayApi | None = None
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run_loop, name="trubka-loop", daemon=True)
        self._thread.start()
        self._task: asyncio.Task[None] | None = None
        self._ws: ClientConnection | None = None
        self._done.connect(self._deliver)

    # -- GUI-thread API -------------------------------------------------------------------

    def configure(self, relay_url: str, token: str, ca_file: str = "",
                  since: int | None = None) -> None:
        """Point at a relay; call `start()` to connect. Stops any current connection."""
        self.stop_socket()
        old = self.api
        self.relay_urls = relay_addresses(relay_url)
        self.relay_url = self.relay_urls[0] if self.relay_urls else ""
        self.token, self.ca_file, self.since = token, ca_file, since
        self.api = RelayApi(self.relay_url, token, ca_file) if self.relay_url and token \
            else None
        if old is not None:
            self._submit(old.aclose())

    def start(self) -> None:
        if not (self.relay_url and self.token):
            self._set_status(LinkStatus(LinkState.IDLE))
            return
        self._loop.call_soon_threadsafe(self._restart)

    def reconnect_now(self) -> None:
        """The network came back or the machine woke up: skip the backoff wait."""
        if self.current.state in (LinkState.RECONNECTING, LinkState.ERROR, LinkState.CONNECTING):
            log.info("reconnecting at once (network change or resume)")
            self._loop.call_soon_threadsafe(self._restart)

    def drop_socket(self) -> None:
        """Abort the socket as a network failure would (tests, diagnostics)."""
        def abort() -> None:
            if self._ws is not None:
                self._ws.transport.abort()
        self._loop.call_soon_threadsafe(abort)

    def stop_socket(self) -> None:
        future = self._submit(self._cancel())
        future.result(timeout=10)

    def shutdown(self) -> None:
        if not self._loop.is_running():
            return
        self.stop_socket()
        if self.api is not None:
            self._submit(self.api.aclose()).result(timeout=10)
            self.api = None
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)

    def call(self, make: Callable[[RelayApi], Awaitable[Any]],
             on_ok: Callable[[Any], None] | None = None,
             on_err: Callable[[ApiError], None] | None = None) -> concurrent.futures.Future[Any]:
        """Run `make(api)` on the loop; deliver the result or ApiError on the GUI thread."""
        return self._call(make, on_ok, on_err, need_api=True)

    def call_unbound(self, make: Callable[[Any], Awaitable[Any]],
                     on_ok: Callable[[Any], None] | None = None,
                     on_err: Callable[[ApiError], None] | None = None) -> Any:
        """Like `call` for work that brings its own client (Test connection)."""
        return self._call(make, on_ok, on_err, need_api=False)

    def _call(self, make: Callable[[Any], Awaitable[Any]], on_ok: Any, on_err: Any,
              need_api: bool) -> concurrent.futures.Future[Any]:
        api = self.api

        async def run() -> Any:
            if api is None and need_api:
                raise ApiError("no_relay", "no relay address or token")
            try:
                return await make(api)
            except ApiError:
                raise
            except Exception as exc:
                raise classify(exc) from exc

        future = self._submit(run())
        future.add_done_callback(lambda f: emit(self._done, (on_ok, on_err), f))
        return future

    @Slot(object, object)
    def _deliver(self, callbacks: tuple[Any, Any], future: concurrent.futures.Future[Any]) -> None:
        on_ok, on_err = callbacks
        if future.cancelled():
            return
        exc = future.exception()
        if exc is None:
            if on_ok is not None:
                on_ok(future.result())
            return
        error = exc if isinstance(exc, ApiError) else classify(exc)  # type: ignore[arg-type]
        if error.kind == "unauthorized":
            self._signed_out(error.message)
        if on_err is not None:
            on_err(error)
        else:
            log.warning("request failed: %s %s", error.kind, error.message)

    # -- loop thread ------------------------------------------------------------------------

    def _run_loop(self) -> None:
        asyncio.set_event_loop(self._loop)
        try:
            self._loop.run_forever()
        finally:  # once `shutdown` stopped it: end what still runs, as asyncio.run does
            pending = asyncio.all_tasks(self._loop)
            for task in pending:
                task.cancel()
            if pending:
                self._loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
            self._loop.run_until_complete(self._loop.shutdown_asyncgens())
            self._loop.close()

    def _submit(self, coro: Awaitable[Any]) -> concurrent.futures.Future[Any]:
        return asyncio.run_coroutine_threadsafe(coro, self._loop)  # type: ignore[arg-type]

    async def _cancel(self) -> None:
        task, self._task = self._task, None
        if task is not None and not task.done():
            task.cancel()
            try:
                await task
            except (asyncio.CancelledError, Exception):  # noqa: S110 - shutting down
                pass

    def _restart(self) -> None:
        old = self._task
        if old is not None and not old.done():
            old.cancel()
        self._task = self._loop.create_task(self._socket_main())

    def _set_status(self, status: LinkStatus) -> None:
        if status != self.current:
            log.info("connection: %s %s", status.state.value, status.detail)
        self.current = status
        emit(self.status, status)

    def _signed_out(self, detail: str) -> None:
        self._set_status(LinkStatus(LinkState.SIGNED_OUT, detail, "unauthorized"))
        self._loop.call_soon_threadsafe(lambda: self._task.cancel() if self._task else None)

    def _url(self) -> str:
        return events_url(self.relay_url, self.since)

    def _failover(self) -> None:
        """The relay in use failed: the next attempt goes to the next address (in the loop
        thread). A relay that works is kept — the order matters only after a failure."""
        if len(self.relay_urls) < 2:
            return
        index = (self.relay_urls.index(self.relay_url) + 1) % len(self.relay_urls)
        old, self.relay_url = self.api, self.relay_urls[index]
        self.api = RelayApi(self.relay_url, self.token, self.ca_file)
        if old is not None:
            self._loop.create_task(old.aclose())
        log.info("relay unreachable; trying %s next", self.relay_url)

    def _attempt(self) -> None:
        self.attempts += 1

    def _process_exception(self, exc: Exception) -> Exception | None:
        from websockets.asyncio.client import process_exception

        verdict = process_exception(exc)
        if verdict is None:
            self._failover()
            error = classify(exc)
            self._set_status(LinkStatus(LinkState.RECONNECTING, error.message or str(exc),
                                        error.kind))
        return verdict

    async def _socket_main(self) -> None:
        p = self.policy
        kwargs: dict[str, Any] = {}
        connector = _ResumingConnect(
            self._url, self._attempt, lambda: ssl_context(self.ca_file or None),
            additional_headers={"Authorization": f"Bearer {self.token}"},
            ping_interval=p.ping_interval, ping_timeout=p.ping_timeout,
            open_timeout=p.open_timeout, reconnect_delays=p.delays,
            process_exception=self._process_exception, proxy=None,
            logger=logging.getLogger("trubka.desktop.ws"), **kwargs)
        self._set_status(LinkStatus(LinkState.CONNECTING))
        try:
            async for ws in connector:
                self._ws = ws
                self._set_status(LinkStatus(LinkState.CONNECTED))
                try:
                    await self._receive(ws)
                except ConnectionClosed as exc:
                    code = exc.rcvd.code if exc.rcvd else None
                    if code == CLOSE_UNAUTHORIZED:
                        self._set_status(LinkStatus(LinkState.SIGNED_OUT, str(exc),
                                                    "unauthorized"))
                        return
                    if code != 1000:
                        self._failover()
                    self._set_status(LinkStatus(LinkState.RECONNECTING,
                                                f"connection lost ({code})", "network"))
                finally:
                    self._ws = None
                    ws.transport.abort()  # cancelled mid-read: do not leave the socket open
        except InvalidStatus as exc:
            status = exc.response.status_code
            if status in (401, 403):
                self._set_status(LinkStatus(LinkState.SIGNED_OUT, f"HTTP {status}",
                                            "unauthorized"))
            else:
                self._set_status(LinkStatus(LinkState.ERROR, f"HTTP {status}", "server"))
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            error = classify(exc)
            log.exception("events socket stopped")
            self._set_status(LinkStatus(LinkState.ERROR, error.message, error.kind))

    async def _receive(self, ws: ClientConnection) -> None:
        async for text in ws:
            self.last_received = time.perf_counter()
            try:
                frame = parse_frame(json.loads(text))
            except (ValueError, ProtocolError) as exc:
                log.warning("ignoring a malformed frame: %s", exc)
                continue
            if isinstance(frame, Hello):
                if self.since is None or not frame.replay_complete:
                    self.since = frame.seq
            else:
                self.since = max(self.since or 0, frame.seq)
            emit(self.frame, frame)
