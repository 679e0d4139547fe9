"""`create_app(config)`: the relay as one ASGI application, wired by hand."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

import trubka
from trubka.core.errors import ProviderError, TrubkaError
from trubka.http import make_client
from trubka.providers import SPECS
from trubka.relay.background import Background
from trubka.relay.config import RelayConfig
from trubka.relay.deps import Relay
from trubka.relay.hub.memory import MemoryHub
from trubka.relay.hub.redis import RedisHub
from trubka.relay.metrics import Metrics
from trubka.relay.routes import api, events, hooks, ops
from trubka.relay.service import CallService
from trubka.relay.store import calls, settings, users
from trubka.relay.store.db import Store, database_url, redact

log = logging.getLogger("trubka.relay")


async def build_relay(config: RelayConfig) -> Relay:
    url = database_url(config.data_dir, config.database_url)
    store = await Store.open(url, background_checkpoints=True)
    hub: MemoryHub | RedisHub
    if config.redis_url:
        async with store.read() as conn:
            retention = (await settings.load(conn)).event_retention_hours
            instance = await settings.instance_id(conn)
        hub = RedisHub(config.redis_url, prefix=f"{config.redis_prefix}:{instance}",
                       queue_size=config.client_queue, ttl_seconds=retention * 3600)
    else:
        hub = MemoryHub(config.client_queue)
    await hub.start()
    http = make_client(timeout=config.http_timeout)
    metrics = Metrics()
    service = CallService(store, hub, http, metrics)
    log.info("relay store %s, hub %s%s", redact(url), type(hub).__name__,
             f" at {redact(config.redis_url)}" if config.redis_url else "")
    return Relay(config, store, hub, http, metrics, service)


async def close_relay(relay: Relay) -> None:
    await relay.hub.stop()
    await relay.http.aclose()
    await relay.store.close()


async def trim(store: Store) -> tuple[int, int]:
    """Drop event-log entries and journal entries older than their retention."""
    async with store.write() as conn:
        rt = await settings.load(conn)
        events = await users.trim_events(conn, users.retention_cutoff(rt.event_retention_hours))
        entries = await calls.trim_journal(conn, users.retention_cutoff(rt.retention_days * 24))
    return events, entries


async def maintain(relay: Relay) -> None:
    """Once per interval: trim the event log and journal, end calls left ringing."""
    await trim(relay.store)
    await relay.service.end_stale_calls()


async def _checkpoint_loop(relay: Relay) -> None:
    """SQLite: fold the WAL back into the database every second, off the event loop."""
    while True:
        await asyncio.sleep(1.0)
        try:
            await relay.store.checkpoint()
        except Exception:
            log.exception("WAL checkpoint failed")
            relay.metrics.failures.labels("checkpoint").inc()


async def _maintenance_loop(relay: Relay) -> None:
    while True:
        await asyncio.sleep(relay.config.maintenance_interval)
        try:
            await maintain(relay)
        except Exception:
            log.exception("maintenance failed")
            relay.metrics.failures.labels("maintenance").inc()


def create_app(config: RelayConfig) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        relay = await build_relay(config)
        app.state.relay = relay
        app.state.background = Background(relay)
        tasks = [asyncio.create_task(_maintenance_loop(relay)),
                 asyncio.create_task(app.state.background.run())]
        if relay.store.background_checkpoints:
            tasks.append(asyncio.create_task(_checkpoint_loop(relay)))
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            for task in tasks:
                with suppress(asyncio.CancelledError):
                    await task
            await app.state.background.stop()
            await close_relay(relay)

    app = FastAPI(title="trubka-relay", version=trubka.__version__, lifespan=lifespan,
                  description="PBX webhooks in, per-user call events out (SPEC §9).")
    app.include_router(hooks.router)
    app.include_router(api.router)
    app.include_router(events.router)
    app.include_router(ops.router)
    _error_handlers(app)
    return app


def _error_handlers(app: FastAPI) -> None:
    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        return JSONResponse({"error": exc.detail}, status_code=exc.status_code,
                            headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        detail = [{"field": ".".join(str(p) for p in e.get("loc", ())[1:]),
                   "message": e.get("msg", "")} for e in exc.errors()]
        text = "; ".join(f"{d['field']}: {d['message']}" for d in detail) or "Invalid request"
        return JSONResponse({"error": text, "detail": detail}, status_code=422)

    @app.exception_handler(ProviderError)
    async def provider_error(request: Request, exc: ProviderError) -> JSONResponse:
        log.warning("provider %s refused: %s", exc.provider, exc.message)
        body = exc.body()
        if exc.provider in SPECS:  # the sentence people read, in each language (SPEC F3)
            body["user_text"] = SPECS[exc.provider].error_texts(exc.message)
        return JSONResponse(body, status_code=exc.http_status)

    @app.exception_handler(TrubkaError)
    async def trubka_error(request: Request, exc: TrubkaError) -> JSONResponse:
        return JSONResponse(exc.body(), status_code=exc.http_status, headers=exc.headers())
