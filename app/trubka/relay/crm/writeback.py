"""Calls written back to the CRM, each once (the ledger in store/crm.py).

A write was claimed in the transaction that decided it (relay/crm/followup.py); here it
is performed: the employee is mapped to a CRM user (nothing is written for an employee
without one), the CRM is asked, and the ledger row is settled with the CRM's id. A
write that failed stays pending and is retried by the sweep (`sweep`, every minute, on
whichever replica gets to it first) up to MAX_ATTEMPTS times; so is one whose relay
died before it finished. A finish or a recording waits for its call's register.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import timedelta

from trubka.core.model import utcnow
from trubka.relay.crm.base import CallRecord, Refused, reason
from trubka.relay.crm.mapping import crm_user_for
from trubka.relay.crm.service import Active, CrmService
from trubka.relay.store import calls, users
from trubka.relay.store import crm as ledger

log = logging.getLogger("trubka.relay.crm")

MAX_ATTEMPTS = 5
STALLED = timedelta(seconds=60)  # a pending write older than this is taken over
ORDER = {"register": 0, "call": 1, "finish": 1, "record": 2}
REGISTER_WAIT = 10.0  # how long a finish waits for its register (another replica's)


class Writeback:
    def __init__(self, service: CrmService) -> None:
        self.service = service
        self.store = service.store

    async def perform_all(self, write_ids: Sequence[int]) -> None:
        """Perform claimed writes, a call's register before its finish."""
        async with self.store.read() as conn:
            found = [w for w in [await ledger.write(conn, i) for i in write_ids] if w]
        for write in sorted(found, key=lambda w: (w.provider_call_id, ORDER[w.kind])):
            await self.perform(write.id)

    async def sweep(self) -> int:
        """Retry the writes left pending (a failure, a relay that died); how many."""
        before = utcnow() - STALLED
        async with self.store.read() as conn:
            stalled = await ledger.stalled(conn, before)
        taken = []
        for write_id in stalled:
            async with self.store.write() as conn:
                if await ledger.reclaim(conn, write_id, before):
                    taken.append(write_id)
        await self.perform_all(taken)
        return len(taken)

    async def perform(self, write_id: int) -> str:
        """Do one claimed write; the state it was left in."""
        active = await self.service.active()
        async with self.store.read() as conn:
            write = await ledger.write(conn, write_id)
            if write is None or write.state != ledger.PENDING:
                return write.state if write else "gone"
            leg = await ledger.call_by_id(conn, write.call_id)
            entry = await calls.journal_for_call(conn, write.call_id)
            employee = await users.user_by_id(conn, write.user_id)
        if active is None or active.name != write.connector or not active.writes_calls \
                or leg is None:
            return await self._settle(write_id, write.kind, ledger.SKIPPED,
                                      error="the connector or the call is gone")
        crm_users = list((await self.service.crm_users(active)).values())
        crm_user = crm_user_for(employee, crm_users, active.explicit)
        if crm_user is None:
            log.info("crm %s: ext %s has no CRM user: call %s not written", active.name,
                     employee.ext, write.call_id)
            return await self._settle(write_id, write.kind, ledger.SKIPPED,
                                      error=f"ext {employee.ext} has no CRM user")
        remote = ""
        if write.kind in ("finish", "record"):
            state, remote = await self._registered(active, write.provider,
                                                   write.provider_call_id)
            if state != ledger.DONE:
                return await self._settle(write_id, write.kind, state,
                                          error="the call's register is " + (
                                              "not done yet" if state == ledger.PENDING
                                              else "missing"))
        call = leg[1]
        stored = entry.entry if entry is not None else None
        record = CallRecord(
            uniq=f"trubka-{write.provider}-{write.provider_call_id}"[:200],
            direction=call.direction, phone=call.phone or call.phone_raw,
            started_at=(stored.started_at if stored else None) or call.started_at,
            user=crm_user, line=call.line, status=stored.status if stored else None,
            duration=stored.duration if stored else 0,
            recording_url=stored.recording_url if stored else "",
            contact_ref=_ref(call.contact.crm_url if call.contact else ""),
            remote_id=remote)
        return await self._attempt(active, write, record)

    async def _attempt(self, active: Active, write: ledger.Write, record: CallRecord) -> str:
        try:
            remote = await self.service.track(
                active, lambda: active.connector.write_call(write.kind, record))
        except Exception as exc:
            final = isinstance(exc, Refused) or write.attempts + 1 >= MAX_ATTEMPTS
            log.warning("crm %s: %s of call %s failed (%s)%s", active.name, write.kind,
                        write.call_id, reason(exc), "" if final else "; will retry")
            await self.service.note(active.name, self.service.health.error,
                                    write_error=f"{write.kind}: {reason(exc)}")
            return await self._settle(write.id, write.kind,
                                      ledger.FAILED if final else ledger.PENDING,
                                      error=reason(exc))
        if self.service.health.extra.get("write_error"):
            await self.service.note(active.name, self.service.health.error, write_error="")
        return await self._settle(write.id, write.kind, ledger.DONE, remote_id=remote)

    async def _registered(self, active: Active, provider: str, call_id: str
                          ) -> tuple[str, str]:
        """(DONE, the CRM's id) of the call's register; (PENDING, "") when it is still
        in progress after a little wait (the sweep retries); (SKIPPED, "") without one."""
        deadline = asyncio.get_running_loop().time() + REGISTER_WAIT
        while True:
            async with self.store.read() as conn:
                found = await ledger.write_for(conn, active.name, "register", provider,
                                               call_id)
            if found is None or found.state in (ledger.SKIPPED, ledger.FAILED):
                return ledger.SKIPPED, ""
            if found.state == ledger.DONE:
                return ledger.DONE, found.remote_id
            if asyncio.get_running_loop().time() > deadline:
                return ledger.PENDING, ""
            await asyncio.sleep(0.2)

    async def _settle(self, write_id: int, kind: str, state: str, remote_id: str = "",
                      error: str = "") -> str:
        active = self.service._active
        name = active.name if active is not None else "-"
        async with self.store.write() as conn:
            await ledger.settle(conn, write_id, state, remote_id, error)
        self.service.metrics.crm_writes.labels(name, kind, state).inc()
        return state


def _ref(crm_url: str) -> str:
    """A card's CRM object from its link, where the connector can use it (Bitrix24:
    `/crm/contact/details/42/` → CONTACT:42)."""
    parts = [p for p in crm_url.split("/") if p]
    if len(parts) >= 3 and parts[-2] == "details" and parts[-1].isdigit() and \
            parts[-3] in ("contact", "company"):
        return f"{parts[-3].upper()}:{parts[-1]}"
    return ""
