"""Calls written back to the CRM once across two replicas (PostgreSQL + Redis): the same
webhooks, duplicated and out of order, posted to both relay processes at once."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from tests import services
from tests.conftest import CliRelay, run_cli
from tests.fakes.crm import FakeCrm
from tests.relay.crm.conftest import history, incoming
from tests.relay.crm.test_amocrm import TOKEN, Amo
from tests.relay.crm.test_bitrix24 import HOOK, Portal

pytestmark = pytest.mark.services


@pytest.fixture
def two(tmp_path: Path) -> Iterator[tuple[CliRelay, CliRelay, str]]:
    db = services.create_database()
    env = {"TRUBKA_RELAY_REDIS_URL": services.REDIS,
           "TRUBKA_RELAY_REDIS_PREFIX": services.redis_prefix()}
    run_cli(tmp_path / "a", "provider", "set", "prostiezvonki", "--webhook-token", "token123",
            database_url=db)
    for ext, email in (("100", "ivanov@example.ru"), ("101", "")):
        run_cli(tmp_path / "a", "users", "add", "--name", f"Сотрудник {ext}", "--ext", ext,
                "--email", email, database_url=db)
    a = CliRelay(tmp_path / "a", db, env).start()
    b = CliRelay(tmp_path / "b", db, env).start()
    try:
        yield a, b, db
    finally:
        a.stop()
        b.stop()
        services.drop_database(db)


async def storm(a: CliRelay, b: CliRelay, calls: int) -> None:
    """Each call's webhooks: the final history first, then the ring, then the history
    again — every one posted to both replicas at the same moment."""
    async with httpx.AsyncClient(timeout=10) as http:
        for n in range(calls):
            ext = "101" if n == calls - 1 else "100"  # the last: an employee without a CRM user
            for body in (history(f"r{n}", ext=ext), incoming(f"r{n}", ext=ext),
                         history(f"r{n}", ext=ext)):
                replies = await asyncio.gather(*(http.post(r.url + "/hooks/prostiezvonki",
                                                           json=body) for r in (a, b, a, b)))
                assert [r.status_code for r in replies] == [200] * 4


async def settle(check: int, count: Callable[[], int], seconds: float = 15.0) -> None:
    deadline = asyncio.get_running_loop().time() + seconds
    while count() < check:
        assert asyncio.get_running_loop().time() < deadline, "writes did not arrive"
        await asyncio.sleep(0.1)
    await asyncio.sleep(1.0)  # time for a duplicate, were there one


async def test_amocrm_calls_written_once_across_replicas(
        two: tuple[CliRelay, CliRelay, str], tmp_path: Path) -> None:
    """5 calls × 12 posts over two replicas: exactly 5 POST /api/v4/calls, one per call
    with its own uniq; none for the employee without an amoCRM user."""
    a, b, db = two
    amo = Amo()
    fake = FakeCrm(amo).start()
    try:
        run_cli(tmp_path / "a", "crm", "set", "amocrm", "--url", fake.url, "--token", TOKEN,
                database_url=db)
        await asyncio.sleep(0.5)  # replicas reload the configuration (NOTIFY)
        await storm(a, b, 6)
        await settle(5, lambda: len(amo.calls))
    finally:
        fake.stop()
    assert sorted(c["uniq"] for c in amo.calls) == [
        f"trubka-prostiezvonki-r{n}" for n in range(5)]
    assert fake.failures == []


async def test_bitrix24_register_and_finish_once_across_replicas(
        two: tuple[CliRelay, CliRelay, str], tmp_path: Path) -> None:
    """The same storm: one register and one finish per call, in that order."""
    a, b, db = two
    portal = Portal()
    fake = FakeCrm(portal).start()
    try:
        run_cli(tmp_path / "a", "crm", "set", "bitrix24", "--webhook-url", fake.url + HOOK,
                database_url=db)
        await asyncio.sleep(0.5)
        await storm(a, b, 6)
        await settle(5, lambda: len(portal.called("telephony.externalcall.finish")))
    finally:
        fake.stop()
    registered = [c["EXTERNAL_CALL_ID"] for c in portal.called("telephony.externalcall.register")]
    finished = [c["CALL_ID"] for c in portal.called("telephony.externalcall.finish")]
    assert sorted(registered) == [f"trubka-prostiezvonki-r{n}" for n in range(5)]
    assert sorted(finished) == sorted(f"externalCall.{r}" for r in registered)
    for call_id in registered:
        marks = [i for i, (name, body) in enumerate(portal.methods)
                 if body.get("EXTERNAL_CALL_ID") == call_id
                 or body.get("CALL_ID") == f"externalCall.{call_id}"]
        assert [portal.methods[i][0] for i in marks] == [
            "telephony.externalcall.register", "telephony.externalcall.finish"], call_id
