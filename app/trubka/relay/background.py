"""Long-lived provider tasks (`Provider.run_background`), supervised by the relay.

Beeline's events only flow while a subscription lives, so the relay must renew it for
as long as the provider is configured. The supervisor reads the provider table every
`poll` seconds: it starts a task for each configured provider whose class sets
`background = True`, restarts it when its settings change (a new `--public-url`),
restarts it after a crash with a backoff, and cancels it when the relay stops.
A webhook can wake a task early (`Webhook.context["wake"]`, Beeline's
SubscriptionTerminatedEvent). Status goes to the store (`store/status.py`).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, field

from trubka.core.model import utcnow
from trubka.providers import SPECS
from trubka.providers.base import PbxAccount, Provider
from trubka.relay.deps import Relay
from trubka.relay.store import status, users

log = logging.getLogger("trubka.relay.background")

RESTART_DELAYS = (5.0, 30.0, 120.0, 600.0)


@dataclass
class Context:
    """The `BackgroundContext` one provider's task gets."""

    relay: Relay
    name: str
    woken: asyncio.Event = field(default_factory=asyncio.Event)

    async def report(self, state: Mapping[str, object]) -> None:
        async with self.relay.store.write() as conn:
            await status.put(conn, self.name, {**state, "updated_at": utcnow().isoformat()})

    async def link_accounts(self, accounts: Sequence[PbxAccount]) -> int:
        linked = 0
        async with self.relay.store.write() as conn:
            for account in accounts:
                user = await users.link_account(conn, self.name, account.ext, account.login)
                if user is not None:
                    log.info("%s: %s → ext %s", self.name, account.login, user.ext)
                    linked += 1
        return linked

    async def wait(self, seconds: float) -> bool:
        try:
            await asyncio.wait_for(self.woken.wait(), max(0.0, seconds))
        except TimeoutError:
            return False
        self.woken.clear()
        return True


@dataclass
class _Running:
    fingerprint: str
    context: Context
    task: asyncio.Task[None]


class Background:
    def __init__(self, relay: Relay, poll: float = 2.0) -> None:
        self.relay = relay
        self.poll = poll
        self.running: dict[str, _Running] = {}

    async def run(self) -> None:
        while True:
            try:
                await self.reconcile()
            except Exception:
                log.exception("background supervisor failed")
                self.relay.metrics.failures.labels("background").inc()
            await asyncio.sleep(self.poll)

    async def reconcile(self) -> None:
        snapshot = await self.relay.registry.current()
        configs = {name: provider.settings for name, provider in snapshot.providers.items()
                   if SPECS[name].capabilities.background}
        for name in list(self.running):
            if name not in configs:
                await self._cancel(name)
        for name, config in configs.items():
            fingerprint = json.dumps(config, sort_keys=True)
            current = self.running.get(name)
            if current is not None and current.fingerprint == fingerprint:
                continue
            if current is not None:
                await self._cancel(name)
            provider = snapshot.providers[name]
            context = Context(self.relay, name)
            task = asyncio.create_task(self._keep(provider, context), name=f"bg-{name}")
            self.running[name] = _Running(fingerprint, context, task)

    async def _keep(self, provider: Provider, context: Context) -> None:
        failures = 0
        while True:
            try:
                await provider.run_background(context)
                failures = 0
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.exception("%s background task failed", provider.name)
                self.relay.metrics.failures.labels("background").inc()
                with suppress(Exception):
                    await context.report({"state": "error", "error": type(exc).__name__})
                failures += 1
            delay = RESTART_DELAYS[min(failures, len(RESTART_DELAYS) - 1)]
            await context.wait(delay)

    def wake(self, name: str) -> None:
        current = self.running.get(name)
        if current is not None:
            current.context.woken.set()

    async def _cancel(self, name: str) -> None:
        current = self.running.pop(name)
        current.task.cancel()
        try:
            await current.task
        except asyncio.CancelledError:
            # The provider's task ended as asked; but if *this* task is being cancelled
            # (the relay stopping), swallowing it here would keep the supervisor looping.
            this = asyncio.current_task()
            if this is not None and this.cancelling():
                raise
        except Exception:  # noqa: S110 - its failure was logged by _keep
            pass

    async def stop(self) -> None:
        for name in list(self.running):
            await self._cancel(name)
