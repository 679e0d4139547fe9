"""The one bridge between Qt and the relay: an asyncio loop in a worker thread.

`RelayBridge` owns that thread, the events socket (websockets' `async for ws in
connect(...)` reconnect loop, resuming with `since`) and the REST clients. Every piece of
connection state — the addresses, the one in use, the token, the `since` position, the
REST clients, the socket — lives in a `link.Link` that only the loop thread touches; the GUI
learns about it through the typed signals below and keeps read-only mirrors of them.
The GUI calls in with `call()`, which runs a coroutine on the loop (the REST client is
chosen there, when the request runs) and delivers its result on the GUI thread. No GUI
call waits for the loop, except `shutdown()` at quit (STYLE.md: one bridge).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import logging
import threading
import time
from collections.abc import Awaitable, Callable
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot
from websockets.asyncio.client import ClientConnection
from websockets.client import process_exception
from websockets.exceptions import ConnectionClosed, InvalidStatus

from trubka.core.protocol import CLOSE_UNAUTHORIZED, Frame, Hello, ProtocolError, parse_frame
from trubka.core.sequence import SeqGate, Verdict
from trubka.desktop.api import ApiError, RelayApi, classify
from trubka.desktop.link import (
    Link,
    LinkState,
    LinkStatus,
    ReconnectPolicy,
    ResumingConnect,
    events_url,
)
from trubka.desktop.qtcompat import emit
from trubka.desktop.settings import relay_addresses
from trubka.http import ssl_context

log = logging.getLogger("trubka.desktop.bridge")
__all__ = ["LinkState", "LinkStatus", "ReconnectPolicy", "RelayBridge", "events_url"]

OnOk = Callable[[Any], None] | None
OnErr = Callable[[ApiError], None] | None


class RelayBridge(QObject):
    """Signals, emitted on the loop thread and delivered (queued) on the GUI thread:

    * `frame(Frame)`: a `core.protocol` frame (Hello, CallFrame, JournalFrame, ...), in
      seq order, each once — duplicates are skipped (core.sequence.SeqGate).
    * `status(LinkStatus)`: the link's state, with the relay address in use.
    * `position(str, int)`: (the relay setting as configured, the highest seq passed on):
      what to save as `since`. (The seq is passed as a Python int: Qt's int is 32-bit.)
    * `attempted(int)`: connection attempts since `configure` (diagnostics, tests).
    * `received(float)`: `time.perf_counter()` when a frame came off the socket (bench).
    """

    frame = Signal(object)
    status = Signal(LinkStatus)
    position = Signal(str, object)
    attempted = Signal(int)
    received = Signal(float)
    _done = Signal(object, object)  # (callbacks, concurrent future), to the GUI thread

    def __init__(self, policy: ReconnectPolicy | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.policy = policy or ReconnectPolicy()
        # GUI-thread mirrors, updated only from the signals above.
        self.current = LinkStatus(LinkState.IDLE)
        self.relay_url = ""
        self.attempts = 0
        self.last_received = 0.0
        self._link = Link()
        self._stopping = False
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run_loop, name="trubka-loop", daemon=True)
        self._thread.start()
        self._done.connect(self._deliver)
        self.status.connect(self._mirror_status)
        self.attempted.connect(self._mirror_attempts)
        self.received.connect(self._mirror_received)

    # -- GUI-thread API -------------------------------------------------------------------

    def configure(self, relay_url: str, token: str, ca_file: str = "",
                  since: int | None = None) -> None:
        """Point at a relay (stopping any current connection); `start()` connects."""
        self._soon(self._configure, relay_url, token, ca_file, since)

    def start(self) -> None:
        self._soon(self._start)

    def reconnect_now(self) -> None:
        """The network came back or the machine woke up: skip the backoff wait."""
        self._soon(self._reconnect_now)

    def drop_socket(self) -> None:
        """Abort the socket as a network failure would (tests, diagnostics)."""
        self._soon(lambda: self._link.ws.transport.abort() if self._link.ws else None)

    def stop_socket(self) -> None:
        """Close the events socket (without waiting for it)."""
        self._soon(self._cancel_task)

    def shutdown(self) -> None:
        """At quit: close the socket and the clients, stop the loop and its thread. The
        one call that waits for the loop (bounded: cancelling takes milliseconds)."""
        if self._stopping or not self._thread.is_alive():
            return
        self._stopping = True
        self._submit(self._close()).add_done_callback(
            lambda _f: self._loop.call_soon_threadsafe(self._loop.stop))
        self._thread.join(timeout=10)

    def call(self, make: Callable[[RelayApi], Awaitable[Any]], on_ok: OnOk = None,
             on_err: OnErr = None) -> concurrent.futures.Future[Any]:
        """Run `make(api)` on the loop with the client of the address in use *then*;
        deliver the result or ApiError to `on_ok`/`on_err` on the GUI thread."""
        async def run() -> Any:
            api = self._link.clients.take()
            if api is None:
                raise ApiError("no_relay", "no relay address or token")
            try:
                return await make(api)
            except ApiError as exc:
                if exc.kind == "unauthorized":
                    self._signed_out(exc.message)
                raise
            finally:
                await self._link.clients.give_back(api)

        return self.run(run, on_ok, on_err)

    def run(self, make: Callable[[], Awaitable[Any]], on_ok: OnOk = None,
            on_err: OnErr = None) -> concurrent.futures.Future[Any]:
        """Like `call` for work that brings its own client (Test connection, enrolment)."""
        async def guarded() -> Any:
            try:
                return await make()
            except ApiError:
                raise
            except Exception as exc:
                raise classify(exc) from exc

        future = self._submit(guarded())
        future.add_done_callback(lambda f: emit(self._done, (on_ok, on_err), f))
        return future

    @Slot(object, object)
    def _deliver(self, callbacks: tuple[OnOk, OnErr],
                 future: concurrent.futures.Future[Any]) -> None:
        on_ok, on_err = callbacks
        if future.cancelled():
            return
        exc = future.exception()
        if exc is None:
            if on_ok is not None:
                on_ok(future.result())
            return
        error = exc if isinstance(exc, ApiError) else classify(exc)
        if on_err is not None:
            on_err(error)
        else:
            log.warning("request failed: %s %s", error.kind, error.message)

    @Slot(LinkStatus)
    def _mirror_status(self, status: LinkStatus) -> None:
        self.current = status
        self.relay_url = status.address or self.relay_url

    @Slot(int)
    def _mirror_attempts(self, attempts: int) -> None:
        self.attempts = attempts

    @Slot(float)
    def _mirror_received(self, when: float) -> None:
        self.last_received = when

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

    def _soon(self, callback: Callable[..., object], *args: Any) -> None:
        if not self._stopping:
            self._loop.call_soon_threadsafe(callback, *args)

    def _submit(self, coro: Awaitable[Any]) -> concurrent.futures.Future[Any]:
        return asyncio.run_coroutine_threadsafe(coro, self._loop)  # type: ignore[arg-type]

    def _configure(self, relay_url: str, token: str, ca_file: str,
                   since: int | None) -> None:
        link = self._link
        self._cancel_task()
        link.key, link.token, link.ca_file = relay_url, token, ca_file
        link.addresses = relay_addresses(relay_url)
        link.address = link.addresses[0] if link.addresses else ""
        link.gate, link.replay_until, link.attempts = SeqGate(since), None, 0
        link.clients.replace(RelayApi(link.address, token, ca_file)
                             if link.address and token else None, self._loop)
        emit(self.attempted, 0)

    def _start(self) -> None:
        if not (self._link.address and self._link.token):
            self._set_status(LinkStatus(LinkState.IDLE))
            return
        self._restart()

    def _reconnect_now(self) -> None:
        if self._link.status.state in (LinkState.RECONNECTING, LinkState.ERROR,
                                       LinkState.CONNECTING):
            log.info("reconnecting at once (network change or resume)")
            self._restart()

    def _cancel_task(self) -> None:
        task, self._link.task = self._link.task, None
        if task is not None and not task.done():
            task.cancel()  # its `finally` aborts the socket

    def _restart(self) -> None:
        self._cancel_task()
        self._link.task = self._loop.create_task(self._socket_main())

    async def _close(self) -> None:
        task, self._link.task = self._link.task, None
        if task is not None and not task.done():
            task.cancel()
            try:
                await task
            except (asyncio.CancelledError, Exception):  # noqa: S110 - shutting down
                pass
        await self._link.clients.close()

    def _set_status(self, status: LinkStatus) -> None:
        status = LinkStatus(status.state, status.detail, status.kind, self._link.address)
        if status != self._link.status:
            log.info("connection: %s %s", status.state.value, status.detail)
        self._link.status = status
        emit(self.status, status)

    def _signed_out(self, detail: str) -> None:
        self._set_status(LinkStatus(LinkState.SIGNED_OUT, detail, "unauthorized"))
        self._cancel_task()

    def _url(self) -> str:
        return events_url(self._link.address, self._link.gate.position)

    def _failover(self) -> None:
        """The relay in use failed: the next attempt goes to the next address. A relay
        that works is kept — the order matters only after a failure."""
        link = self._link
        if len(link.addresses) < 2:
            return
        index = (link.addresses.index(link.address) + 1) % len(link.addresses)
        link.address = link.addresses[index]
        link.clients.replace(RelayApi(link.address, link.token, link.ca_file), self._loop)
        log.info("relay unreachable; trying %s next", link.address)

    def _attempt(self) -> None:
        self._link.attempts += 1
        emit(self.attempted, self._link.attempts)

    def _process_exception(self, exc: Exception) -> Exception | None:
        verdict = process_exception(exc)
        if verdict is None:
            self._failover()
            error = classify(exc)
            self._set_status(LinkStatus(LinkState.RECONNECTING, error.message or str(exc),
                                        error.kind))
        return verdict

    def _connector(self) -> ResumingConnect:
        p, link = self.policy, self._link
        return ResumingConnect(
            self._url, self._attempt, lambda: ssl_context(link.ca_file or None),
            additional_headers={"Authorization": f"Bearer {link.token}"},
            ping_interval=p.ping_interval, ping_timeout=p.ping_timeout,
            open_timeout=p.open_timeout, reconnect_delays=p.delays,
            process_exception=self._process_exception, proxy=None,
            logger=logging.getLogger("trubka.desktop.ws"))

    async def _socket_main(self) -> None:
        self._set_status(LinkStatus(LinkState.CONNECTING))
        try:
            async for ws in self._connector():
                self._link.ws = ws
                self._set_status(LinkStatus(LinkState.CONNECTED))
                try:
                    await self._receive(ws)
                except ConnectionClosed as exc:
                    if self._closed(exc):
                        return
                finally:
                    if self._link.ws is ws:
                        self._link.ws = None
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

    def _closed(self, exc: ConnectionClosed) -> bool:
        """The socket closed under us; True when that ends the loop (signed out)."""
        code = exc.rcvd.code if exc.rcvd else None
        if code == CLOSE_UNAUTHORIZED:
            self._set_status(LinkStatus(LinkState.SIGNED_OUT, str(exc), "unauthorized"))
            return True
        if code != 1000:
            self._failover()
        self._set_status(LinkStatus(LinkState.RECONNECTING, f"connection lost ({code})",
                                    "network"))
        return False

    async def _receive(self, ws: ClientConnection) -> None:
        async for text in ws:
            emit(self.received, time.perf_counter())
            try:
                frame = parse_frame(json.loads(text))
            except (ValueError, ProtocolError) as exc:
                log.warning("ignoring a malformed frame: %s", exc)
                continue
            verdict = self._admit(frame)
            if verdict is Verdict.GAP:
                # Never sent by a relay that works; resuming with `since` refills it.
                log.warning("frames missing before seq %s; resuming from %s", frame.seq,
                            self._link.gate.position)
                await ws.close()
                return
            if verdict is Verdict.DELIVER:
                emit(self.frame, frame)
                emit(self.position, self._link.key, self._link.gate.position)

    def _admit(self, frame: Frame) -> Verdict:
        """The `since` rule (core.sequence) for one frame off the socket."""
        link = self._link
        if isinstance(frame, Hello):
            if link.gate.position is None or not frame.replay_complete:
                # A fresh start, or the relay's log no longer reaches back to our `since`:
                # the replay that follows (seq <= hello.seq) is what it still has.
                link.replay_until = None if link.gate.position is None else frame.seq
                link.gate.reset(frame.seq)
            return Verdict.DELIVER
        if link.replay_until is not None and frame.seq <= link.replay_until:
            return Verdict.DELIVER
        link.replay_until = None
        verdict = link.gate.judge(frame.seq)
        if verdict is Verdict.DELIVER:
            link.gate.accept(frame.seq)
        return verdict
