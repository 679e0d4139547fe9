"""The background supervisor stops when it is cancelled, even while it is waiting for a
provider's task to end (it used to swallow its own cancellation there and loop on: the
relay's shutdown, and tests/relay/test_provider_hooks.py, hung under load)."""

from __future__ import annotations

import asyncio
from typing import ClassVar

import pytest

from tests.relay.test_provider_hooks import relay, set_provider  # noqa: F401  (fixture)
from trubka.providers import SPECS
from trubka.providers.base import BackgroundContext, Provider
from trubka.providers.spec import DemoSetup, ProviderSpec
from trubka.relay.background import Background
from trubka.relay.deps import Relay
from trubka.relay.store import settings


class SlowToStop(Provider):
    """A background task that takes a moment to wind down when cancelled."""

    name = "slow"
    background = True
    stopping: ClassVar[asyncio.Event | None] = None

    async def run_background(self, ctx: BackgroundContext) -> None:
        try:
            await asyncio.sleep(3600)
        finally:
            assert SlowToStop.stopping is not None
            SlowToStop.stopping.set()
            await asyncio.sleep(0.5)


async def test_cancelling_the_supervisor_mid_cancel_stops_it(
        relay: Relay, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    """The provider is unconfigured, so the supervisor cancels its task and waits for it;
    cancelling the supervisor then ends it within the task's wind-down, not never."""
    monkeypatch.setitem(SPECS, "slow", ProviderSpec(
        SlowToStop, titles={"en": "Slow"}, simulate=lambda *a: [],
        demo=lambda api, r: DemoSetup([], "")))
    SlowToStop.stopping = asyncio.Event()
    await set_provider(relay, "slow", {"x": "1"})
    supervisor = Background(relay, poll=0.05)
    task = asyncio.create_task(supervisor.run())
    for _ in range(250):
        if "slow" in supervisor.running:
            break
        await asyncio.sleep(0.02)
    async with relay.store.write() as conn:
        await settings.delete_provider(conn, "slow")
    await asyncio.wait_for(SlowToStop.stopping.wait(), 5)  # the supervisor is in _cancel
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(task, 3)
    await supervisor.stop()
