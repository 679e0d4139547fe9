"""What the console shows about the whole company: PBXs and whether they reach the relay,
calls in progress, the journal of every user (with a spreadsheet-safe CSV), and a test
call played through the relay's real webhook path."""

from __future__ import annotations

import asyncio
import csv
import io
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import httpx

from trubka.core.errors import Conflict
from trubka.core.model import Call, JournalEntry
from trubka.core.numbers import display
from trubka.relay import simulator
from trubka.relay.admin.config import ProviderView, _spec, provider_views, simulator_token
from trubka.relay.admin.context import Admin
from trubka.relay.admin.users import user
from trubka.relay.store import hookstatus, overview, settings
from trubka.relay.store.overview import JournalQuery
from trubka.relay.store.users import User

__all__ = ["JournalQuery", "ProviderStatus", "TestCall", "journal", "journal_csv",
           "live_calls", "provider_statuses", "safe_cell", "test_call"]


@dataclass(frozen=True)
class ProviderStatus:
    """One PBX on the console: its set-up, the URL to paste, and its last webhook."""

    view: ProviderView
    webhook_url: str
    webhook: Mapping[str, object]

    @property
    def health(self) -> str:
        """`ok` (the last webhook was accepted), `error`, `waiting` (configured, nothing
        received yet) or `off` (not configured)."""
        if not self.view.configured:
            return "off"
        outcome = self.webhook.get("last_outcome")
        if not outcome:
            return "waiting"
        return "ok" if outcome in ("ok", "echo") else "error"


async def provider_statuses(
        admin: Admin, base_url: str,
        merge: Callable[[dict[str, dict[str, object]]], dict[str, dict[str, object]]]
        = lambda stored: stored) -> list[ProviderStatus]:
    """Every PBX: configured or not, the webhook URL (the relay's `public-url`, else
    `base_url`), and its last webhook as every replica noted it (`merge` adds this
    process's newest notes)."""
    async with admin.store.read() as conn:
        public = (await settings.load(conn)).public_url
        notes = merge(await hookstatus.load_all(conn))
    base = (public or base_url).rstrip("/")
    return [ProviderStatus(view, base + view.spec.webhook_path(), notes.get(view.name, {}))
            for view in await provider_views(admin)]


async def live_calls(admin: Admin) -> list[tuple[User, Call]]:
    async with admin.store.read() as conn:
        return await overview.live_calls(conn)


async def journal(admin: Admin, query: JournalQuery) -> list[tuple[User, JournalEntry]]:
    async with admin.store.read() as conn:
        return await overview.journal_all(conn, query)


_FORMULA = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?[\d\s().-]*$")


def safe_cell(value: object) -> str:
    """A CSV cell a spreadsheet will not run as a formula (OWASP CSV injection): text
    starting with = + - @ or a control character gets a leading apostrophe; plain
    numbers (`+7 999 123-45-67`) stay as they are."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA) and not _PLAIN_NUMBER.match(text):
        return "'" + text
    return text


JOURNAL_COLUMNS = ["started_at", "ext", "employee", "direction", "status", "phone",
                   "contact", "company", "duration", "note", "recording_url"]


def journal_csv(rows: list[tuple[User, JournalEntry]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(JOURNAL_COLUMNS)
    for employee, entry in rows:
        contact = entry.contact
        writer.writerow([safe_cell(v) for v in (
            entry.started_at.isoformat() if entry.started_at else "", employee.ext,
            employee.name, entry.direction.value, entry.status.value,
            display(entry.phone) if entry.phone else entry.phone_raw,
            contact.name if contact else "", contact.company if contact else "",
            entry.duration, entry.note, entry.recording_url)])
    return buffer.getvalue()


@dataclass(frozen=True, slots=True)
class TestCall:
    provider: str
    ext: str
    phone: str
    call_id: str
    status: int  # the relay's reply to the simulated webhook
    reply: str


TEST_PHONE = "89991234567"
_ENDINGS: set[asyncio.Task[object]] = set()  # test calls still to end (kept referenced)


async def test_call(admin: Admin, name: str, ext: str, relay_url: str,
                    headers: Mapping[str, str], ring_seconds: float = 20.0) -> TestCall:
    """An incoming call to `ext` from the test number, as PBX `name` would post it
    (`ProviderSpec.simulate`), to the relay at `relay_url`: it rings now and ends as
    missed after `ring_seconds`. `headers` go with each request."""
    _spec(name)
    employee = await user(admin, ext)
    token = await simulator_token(admin, name)
    if token is None:
        raise Conflict(f"configure {name} first (its webhook secret is not set)")
    call = simulator.CallSpec(ext=employee.ext, phone=TEST_PHONE, user=employee.pbx_user)
    ring = [simulator.Step("ring", "in", pause=0)]
    end = [simulator.Step("end", "in", "missed", duration=int(ring_seconds), pause=0)]

    async def post(steps: list[simulator.Step]) -> list[simulator.Posted]:
        async with httpx.AsyncClient(timeout=10, headers=dict(headers)) as http:
            return await simulator.play(relay_url, steps, call, token, name, 0, http)

    posted = await post(ring)
    last = posted[-1] if posted else None

    async def finish() -> None:
        await asyncio.sleep(ring_seconds)
        await post(end)

    task: asyncio.Task[object] = asyncio.create_task(finish())
    _ENDINGS.add(task)
    task.add_done_callback(_ENDINGS.discard)
    return TestCall(name, employee.ext, TEST_PHONE, call.call_id,
                    last.status if last else 0, last.reply if last else "")
