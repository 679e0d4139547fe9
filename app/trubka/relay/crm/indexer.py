"""The local index of a CRM's phones (1C): a full load, then incremental refreshes.

A refresh runs on one process at a time (a lease in the settings table, so replicas
and `crm refresh` from the shell take turns), page by page: each page is one short
write transaction, so lookups go on from the index while it loads and a failure leaves
what was read. The first refresh (or `crm refresh --full`) reads every object and then
drops the ones it did not see; later ones compare versions (onec_odata.py).
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import sqlalchemy as sa

from trubka.core.contacts import MAX_PHONES
from trubka.core.errors import Conflict, NotSupported
from trubka.core.model import utcnow
from trubka.core.numbers import Number, try_normalize
from trubka.relay.crm.base import Card, CrmUser, IndexPage, reason
from trubka.relay.crm.service import Active, CrmService
from trubka.relay.store import crm_index
from trubka.relay.store.schema import settings as settings_table

log = logging.getLogger("trubka.relay.crm")
LEASE = timedelta(minutes=10)
_SPLIT = re.compile(r"[,;]")
_WORDS = re.compile(r"[^\d\s+()\-./].*$")


def numbers(raws: Sequence[str], country: str) -> tuple[Number, ...]:
    """Numbers in free text as 1C keeps them ("+7 (495) 123-45-67 доб. 12, 8 916 …"),
    by the address book's rules (core.numbers): each part up to the first word."""
    out: list[Number] = []
    for raw in raws:
        for part in _SPLIT.split(raw):
            number = try_normalize(_WORDS.sub("", part).strip(), country)
            if number is not None and all(n.canonical != number.canonical for n in out):
                out.append(number)
    return tuple(out[:MAX_PHONES])


@dataclass(frozen=True, slots=True)
class Refreshed:
    full: bool
    changed: int
    removed: int
    objects: int
    numbers: int
    seconds: float


class Indexer:
    def __init__(self, service: CrmService) -> None:
        self.service = service
        self.store = service.store
        self.owner = uuid.uuid4().hex

    async def refresh(self, full: bool = False) -> Refreshed:
        """Bring the index up to date; a full load when asked or when it is empty."""
        active = await self.service.active()
        if active is None or not active.spec.capabilities.index:
            raise NotSupported("the configured CRM keeps no local index")
        if not await self._lease(LEASE):
            raise Conflict("the index is being refreshed elsewhere; try again later")
        started = time.perf_counter()
        try:
            async with self.store.read() as conn:
                objects, _ = await crm_index.counts(conn, active.name)
                entities = {e: await crm_index.versions(conn, active.name, e)
                            for e in _entities(active)} if objects and not full else None
            changed, removed = await self._load(active, entities, empty=not objects)
        except Exception as exc:
            await self.service.note(active.name, reason(exc))
            raise
        finally:
            await self._lease(timedelta(0))
        async with self.store.read() as conn:
            objects, count = await crm_index.counts(conn, active.name)
        done = Refreshed(entities is None, changed, removed, objects, count,
                         time.perf_counter() - started)
        await self.service.note(active.name, "", index={
            "objects": objects, "numbers": count, "refreshed_at": utcnow().isoformat(),
            "full": done.full, "seconds": round(done.seconds, 1)})
        log.info("crm %s: index %s: %d changed, %d removed, %d objects, %d numbers, %.1f s",
                 active.name, "loaded" if done.full else "refreshed", changed, removed,
                 objects, count, done.seconds)
        return done

    async def _load(self, active: Active, known: Mapping[str, Mapping[str, str]] | None,
                    empty: bool) -> tuple[int, int]:
        rt = await self.service.registry.settings()
        names = await self._responsible_names(active)
        seen: dict[str, set[str]] = {}
        changed = removed = 0
        async for page in active.connector.scan(known):
            async with self.store.write() as conn:
                if isinstance(page, IndexPage):
                    entries = [_entry(page.entity, o, names, rt.default_country)
                               for o in page.objects]
                    await crm_index.replace(conn, active.name, entries, fresh=empty)
                    seen.setdefault(page.entity, set()).update(e.ref for e in entries)
                    changed += len(entries)
                else:
                    entity, refs = page
                    await crm_index.remove(conn, active.name, [(entity, r) for r in refs])
                    removed += len(refs)
            await self._lease(LEASE)
        if known is None:  # a full load: what it did not see is gone from the CRM
            async with self.store.write() as conn:
                for entity in _entities(active):
                    stale = set(await crm_index.versions(conn, active.name, entity)) - \
                        seen.get(entity, set())
                    await crm_index.remove(conn, active.name, [(entity, r) for r in stale])
                    removed += len(stale)
        return changed, removed

    async def _responsible_names(self, active: Active) -> dict[str, str]:
        if not active.config.get("responsible_field"):
            return {}
        return {u.id: u.name for u in (await self.service.crm_users(active)).values()}

    async def _lease(self, length: timedelta) -> bool:
        """Take (or with a zero length give back) the refresh lease."""
        key = "crm-index-lease"
        now = utcnow()
        try:
            async with self.store.write() as conn:
                value = (await conn.execute(sa.select(settings_table.c.value).where(
                    settings_table.c.key == key))).scalar_one_or_none()
                holder, _, until = (value or "").partition(" ")
                if holder and holder != self.owner and until > now.isoformat():
                    return False
                await conn.execute(settings_table.delete().where(settings_table.c.key == key))
                await conn.execute(settings_table.insert().values(
                    key=key, value=f"{self.owner} {(now + length).isoformat()}"))
        except sa.exc.IntegrityError:  # another replica took it at the same moment
            return False
        return True

    async def run(self) -> None:
        """Refresh every `--refresh-minutes` while a connector with an index is set."""
        while True:
            active = await self.service.active()
            minutes = _minutes(active)
            if minutes is None:
                await asyncio.sleep(1.0)
                continue
            try:
                await self.refresh()
            except (Conflict, NotSupported):
                pass
            except Exception:
                log.exception("crm index refresh failed")
                self.service.metrics.failures.labels("crm-index").inc()
            await self._sleep(minutes * 60.0)

    async def _sleep(self, seconds: float) -> None:
        """Sleep, waking early when the connector's options change."""
        before = await self.service.active()
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            await asyncio.sleep(min(5.0, end - time.monotonic()))
            now = await self.service.active()
            if (now.config if now else None) != (before.config if before else None):
                return


def _entities(active: Active) -> list[str]:
    return [c.strip() for c in active.config.get("catalogs", "").split(",") if c.strip()]


def _minutes(active: Active | None) -> int | None:
    if active is None or not active.spec.capabilities.index:
        return None
    try:
        return max(1, int(active.config.get("refresh_minutes") or "15"))
    except ValueError:
        return 15


def _entry(entity: str, item: tuple[str, str, Card, Sequence[str]], names: Mapping[str, str],
           country: str) -> crm_index.Entry:
    ref, version, card, raws = item
    found = numbers(raws, country)
    who: CrmUser | None = card.responsible
    data: dict[str, Any] = {"name": card.name, "company": card.company, "crm_url": card.crm_url,
                            "owner": card.owner, "phones": [n.raw for n in found]}
    if who is not None:
        data["responsible"] = {"id": who.id, "name": names.get(who.id, who.name)}
    return crm_index.Entry(entity, ref, version, data, found)
