"""The configured providers and the runtime settings, built once and cached.

Every webhook needs its provider (with its secrets) and a few settings; building them
per request cost a read and an object per webhook. The registry keeps a `Snapshot` and
rebuilds it only when the configuration changes: every change bumps a version in the
database in the same transaction (store/settings.py, `changed`). On SQLite the store that
committed such a change — the relay's own or the CLI's — then touches a stamp beside the
database file (`Store.config_stamp`); a relay `fstat`s it on each request and reads the
version only when it moved, so a `provider set` from the CLI applies to the very next
webhook without a read of the database per webhook (that read cost 65 µs of CPU at
200 webhooks/s, docs/performance.md), and relay/watch.py's poll of the version every
0.5 s catches a change made any other way. On PostgreSQL each change also NOTIFYs a
channel every replica LISTENs to (relay/watch.py), and a lookup that misses (a provider
not configured) re-checks at once, so no webhook waits on a poll.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from dataclasses import dataclass, field

import httpx

from trubka.core.errors import NotConfigured
from trubka.providers import SPECS
from trubka.providers.base import Provider
from trubka.providers.spec import ProviderSpec
from trubka.relay.store import settings, users
from trubka.relay.store.db import Store

# PostgreSQL: the longest a relay trusts its snapshot without hearing a NOTIFY (the
# listening connection could have dropped unnoticed).
RECHECK_SECONDS = 5.0
# SQLite: one look at the stamp serves the parts of one request (the gate, the route, the
# ingest all ask within this long); the next request looks again.
SAME_REQUEST_SECONDS = 0.002


@dataclass(frozen=True)
class Snapshot:
    version: str
    settings: settings.RuntimeSettings
    configs: Mapping[str, Mapping[str, str]]  # the most recently set first
    providers: Mapping[str, Provider] = field(default_factory=dict)
    # Employees by extension, filled by the ingest as webhooks name them: an extension
    # never changes owner and every change to an employee bumps the version
    # (users.update_user), so they hold for this snapshot's life.
    employees: dict[str, users.User] = field(default_factory=dict)

    def provider(self, name: str) -> Provider | None:
        return self.providers.get(name)

    def outbound(self) -> Provider:
        """The provider that places calls: the `outbound-provider` setting, else the one
        configured most recently."""
        chosen = self.settings.outbound_provider
        for name, provider in self.providers.items():
            if not chosen or name == chosen:
                return provider
        raise NotConfigured("no PBX is configured for click-to-call "
                            "(trubka-relay provider set NAME ...)")


def _with_relay(config: Mapping[str, str], rt: settings.RuntimeSettings) -> dict[str, str]:
    """A provider's options, its `public_url` falling back to the relay's `public-url`."""
    out = dict(config)
    if not out.get("public_url") and rt.public_url:
        out["public_url"] = rt.public_url
    return out


class ProviderRegistry:
    def __init__(self, store: Store, http: httpx.AsyncClient) -> None:
        self.store = store
        self.http = http
        self._snapshot: Snapshot | None = None
        self._lock = asyncio.Lock()
        self._stale = True  # PostgreSQL: a NOTIFY came (or nothing is loaded yet)
        self._checked = 0.0
        self._stamp: int | None = None  # SQLite: the store's stamp at the last check

    def invalidate(self) -> None:
        """The configuration changed (a NOTIFY, or this process changed it)."""
        self._stale = True

    async def current(self) -> Snapshot:
        snapshot = self._snapshot
        if snapshot is not None and not self._must_check():
            return snapshot
        if self.store.is_sqlite:
            # The stamp before the version: a change committed after this read moves the
            # stamp again, and the next request reads the version anew.
            self._stamp = self.store.config_stamp()
            version = self.store.peek(settings.VERSION_SQL, settings.VERSION_KEY) or ""
        else:
            async with self.store.quick_read() as conn:
                version = await settings.version(conn)
        self._checked = time.monotonic()
        self._stale = False
        if snapshot is not None and snapshot.version == version:
            return snapshot
        return await self.reload()

    def _must_check(self) -> bool:
        if self._stale:
            return True
        age = time.monotonic() - self._checked
        if not self.store.is_sqlite:
            return age > RECHECK_SECONDS
        if age <= SAME_REQUEST_SECONDS:
            return False
        stamp = self.store.config_stamp()
        if stamp is not None and stamp == self._stamp:
            self._checked = time.monotonic()  # good for the rest of this request
            return False
        return True

    async def reload(self) -> Snapshot:
        async with self._lock:
            async with self.store.quick_read() as conn:
                version = await settings.version(conn)
                runtime = await settings.load(conn)
                configs = dict(await settings.provider_configs(conn))
            providers = {name: SPECS[name].build(_with_relay(config, runtime), self.http)
                         for name, config in configs.items() if name in SPECS}
            self._snapshot = Snapshot(version, runtime, configs, providers)
            return self._snapshot

    async def provider(self, name: str) -> Provider | None:
        """The configured provider `name`; a miss re-reads before answering None, so a
        provider set a moment ago is never refused."""
        found = (await self.current()).provider(name)
        if found is None:
            self.invalidate()
            found = (await self.current()).provider(name)
        return found

    async def settings(self) -> settings.RuntimeSettings:
        return (await self.current()).settings

    async def outbound(self) -> Provider:
        return (await self.current()).outbound()

    @staticmethod
    def spec(provider: Provider) -> ProviderSpec:
        return SPECS[provider.name]
