"""The generic provider hooks the relay honours: background tasks (`run_background`,
supervised by relay/background.py), per-provider expiry (`stale_after`,
`journal_on_expiry`) and events that name no employee (`Ingest._addressed`)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import ClassVar

import pytest
import sqlalchemy as sa

from trubka.core.model import CallEvent, Direction, EventKind, JournalStatus
from trubka.providers import SPECS
from trubka.providers.base import BackgroundContext, PbxAccount, Provider
from trubka.providers.spec import DemoSetup, ProviderSpec
from trubka.relay.app import build_relay, close_relay
from trubka.relay.background import Background
from trubka.relay.deps import Relay
from trubka.relay.store import calls, settings, status, users
from trubka.relay.store.schema import calls as calls_table


class Ticker(Provider):
    """A provider whose background task reports each run and can be told to crash."""

    name = "ticker"
    background = True
    runs: ClassVar[list[str]] = []

    async def run_background(self, ctx: BackgroundContext) -> None:
        Ticker.runs.append(self.setting("label"))
        await ctx.link_accounts([PbxAccount("login-7", "Seven", "7")])
        await ctx.report({"state": "running", "label": self.setting("label")})
        if self.setting("label") == "crash":
            raise RuntimeError("boom")
        while True:
            woken = await ctx.wait(30)
            await ctx.report({"state": "woken" if woken else "idle"})


@pytest.fixture
async def relay(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Relay]:
    from trubka.relay.config import RelayConfig

    monkeypatch.setitem(SPECS, "ticker", ProviderSpec(
        Ticker, titles={"en": "Ticker"}, simulate=lambda *a: [],
        demo=lambda api, relay: DemoSetup([], "")))
    Ticker.runs = []
    relay = await build_relay(RelayConfig(data_dir=tmp_path))
    try:
        yield relay
    finally:
        await close_relay(relay)


async def set_provider(relay: Relay, name: str, config: dict[str, str]) -> None:
    async with relay.store.write() as conn:
        await settings.put_provider(conn, name, config)


async def statuses(relay: Relay) -> dict[str, dict[str, object]]:
    async with relay.store.read() as conn:
        return await status.load_all(conn)


async def eventually(check, timeout: float = 5.0) -> None:  # type: ignore[no-untyped-def]
    for _ in range(int(timeout / 0.02)):
        if await check():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("condition never met")


async def test_background_task_starts_restarts_on_change_wakes_and_stops(relay: Relay) -> None:
    """A configured background provider gets one task; it is restarted when its settings
    change, woken by `wake`, restarted after a crash, and cancelled when unconfigured."""
    async with relay.store.write() as conn:
        await users.add_user(conn, "Seven", "7")
    await set_provider(relay, "ticker", {"label": "one"})
    supervisor = Background(relay, poll=0.05)
    task = asyncio.create_task(supervisor.run())
    try:
        async def started() -> bool:
            return (await statuses(relay)).get("ticker", {}).get("label") == "one"
        await eventually(started)
        async with relay.store.read() as conn:
            seven = await users.user_by_ext(conn, "7")
            assert seven is not None and seven.pbx_user == ""  # the default stays as it was
            assert await users.identity(conn, "ticker", seven) == "login-7"

        supervisor.wake("ticker")

        async def woken() -> bool:
            return (await statuses(relay))["ticker"].get("state") == "woken"
        await eventually(woken)

        await set_provider(relay, "ticker", {"label": "two"})

        async def restarted() -> bool:
            return Ticker.runs == ["one", "two"]
        await eventually(restarted)

        await set_provider(relay, "ticker", {"label": "crash"})

        async def crashed() -> bool:
            return (await statuses(relay))["ticker"].get("error") == "RuntimeError"
        await eventually(crashed)

        async with relay.store.write() as conn:
            await settings.delete_provider(conn, "ticker")
        async def gone() -> bool:
            return "ticker" not in supervisor.running
        await eventually(gone)
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        await supervisor.stop()


async def _ring(relay: Relay, provider: str, call_id: str, ext: str) -> None:
    await relay.ingest.events([CallEvent(provider, call_id, EventKind.RINGING,
                                          direction=Direction.IN, ext=ext,
                                          phone_raw="89031112233")])


async def _age(relay: Relay, seconds: float) -> None:
    async with relay.store.write() as conn:
        rows = (await conn.execute(sa.select(calls_table.c.id, calls_table.c.updated_at))).all()
        for row in rows:
            await conn.execute(calls_table.update().where(calls_table.c.id == row.id).values(
                updated_at=row.updated_at - timedelta(seconds=seconds)))


async def test_stale_after_ends_only_that_providers_calls_without_journal(relay: Relay) -> None:
    """Mobilon's short ring timeout ends its calls (no journal entry), while another
    provider's equally old call keeps ringing until the relay-wide timeout."""
    async with relay.store.write() as conn:
        await users.add_user(conn, "A", "101")
    await set_provider(relay, "mobilon", {"soap_user": "u", "soap_password": "p",
                                          "ring_timeout": "60"})
    await set_provider(relay, "zadarma", {"api_secret": "s"})
    await _ring(relay, "mobilon", "m-1", "101")
    await _ring(relay, "zadarma", "z-1", "101")
    await _age(relay, 120)
    assert await relay.ingest.end_stale_calls() == 1
    async with relay.store.read() as conn:
        user = await users.user_by_ext(conn, "101")
        assert user is not None
        left = await calls.in_progress(conn, user.id)
        assert [c.provider_call_id for c in left] == ["z-1"]
        assert (await calls.get_leg(conn, "mobilon", "m-1", user.id)).state.value == "ended"  # type: ignore[union-attr]
        assert await calls.journal_for_call(conn, (await calls.get_leg(
            conn, "mobilon", "m-1", user.id)).id) is None  # type: ignore[union-attr]


async def test_events_naming_nobody_reach_the_right_legs(relay: Relay) -> None:
    """An end naming no employee ends every leg still ringing; a recording naming no
    employee goes only to the leg that had the conversation, not to the colleague's
    answered-elsewhere leg."""
    async with relay.store.write() as conn:
        for ext in ("101", "102", "103"):
            await users.add_user(conn, ext, ext)
    for ext in ("101", "102"):
        await _ring(relay, "zadarma", "group", ext)
    await relay.ingest.events([CallEvent("zadarma", "group", EventKind.ENDED,
                                          status=JournalStatus.MISSED)])
    async with relay.store.read() as conn:
        legs = await calls.legs(conn, "zadarma", "group")
    assert sorted(c.state.value for _, c in legs) == ["ended", "ended"]

    for ext in ("101", "102"):
        await _ring(relay, "zadarma", "talk", ext)
    await relay.ingest.events([
        CallEvent("zadarma", "talk", EventKind.ANSWERED, ext="101"),
        CallEvent("zadarma", "talk", EventKind.ENDED, ext="101", status=JournalStatus.ANSWERED,
                  duration=30),
        CallEvent("zadarma", "talk", EventKind.RECORDING, recording_url="https://r/1.mp3"),
    ])
    async with relay.store.read() as conn:
        by_ext = {c.ext: c for _, c in await calls.legs(conn, "zadarma", "talk")}
        talked = await calls.journal_for_call(conn, by_ext["101"].id)
        colleague = await calls.journal_for_call(conn, by_ext["102"].id)
    assert talked is not None and talked.entry.recording_url == "https://r/1.mp3"
    assert by_ext["102"].state.value == "answered_elsewhere" and colleague is None
