"""What the administrator's operations need, in the server and in any other process."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import httpx

from trubka.http import make_client
from trubka.relay.config import RelayConfig
from trubka.relay.hub.base import Hub, open_hub
from trubka.relay.store import settings
from trubka.relay.store.db import Store, database_url
from trubka.relay.writer import EventWriter


@dataclass
class Admin:
    """The store to change, the writer whose frames reach open sockets, and an HTTP
    client for the PBX's API (`users sync`)."""

    store: Store
    writer: EventWriter
    http: httpx.AsyncClient


async def hub_for(config: RelayConfig, store: Store) -> Hub:
    """The hub `config` names; Redis keys carry the database's instance id, so a new
    database never meets an old one's streams."""
    if not config.redis_url:
        return open_hub(None, queue_size=config.client_queue)
    async with store.read() as conn:
        retention = (await settings.load(conn)).event_retention_hours
        instance = await settings.instance_id(conn)
    return open_hub(config.redis_url, prefix=f"{config.redis_prefix}:{instance}",
                    queue_size=config.client_queue, ttl_seconds=retention * 3600)


@asynccontextmanager
async def open_admin(config: RelayConfig) -> AsyncIterator[Admin]:
    """An `Admin` for a process beside the server (the CLI, the demo, tests): the same
    database, and with a Redis URL the same hub, so frames an operation writes reach
    the sockets at once. Without Redis the server notices the change itself within a
    second (relay/watch.py) and delivers them from the log."""
    store = await Store.open(database_url(config.data_dir, config.database_url))
    try:
        hub = await hub_for(config, store)
        await hub.start()
        try:
            async with make_client(timeout=config.http_timeout) as http:
                yield Admin(store, EventWriter(store, hub), http)
        finally:
            await hub.stop()
    finally:
        await store.close()
