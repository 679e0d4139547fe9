"""Running the relay: `serve` for the CLI, and `RelayServer` for embedding it in a thread
(the desktop's `trubka demo` and the end-to-end tests), on a real loopback socket."""

from __future__ import annotations

import asyncio
import gc
import logging
import socket
import threading
from contextlib import suppress

import uvicorn
from fastapi import FastAPI

from trubka.relay import logfilter
from trubka.relay.app import create_app
from trubka.relay.config import RelayConfig
from trubka.relay.wsprotocol import SansIOProtocol


class _DenialIsNotAnError(logging.Filter):
    """uvicorn's websockets-sansio protocol logs "ASGI callable returned without completing
    handshake." at ERROR after every WebSocket denial response (our 401/403/422), though
    the client got the denial (Kludex/uvicorn PR #3138, open). The events route always
    accepts or denies, so the line says nothing there; drop it rather than page anyone."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != "ASGI callable returned without completing handshake."


logging.getLogger("uvicorn.error").addFilter(_DenialIsNotAnError())
logfilter.install()  # no sender-controlled value starts a log line (logfilter.py)


def uvicorn_config(app: FastAPI, host: str, port: int,
                   log_level: str = "info") -> uvicorn.Config:
    # Frames are a few hundred bytes: per-message deflate would cost CPU on every send
    # and a zlib context (tens of KB) per idle client, for little saved bandwidth. The
    # relay pings every 90 s (10,000 idle sockets: 5 % of a core at 20 s, 1.7 % at 90 s,
    # bench/idle.py); desktops ping every 5 s themselves to notice a dead link.
    return uvicorn.Config(
        app, host=host, port=port, ws=SansIOProtocol, log_level=log_level,
        lifespan="on", proxy_headers=True, server_header=False, ws_ping_interval=90,
        ws_ping_timeout=30, ws_per_message_deflate=False, timeout_graceful_shutdown=5,
        access_log=False,
    )


def serve(config: RelayConfig, log_level: str = "info") -> None:
    # Python's full collections walk every live object: with thousands of sockets that is
    # a 30–100 ms pause of the event loop (bench/fanout.py's tail). What start-up allocated
    # lives as long as the process, so it is frozen out of them; collections are rarer.
    app = create_app(config)
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)
    uvicorn.Server(uvicorn_config(app, config.host, config.port, log_level)).run()


class RelayServer:
    """The relay on 127.0.0.1 in a background thread, started when `start()` returns."""

    def __init__(self, config: RelayConfig, host: str = "127.0.0.1", port: int = 0) -> None:
        self.config = config
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((host, port))
        self.host, self.port = self.sock.getsockname()[:2]
        self.server = uvicorn.Server(uvicorn_config(create_app(config), self.host, self.port,
                                                    log_level="warning"))
        self.server.config.install_signal_handlers = False  # type: ignore[attr-defined]
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://{self.host}:{self.port}"

    def start(self, timeout: float = 30.0) -> RelayServer:
        self._thread = threading.Thread(target=self._run, name="trubka-relay", daemon=True)
        self._thread.start()
        deadline = threading.Event()
        while not self.server.started:
            if self._error is not None or not self._thread.is_alive():
                raise RuntimeError(f"relay failed to start: {self._error!r}")
            if deadline.wait(0.01) or timeout <= 0:
                break
            timeout -= 0.01
        if not self.server.started:
            raise RuntimeError("relay did not start in time")
        return self

    def _run(self) -> None:
        try:
            asyncio.run(self.server.serve(sockets=[self.sock]))
        except BaseException as exc:  # reported to start() and stop()
            self._error = exc

    def stop(self) -> None:
        self.server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=15)
        with suppress(OSError):
            self.sock.close()

    def __enter__(self) -> RelayServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
