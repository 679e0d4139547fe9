"""Calls (one row per employee leg of a PBX call) and the journal (one entry per call)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from trubka.core.contacts import Contact
from trubka.core.model import (
    Call,
    CallState,
    Direction,
    JournalEntry,
    JournalStatus,
    utcnow,
)
from trubka.relay.store import raw
from trubka.relay.store.schema import calls, journal

FINAL_STATES = [s.value for s in CallState if s.is_final]
LIVE_STATES = [s.value for s in CallState if not s.is_final]


def new_id() -> str:
    return uuid.uuid4().hex


def _contact(data: Any) -> Contact | None:
    return Contact.from_dict(data) if isinstance(data, dict) else None


def _call(row: sa.Row) -> Call:  # type: ignore[type-arg]
    return Call(
        id=row.id, provider=row.provider, provider_call_id=row.provider_call_id,
        direction=Direction(row.direction), state=CallState(row.state), phone=row.phone,
        phone_raw=row.phone_raw, ext=row.ext, line=row.line, contact=_contact(row.contact),
        started_at=row.started_at, answered_at=row.answered_at, ended_at=row.ended_at,
        answered_by=row.answered_by,
    )


def _call_values(call: Call) -> dict[str, Any]:
    return {
        "provider": call.provider, "provider_call_id": call.provider_call_id,
        "direction": call.direction.value, "state": call.state.value, "phone": call.phone,
        "phone_raw": call.phone_raw[:80], "ext": call.ext, "line": call.line[:80],
        "contact": call.contact.to_dict() if call.contact else None,
        "started_at": call.started_at, "answered_at": call.answered_at,
        "ended_at": call.ended_at, "answered_by": call.answered_by, "updated_at": utcnow(),
    }


# The statements every webhook runs are built once and run on the driver itself
# (store/raw.py: the CPU per webhook, docs/performance.md).
# FOR UPDATE (PostgreSQL; SQLite serialises writers anyway): a leg read to be changed is
# not changed meanwhile by another transaction (a CRM card arriving).
_GET_LEG = raw.Statement(sa.select(calls).where(
    calls.c.provider == sa.bindparam("provider"),
    calls.c.provider_call_id == sa.bindparam("pcid"),
    calls.c.user_id == sa.bindparam("uid")).with_for_update())


def _lock_legs_statement(dialect: str) -> raw.Statement:
    """The legs of a list of keys, given as one JSON array of [provider, call id, user
    id]. On PostgreSQL each key is its own index probe, its leg locked in the keys' order:
    a join the planner chose would scan a table not analyzed yet."""
    keys = sa.bindparam("keys", type_=sa.String)
    if dialect == "postgresql":
        k = sa.func.json_array_elements(sa.cast(keys, sa.JSON)).table_valued("value").alias("k")
        leg = sa.select(calls).where(
            calls.c.provider == _item(k, 0), calls.c.provider_call_id == _item(k, 1),
            calls.c.user_id == sa.cast(_item(k, 2), sa.Integer)).with_for_update().lateral("c")
        return raw.Statement(sa.select(*leg.c).select_from(k.join(leg, sa.true())))
    j = sa.func.json_each(keys).table_valued("value").alias("j")
    return raw.Statement(sa.select(calls).where(
        sa.tuple_(calls.c.provider, calls.c.provider_call_id, calls.c.user_id)
        .in_(sa.select(_item(j, 0), _item(j, 1), _item(j, 2)))))


def _item(elements: Any, index: int) -> Any:
    return elements.c.value.op("->>")(sa.literal_column(str(index)))


_LOCK_LEGS = {dialect: _lock_legs_statement(dialect) for dialect in ("postgresql", "sqlite")}
_INSERT_CALL = raw.Statement(calls.insert())
_UPDATE_CALL = raw.Statement(calls.update().where(calls.c.id == sa.bindparam("call_id")))
_ENTRY_FOR_CALL = sa.select(journal).where(journal.c.call_id == sa.bindparam("call_id"))
_INSERT_ENTRY = journal.insert()
_UPDATE_ENTRY = journal.update().where(journal.c.id == sa.bindparam("entry_id"))


async def get_leg(
    conn: AsyncConnection, provider: str, provider_call_id: str, user_id: int
) -> Call | None:
    row = await raw.first(conn, _GET_LEG, {"provider": provider, "pcid": provider_call_id,
                                           "uid": user_id})
    return _call(row) if row else None


LegKey = tuple[str, str, int]  # provider, the PBX's call id, user id


async def lock_legs(conn: AsyncConnection, keys: Sequence[LegKey]) -> dict[LegKey, Call | None]:
    """Several legs in one statement, each locked as `get_leg` locks it (None for a leg
    that does not exist yet): the event writer reads a batch's legs ahead, one round trip
    where each job would take one of its own (docs/performance.md). Locked in one order,
    so two transactions reading overlapping legs ahead wait rather than deadlock."""
    wanted = sorted(set(keys))
    found: dict[LegKey, Call | None] = dict.fromkeys(wanted)
    rows = await raw.rows(conn, _LOCK_LEGS[conn.dialect.name],
                          {"keys": json.dumps(wanted)}) if wanted else []
    for row in rows:
        found[row.provider, row.provider_call_id, row.user_id] = _call(row)
    return found


async def take_leg(conn: AsyncConnection, ahead: dict[LegKey, Call | None], provider: str,
                   provider_call_id: str, user_id: int) -> Call | None:
    """`get_leg`, from the legs `lock_legs` read ahead when it read this one — once: a
    later read in the same transaction asks the database, which has its writes."""
    key = (provider, provider_call_id, user_id)
    if key in ahead:
        return ahead.pop(key)
    return await get_leg(conn, provider, provider_call_id, user_id)


async def leg_by_id(conn: AsyncConnection, call_id: str) -> tuple[int, Call] | None:
    """A leg by the relay's id, with its user (read only: no lock)."""
    row = (await conn.execute(sa.select(calls).where(calls.c.id == call_id))).first()
    return (row.user_id, _call(row)) if row else None


async def other_ringing_legs(
    conn: AsyncConnection, provider: str, provider_call_id: str, user_id: int
) -> list[tuple[int, Call]]:
    """The colleagues' legs of a group call that still ring."""
    rows = (await conn.execute(sa.select(calls).where(
        calls.c.provider == provider, calls.c.provider_call_id == provider_call_id,
        calls.c.user_id != user_id, calls.c.state == CallState.RINGING.value))).all()
    return [(row.user_id, _call(row)) for row in rows]


async def save(conn: AsyncConnection, user_id: int, call: Call, is_new: bool) -> None:
    values = _call_values(call)
    if is_new:
        await raw.execute(conn, _INSERT_CALL, {"id": call.id, "user_id": user_id, **values})
    else:
        await raw.execute(conn, _UPDATE_CALL, {"call_id": call.id, **values})


async def insert_many(conn: AsyncConnection, legs: Sequence[tuple[int, Call]]) -> None:
    """New legs `(user id, call)`, in one round trip (`save(is_new=True)` for several)."""
    values = [{"id": call.id, "user_id": user_id, **_call_values(call)}
              for user_id, call in legs]
    if len(values) == 1:  # asyncpg's executemany costs more for one
        await raw.execute(conn, _INSERT_CALL, values[0])
    else:
        await raw.execute_many(conn, _INSERT_CALL, values)


async def in_progress(conn: AsyncConnection, user_id: int) -> list[Call]:
    rows = (await conn.execute(sa.select(calls).where(
        calls.c.user_id == user_id, calls.c.state.not_in(FINAL_STATES))
        .order_by(calls.c.started_at))).all()
    return [_call(r) for r in rows]


async def stale_in_progress(
    conn: AsyncConnection, before: datetime, provider: str | None = None,
    state: CallState | None = None,
) -> list[tuple[int, Call]]:
    """Calls (of `provider`, in `state`, when given) no PBX event has touched since
    `before`: read by `ix_calls_state_updated`, not by a scan of every call kept."""
    states = LIVE_STATES if state is None else [state.value]
    query = sa.select(calls).where(calls.c.state.in_(states), calls.c.updated_at < before)
    if provider is not None:
        query = query.where(calls.c.provider == provider)
    rows = (await conn.execute(query)).all()
    return [(r.user_id, _call(r)) for r in rows]


async def legs(conn: AsyncConnection, provider: str, provider_call_id: str
               ) -> list[tuple[int, Call]]:
    """Every employee's leg of one PBX call."""
    rows = (await conn.execute(sa.select(calls).where(
        calls.c.provider == provider, calls.c.provider_call_id == provider_call_id))).all()
    return [(row.user_id, _call(row)) for row in rows]


# -- journal -------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class StoredEntry:
    entry: JournalEntry
    authoritative: bool


def _entry(row: sa.Row) -> JournalEntry:  # type: ignore[type-arg]
    return JournalEntry(
        id=row.id, call_id=row.call_id, direction=Direction(row.direction),
        status=JournalStatus(row.status), phone=row.phone, phone_raw=row.phone_raw,
        contact=_contact(row.contact), started_at=row.started_at, duration=row.duration,
        recording_url=row.recording_url, note=row.note,
    )


async def journal_for_call(conn: AsyncConnection, call_id: str) -> StoredEntry | None:
    row = (await conn.execute(_ENTRY_FOR_CALL, {"call_id": call_id})).first()
    return StoredEntry(_entry(row), row.status_final) if row else None


async def save_entry(
    conn: AsyncConnection, user_id: int, entry: JournalEntry, authoritative: bool, is_new: bool
) -> None:
    values = {
        "direction": entry.direction.value, "status": entry.status.value,
        "status_final": authoritative, "phone": entry.phone, "phone_raw": entry.phone_raw[:80],
        "contact": entry.contact.to_dict() if entry.contact else None,
        "started_at": entry.started_at, "duration": entry.duration,
        "recording_url": entry.recording_url[:2000], "note": entry.note,
    }
    if is_new:
        await conn.execute(_INSERT_ENTRY, {"id": entry.id, "call_id": entry.call_id,
                                           "user_id": user_id, "created_at": utcnow(),
                                           **values})
    else:
        await conn.execute(_UPDATE_ENTRY, {"entry_id": entry.id, **values})


JOURNAL_FILTERS = {
    "all": None,
    "missed": journal.c.status.in_([JournalStatus.MISSED.value]),
    "in": journal.c.direction == Direction.IN.value,
    "out": journal.c.direction == Direction.OUT.value,
}


async def list_journal(
    conn: AsyncConnection, user_id: int, kind: str, limit: int, before: str | None
) -> list[JournalEntry]:
    """Newest first; `before` is the id of the last entry of the previous page."""
    stmt = sa.select(journal).where(journal.c.user_id == user_id)
    condition = JOURNAL_FILTERS[kind]
    if condition is not None:
        stmt = stmt.where(condition)
    if before:
        anchor = (await conn.execute(sa.select(journal.c.started_at, journal.c.id).where(
            journal.c.id == before, journal.c.user_id == user_id))).first()
        if anchor is not None:
            stmt = stmt.where(sa.or_(
                journal.c.started_at < anchor.started_at,
                sa.and_(journal.c.started_at == anchor.started_at, journal.c.id < anchor.id)))
    rows = (await conn.execute(stmt.order_by(journal.c.started_at.desc(), journal.c.id.desc())
                               .limit(limit))).all()
    return [_entry(r) for r in rows]


async def get_entry(conn: AsyncConnection, user_id: int, entry_id: str) -> JournalEntry | None:
    row = (await conn.execute(sa.select(journal).where(
        journal.c.id == entry_id, journal.c.user_id == user_id))).first()
    return _entry(row) if row else None


async def set_note(conn: AsyncConnection, user_id: int, entry_id: str, note: str) -> bool:
    result = await conn.execute(journal.update().where(
        journal.c.id == entry_id, journal.c.user_id == user_id).values(note=note))
    return bool(result.rowcount)


async def trim_journal(conn: AsyncConnection, older_than: datetime) -> int:
    """Forget journal entries, and finished calls, older than the retention (each found
    by an index: `ix_journal_started`, `ix_calls_state_updated`)."""
    await conn.execute(journal.delete().where(journal.c.started_at < older_than))
    result = await conn.execute(calls.delete().where(
        calls.c.state.in_(FINAL_STATES), calls.c.updated_at < older_than,
        ~sa.exists().where(journal.c.call_id == calls.c.id)))
    return result.rowcount or 0
