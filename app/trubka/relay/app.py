"""`create_app(config)`: the relay as one ASGI application, wired by hand."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager, suppress

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

import trubka
from trubka.http import make_client
from trubka.relay import errors
from trubka.relay.admin import Admin, hub_for
from trubka.relay.background import Background
from trubka.relay.config import RelayConfig
from trubka.relay.crm.runtime import Crm
from trubka.relay.crm.service import CrmService
from trubka.relay.deps import Relay
from trubka.relay.gate import Gate
from trubka.relay.hookstatus import FLUSH_SECONDS as WEBHOOK_STATUS_SECONDS
from trubka.relay.ingest import Ingest
from trubka.relay.lookups import Lookups
from trubka.relay.metrics import Metrics
from trubka.relay.presence import FLUSH_SECONDS
from trubka.relay.registry import ProviderRegistry
from trubka.relay.routes import (
    admin_api,
    admin_live,
    api,
    console,
    enroll,
    events,
    hooks,
    ops,
    session,
)
from trubka.relay.store import sessions, settings
from trubka.relay.store.db import Store, database_url, redact
from trubka.relay.watch import watch
from trubka.relay.web.cors import Cors
from trubka.relay.web.pages import STATIC
from trubka.relay.writer import EventWriter

log = logging.getLogger("trubka.relay")


async def build_relay(config: RelayConfig) -> Relay:
    url = database_url(config.data_dir, config.database_url)
    store = await Store.open(url, background_checkpoints=True)
    store.make_stamp()  # SQLite: the relay's own file, asked with fstat per webhook
    hub = await hub_for(config, store)
    await hub.start()
    http = make_client(timeout=config.http_timeout)
    metrics = Metrics()
    store.on_commit = metrics.commit_seconds.observe
    writer = EventWriter(store, hub)
    registry = ProviderRegistry(store, http)
    crm = Crm(CrmService(store, registry, http, metrics), writer)
    lookups = Lookups(store, registry, crm)
    ingest = Ingest(writer, registry, lookups, metrics)
    log.info("relay store %s, hub %s%s", redact(url), type(hub).__name__,
             f" at {redact(config.redis_url)}" if config.redis_url else "")
    relay = Relay(config, store, hub, http, metrics, writer, registry, lookups, ingest,
                  Admin(store, writer, http))
    if config.redis_url:  # failures and signatures counted across replicas
        from trubka.relay.redis_guards import open_guards

        async with store.read() as conn:
            instance = await settings.instance_id(conn)
        relay.limiter, relay.replay = open_guards(
            config.redis_url, f"{config.redis_prefix}:{instance}")
    return relay


async def close_relay(relay: Relay) -> None:
    await relay.lookups.crm.stop()
    closer = getattr(relay.limiter, "aclose", None)  # the shared guards' Redis pool
    if closer is not None:
        await closer()
    await relay.writer.stop()
    await relay.presence.flush(relay.store)
    await relay.hub.stop()
    await relay.http.aclose()
    await relay.store.close()


async def maintain(relay: Relay) -> None:
    """Once per interval: trim the event log and journal, end calls left ringing."""
    from trubka.relay.admin import trim

    await trim(relay.admin)
    await relay.ingest.end_stale_calls()
    async with relay.store.write() as conn:
        await sessions.purge(conn)


async def _every(relay: Relay, seconds: float, work: Callable[[], Awaitable[object]],
                 what: str) -> None:
    while True:
        await asyncio.sleep(seconds)
        try:
            await work()
        except Exception:
            log.exception("%s failed", what)
            relay.metrics.failures.labels(what).inc()


def _start_tasks(relay: Relay, background: Background) -> list[asyncio.Task[None]]:
    """The relay's own loops: maintenance, provider tasks, the watch, CRM refreshes,
    presence and webhook-status flushes, and (SQLite) WAL checkpoints."""
    tasks = [
        asyncio.create_task(_every(relay, relay.config.maintenance_interval,
                                   lambda: maintain(relay), "maintenance")),
        asyncio.create_task(background.run()),
        asyncio.create_task(watch(relay), name="watch"),
        asyncio.create_task(relay.lookups.crm.run(), name="crm"),
        asyncio.create_task(_every(relay, FLUSH_SECONDS,
                                   lambda: relay.presence.flush(relay.store), "presence")),
        asyncio.create_task(_every(relay, WEBHOOK_STATUS_SECONDS,
                                   lambda: relay.webhook_status.flush(relay.store),
                                   "webhook status")),
    ]
    if relay.store.background_checkpoints:
        # SQLite: fold the WAL back into the database off the event loop.
        tasks.append(asyncio.create_task(_every(relay, 1.0, relay.store.checkpoint,
                                                "checkpoint")))
    return tasks


def create_app(config: RelayConfig) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        relay = await build_relay(config)
        app.state.relay = relay
        app.state.background = Background(relay)
        tasks = _start_tasks(relay, app.state.background)
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            for task in tasks:
                with suppress(asyncio.CancelledError):
                    await task
            await app.state.background.stop()
            await relay.webhook_status.flush(relay.store)
            await close_relay(relay)

    app = FastAPI(title="trubka-relay", version=trubka.__version__, lifespan=lifespan,
                  description="PBX webhooks in, per-user call events out (SPEC §9).")
    app.include_router(hooks.router)
    app.include_router(api.router)
    app.include_router(events.router)
    app.include_router(ops.router)
    app.include_router(enroll.router)
    app.include_router(session.router)
    app.include_router(admin_api.router)
    app.include_router(admin_live.router)
    app.include_router(console.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_middleware(hooks.FastPath)  # innermost: webhooks past the router
    app.add_middleware(Gate)  # throttling, auth-before-body, body limits (gate.py)
    app.add_middleware(Cors)
    errors.install(app)
    return app
