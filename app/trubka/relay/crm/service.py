"""The relay's side of the CRM connector: which one is configured, and who a number is.

`CrmService.find` answers from the local index (1C), else from the answer cache in the
database (shared by replicas and the CLI, "not found" included, dropped when a contact
changes through Trubka), else asks the CRM — once per number however many lookups
wait for it (single flight) — and caches what it said. A caller that cannot wait (a PBX
asking for the caller's name) passes `wait`: it gets what is known by then while the
request goes on and fills the cache. A CRM that fails is logged once per change of
state, counted in the metrics and shown by `crm show` and `/readyz`; it never fails a
call.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TypeVar

import httpx
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from trubka.core.contacts import MAX_PHONES, Contact, ContactInvalid, validate
from trubka.core.model import utcnow
from trubka.core.numbers import Number, try_normalize
from trubka.relay.crm import SPECS
from trubka.relay.crm.base import Card, Connector, ConnectorSpec, CrmUser, on, parse_map, reason
from trubka.relay.crm.mapping import ext_for
from trubka.relay.metrics import Metrics
from trubka.relay.registry import ProviderRegistry
from trubka.relay.store import crm as crm_store
from trubka.relay.store import crm_index, status
from trubka.relay.store.db import Store
from trubka.relay.store.schema import users as users_table
from trubka.relay.store.settings import RuntimeSettings
from trubka.relay.store.users import User

log = logging.getLogger("trubka.relay.crm")
T = TypeVar("T")
USERS_TTL = 600.0
STATUS_KEY = "crm"


@dataclass(frozen=True)
class Active:
    """The configured connector, built for the configuration version it was read at."""

    spec: ConnectorSpec
    connector: Connector
    config: Mapping[str, str]
    explicit: Mapping[str, str]

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def writes_calls(self) -> bool:
        return self.spec.capabilities.write_calls and on(self.config.get("write_calls", "on"))


@dataclass(frozen=True, slots=True)
class Answer:
    contact: Contact | None
    origin: str  # index | cache | live | timeout | error | off
    seconds: float
    error: str = ""


@dataclass
class Health:
    """The connector's state as the last request left it (persisted on each change)."""

    state: str = "unknown"
    error: str = ""
    since: str = ""
    last_ok_at: str = ""
    extra: dict[str, object] = field(default_factory=dict)

    def view(self) -> dict[str, object]:
        return {"state": self.state, "error": self.error, "since": self.since,
                "last_ok_at": self.last_ok_at, **self.extra}


def card_contact(card: Card, source: str, ext: str, country: str) -> Contact:
    """A CRM card as the one contact model, through the one validation path; a field
    that breaks a rule (a link scheme, a length) is dropped rather than the card."""
    phones = [p for p in card.phones if try_normalize(p, country) is not None][:MAX_PHONES]
    fields: dict[str, object] = {"name": card.name, "company": card.company, "phones": phones,
                                 "email": card.email, "responsible_ext": ext,
                                 "crm_url": card.crm_url}
    for _ in range(3):
        try:
            return validate(fields, country, None, source)
        except ContactInvalid as exc:
            for key in exc.problems:
                fields[key] = phones[0] if key == "name" and phones else (
                    "?" if key == "name" else "")
    return Contact(None, card.name[:300] or "?", source=source)


class CrmService:
    def __init__(self, store: Store, registry: ProviderRegistry, http: httpx.AsyncClient,
                 metrics: Metrics) -> None:
        self.store = store
        self.registry = registry
        self.http = http
        self.metrics = metrics
        self.health = Health()
        self._version: str | None = None
        self._active: Active | None = None
        self._lock = asyncio.Lock()
        self._inflight: dict[tuple[str, str], asyncio.Task[Contact | None]] = {}
        self._users: tuple[float, dict[str, CrmUser]] | None = None

    # -- which connector ---------------------------------------------------------------

    async def active(self) -> Active | None:
        """The configured connector (rebuilt when the configuration version changes)."""
        version = (await self.registry.current()).version
        if version == self._version:
            return self._active
        async with self._lock:
            if version != self._version:
                async with self.store.quick_read() as conn:
                    found = await crm_store.configured(conn)
                self._active = self.build(found)
                self._users = None
                self._version = version
        return self._active

    def build(self, found: tuple[str, dict[str, str]] | None) -> Active | None:
        if found is None or found[0] not in SPECS:
            return None
        name, config = found
        spec = SPECS[name]
        connector = spec.build(config, self.http)
        connector.vault = _Vault(self.store, name)
        try:
            explicit = parse_map(config.get("map", ""))
        except ValueError:
            explicit = {}
        return Active(spec, connector, config, explicit)

    @property
    def configured(self) -> bool:
        """Whether a connector is set, as last seen (no I/O: for use inside a write
        transaction, after `active()` was awaited)."""
        return self._active is not None

    async def known(self, conn: AsyncConnection, number: Number,
                    rt: RuntimeSettings) -> Contact | None:
        """What the CRM is known to say without asking it: its local index, or an answer
        in the cache (a PBX lookup just before the call asked it)."""
        active = self._active
        if active is None:
            return None
        if active.spec.capabilities.index:
            return await self.indexed(conn, number, rt)
        hit = await crm_store.cached(conn, active.name, number.canonical)
        return hit.contact if hit is not None else None

    # -- who a number is ---------------------------------------------------------------

    async def indexed(self, conn: AsyncConnection, number: Number,
                      rt: RuntimeSettings) -> Contact | None:
        active = self._active
        if active is None or not active.spec.capabilities.index:
            return None
        card = await crm_index.match(conn, active.name, number, rt.last_digits)
        if card is None:
            return None
        company = str(card.get("company") or "")
        if not company and card.get("owner"):
            company = await crm_index.name_of(conn, active.name, str(card["owner"]))
        data = card.get("responsible") or {}
        responsible = CrmUser(str(data.get("id", "")), str(data.get("name", ""))) \
            if isinstance(data, dict) and data.get("id") else None
        ext = ext_for(responsible, {}, active.explicit, await staff(conn)) \
            if responsible else ""
        found = Card(str(card.get("name") or ""), company,
                     tuple(str(p) for p in card.get("phones") or []),
                     crm_url=str(card.get("crm_url") or ""))
        return card_contact(found, active.name, ext, rt.default_country)

    async def find(self, number: Number, rt: RuntimeSettings, wait: float | None = None,
                   fresh: bool = False) -> Answer:
        """Who `number` is in the CRM; with `wait`, at most that many seconds; `fresh`
        asks the CRM even when the cache knows (`crm test`)."""
        started = time.perf_counter()
        active = await self.active()
        if active is None:
            return Answer(None, "off", 0.0)
        if active.spec.capabilities.index:
            async with self.store.quick_read() as conn:
                contact = await self.indexed(conn, number, rt)
            return self._answer(active, contact, "index", started)
        async with self.store.quick_read() as conn:
            hit = None if fresh else await crm_store.cached(conn, active.name,
                                                            number.canonical)
        if hit is not None:
            return self._answer(active, hit.contact, "cache", started)
        key = (active.name, number.canonical)
        task = self._inflight.get(key)
        if task is None:
            task = asyncio.create_task(self._ask(active, number, rt))
            self._inflight[key] = task
            task.add_done_callback(lambda t: self._settled(key, t))
        try:
            contact = await asyncio.wait_for(asyncio.shield(task), wait)
        except TimeoutError:
            return self._answer(active, None, "timeout", started)
        except Exception as exc:
            return Answer(None, "error", time.perf_counter() - started, reason(exc))
        return self._answer(active, contact, "live", started)

    def _settled(self, key: tuple[str, str], task: asyncio.Task[Contact | None]) -> None:
        self._inflight.pop(key, None)
        if not task.cancelled():
            task.exception()  # retrieved: a failure nobody waited for is in the log already

    def _answer(self, active: Active, contact: Contact | None, origin: str,
                started: float) -> Answer:
        self.metrics.crm_lookups.labels(active.name, origin).inc()
        return Answer(contact, origin, time.perf_counter() - started)

    async def _ask(self, active: Active, number: Number, rt: RuntimeSettings
                   ) -> Contact | None:
        card = await self.track(active, lambda: active.connector.lookup(number))
        contact = await self.contact(active, card, rt) if card is not None else None
        async with self.store.write() as conn:
            await crm_store.cache(conn, active.name, number.canonical, contact,
                                  timedelta(minutes=rt.crm_cache_minutes))
        return contact

    async def contact(self, active: Active, card: Card, rt: RuntimeSettings) -> Contact:
        """A live card as a contact, its responsible user mapped to an extension."""
        ext = ""
        if card.responsible is not None:
            known = await self.crm_users(active) if not card.responsible.ext else {}
            async with self.store.quick_read() as conn:
                employees = await staff(conn)
            ext = ext_for(card.responsible, known, active.explicit, employees)
        return card_contact(card, active.name, ext, rt.default_country)

    async def crm_users(self, active: Active) -> dict[str, CrmUser]:
        """The CRM's users, kept for USERS_TTL; {} when the CRM will not list them."""
        cached = self._users
        if cached is not None and time.monotonic() - cached[0] < USERS_TTL:
            return cached[1]
        try:
            listed = await self.track(active, active.connector.users)
        except Exception as exc:
            log.warning("crm %s: users not listed (%s); map them with --map", active.name,
                        reason(exc))
            listed = []
        self._users = (time.monotonic(), {u.id: u for u in listed})
        return self._users[1]

    async def stop(self) -> None:
        """Cancel the requests still under way (the relay is stopping)."""
        pending = list(self._inflight.values())
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)

    # -- health ------------------------------------------------------------------------

    async def track(self, active: Active, work: Callable[[], Awaitable[T]]) -> T:
        """Run one request to the CRM, timing it and noting success or failure."""
        started = time.perf_counter()
        try:
            result = await work()
        except Exception as exc:
            self.metrics.crm_requests.labels(active.name, "error").inc()
            await self.note(active.name, reason(exc))
            raise
        finally:
            self.metrics.crm_seconds.labels(active.name).observe(time.perf_counter() - started)
        self.metrics.crm_requests.labels(active.name, "ok").inc()
        await self.note(active.name, "")
        return result

    async def note(self, name: str, error: str, **extra: object) -> None:
        """Record the outcome; a change of state is logged once and persisted."""
        now = utcnow().isoformat()
        state = "error" if error else "ok"
        self.metrics.crm_up.labels(name).set(0 if error else 1)
        if not error:
            self.health.last_ok_at = now
        changed = state != self.health.state or error != self.health.error or extra
        if not changed:
            return
        if error:
            log.warning("crm %s: %s (calls go on with the relay's own book)", name, error)
        elif self.health.state == "error":
            log.info("crm %s: answering again", name)
        self.health.state, self.health.error, self.health.since = state, error, now
        self.health.extra.update(extra)
        async with self.store.write() as conn:
            await status.put(conn, STATUS_KEY, {"connector": name, **self.health.view()})


class _Vault:
    """Credentials a CRM rotated (OAuth tokens) go back into the connector's options:
    every replica rebuilds its connector with them (settings.changed)."""

    def __init__(self, store: Store, name: str) -> None:
        self.store = store
        self.name = name

    async def save(self, values: Mapping[str, str]) -> None:
        async with self.store.write() as conn:
            await crm_store.update_config(conn, self.name, dict(values))


async def staff(conn: AsyncConnection) -> list[User]:
    """The relay's employees, for mapping CRM users to extensions."""
    rows = (await conn.execute(sa.select(users_table.c.id, users_table.c.name,
                                         users_table.c.ext, users_table.c.email))).all()
    return [User(r.id, r.name, r.ext, email=r.email or "") for r in rows]
