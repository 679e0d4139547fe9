"""Shared pieces of the CRM connector tests: a fake CRM, the PBX's questions, frames."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from tests.conftest import WEBHOOK_TOKEN, Client, Relay
from tests.fakes.crm import FakeCrm, Request
from trubka.relay import admin

PHONE = "89991234567"
E164 = "+79991234567"


@pytest.fixture
def fake_crm() -> Iterator[FakeCrm]:
    """A fake CRM whose handler each test sets (the default refuses everything)."""

    def refuse(request: Request) -> tuple[int, Any]:
        raise AssertionError(f"unexpected {request.method} {request.path}")

    fake = FakeCrm(refuse).start()
    try:
        yield fake
    finally:
        fake.stop()


def staff(relay: Relay, crm_timeout_ms: int = 5000) -> dict[str, str]:
    """Ext 100 (Иванов, with an e-mail the CRMs know) and ext 101 (no CRM user). The
    PBX's lookups wait `crm_timeout_ms` for the CRM: long, so that a lookup's answer is
    the CRM's on a loaded machine too (a cold connector's first lookup took more than the
    default 300 ms in CI); the tests of the timeout itself pass their own."""
    tokens = {}
    for name, ext, email in (("Иванов Иван", "100", "ivanov@example.ru"),
                             ("Сидоров", "101", "")):
        _, tokens[ext] = relay.admin(lambda a, n=name, e=ext, m=email:
                                     admin.add_user(a, n, e, email=m))
    relay.admin(lambda a: admin.set_setting(a, "crm-timeout-ms", str(crm_timeout_ms)))
    return tokens


def ask(relay: Relay, phone: str = PHONE) -> tuple[dict[str, str], float]:
    """The PBX's caller lookup (Prostye Zvonki `contact`): its reply and how long it took."""
    started = time.perf_counter()
    reply = httpx.post(relay.url + "/hooks/prostiezvonki", timeout=10,
                       json={"cmd": "contact", "phone": phone, "crm_token": WEBHOOK_TOKEN})
    assert reply.status_code == 200, reply.text
    return reply.json(), time.perf_counter() - started


def incoming(callid: str, ext: str = "100", phone: str = PHONE) -> dict[str, object]:
    return {"cmd": "event", "type": "INCOMING", "direction": "in", "user": ext, "ext": ext,
            "phone": phone, "callid": callid, "crm_token": WEBHOOK_TOKEN}


def history(callid: str, status: str = "Success", ext: str = "100", duration: int = 42,
            phone: str = PHONE, link: str = "") -> dict[str, object]:
    return {"cmd": "history", "type": "in", "user": ext, "ext": ext, "phone": phone,
            "callid": callid, "crm_token": WEBHOOK_TOKEN, "start": "20261130T101500",
            "duration": duration, "link": link, "status": status}


async def hook(relay: Any, *bodies: dict[str, object]) -> None:
    async with httpx.AsyncClient(base_url=relay.url, timeout=10) as http:
        for body in bodies:
            reply = await http.post("/hooks/prostiezvonki", json=body)
            assert reply.status_code == 200, reply.text


async def api(relay: Any, method: str, path: str, **kwargs: Any) -> httpx.Response:
    """One request to the relay from an async test."""
    async with httpx.AsyncClient(base_url=relay.url, timeout=10) as http:
        return await http.request(method, path, **kwargs)


async def call_frames(client: Client, count: int, timeout: float = 5.0
                      ) -> list[dict[str, Any]]:
    """The next `count` call frames (other frames skipped)."""
    out: list[dict[str, Any]] = []
    while len(out) < count:
        frame = await client.frame(timeout)
        if frame["type"] == "call":
            out.append(frame)
    return out


async def until(check: Callable[[], bool], timeout: float = 10.0) -> None:
    """Wait (polling) until `check()` holds; the CRM's work runs after the webhook."""
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out waiting"
        await asyncio.sleep(0.05)
