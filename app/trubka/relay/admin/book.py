"""The shared address book in bulk, and retention."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

from trubka.core.contacts import Contact
from trubka.relay import addressbook
from trubka.relay.admin.context import Admin
from trubka.relay.store import calls, contacts, crm, settings, sightings, users

SIGHTINGS_KEPT = 24 * 3600  # seconds; far beyond any PBX's same-call window


async def country(admin: Admin) -> str:
    async with admin.store.read() as conn:
        return (await settings.load(conn)).default_country


async def import_contacts(admin: Admin, items: Sequence[Contact]) -> int:
    """Add `items` in one transaction; every open desktop is told to reload its book."""
    async with admin.writer.transaction() as (conn, outbox):
        await contacts.create_many(conn, items)
        await outbox.contacts(None)
        await crm.forget_answers(conn)  # the CRM's cached answers may be stale now
        # A relay in another process delivers those frames from the log (relay/watch.py).
        await settings.changed(conn)
    return len(items)


async def import_file(admin: Admin, path: Path) -> int:
    """A .csv or .vcf file, all or nothing (addressbook.ImportRefused lists what is
    wrong, where)."""
    return await import_contacts(admin, addressbook.read_file(path, await country(admin)))


async def export_contacts(admin: Admin, vcard: bool) -> tuple[str, int]:
    async with admin.store.read() as conn:
        records = await contacts.iterate(conn)
    text = addressbook.write_vcards(records) if vcard else addressbook.write_csv(records)
    return text, len(records)


async def trim(admin: Admin) -> tuple[int, int]:
    """Drop event-log and journal entries older than their retention."""
    async with admin.store.write() as conn:
        rt = await settings.load(conn)
        events = await users.trim_events(conn, users.retention_cutoff(rt.event_retention_hours))
        entries = await calls.trim_journal(conn, users.retention_cutoff(rt.retention_days * 24))
        await sightings.trim(conn, time.time() - SIGHTINGS_KEPT)
    return events, entries
