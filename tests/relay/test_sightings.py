"""Issue 10 item 17: Mobilon's IncomingCall carries no call id; the relay decides which
call a sighting is over a sliding window, so a post repeated every few seconds is one
call across any clock boundary (a fixed 30-second bucket split it into two)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest

from tests import fuzzing
from tests.conftest import Relay, ws_client
from trubka.core.model import CallEvent, Direction, EventKind
from trubka.relay.store import sightings
from trubka.relay.store.db import Store, database_url

T = 1_800_000_020.0  # ten seconds before a multiple of 30


@pytest.fixture
async def store(relay: Relay) -> AsyncIterator[Store]:
    opened = await Store.open(database_url(relay.data_dir, relay.database_url))
    try:
        yield opened
    finally:
        await opened.close()


def ring(key: str = "k1:89031112233") -> CallEvent:
    return CallEvent("mobilon", key, EventKind.RINGING, direction=Direction.IN, user="k1",
                     phone_raw="89031112233", same_call_within=30)


async def call_id(store: Store, at: float, event: CallEvent | None = None) -> str:
    async with store.write() as conn:
        return (await sightings.resolve(conn, event or ring(), now=at)).provider_call_id


async def test_sightings_within_the_window_of_the_last_are_one_call(store: Store) -> None:
    """Posts at T, T+20 (across the :30 boundary), T+45, T+70: each within 30 s of the
    previous one, so one call; after 31 s of silence, a new call; another caller is
    another call; an event without a window keeps its id."""
    first = await call_id(store, T)
    assert [await call_id(store, T + d) for d in (20, 45, 70)] == [first] * 3
    second = await call_id(store, T + 101.5)
    assert second != first and second.startswith("k1:89031112233:")
    assert await call_id(store, T + 102, ring("k1:89990000000")) not in (first, second)
    plain = CallEvent("mobilon", "as-is", EventKind.RINGING)
    async with store.write() as conn:
        assert (await sightings.resolve(conn, plain)).provider_call_id == "as-is"


async def test_concurrent_sightings_agree(store: Store) -> None:
    """The same post handled at once (two replicas, or a retry racing the original)
    resolves to one id: the decision is a single upsert."""
    ids = await asyncio.gather(*(call_id(store, T + n / 100) for n in range(8)))
    assert len(set(ids)) == 1


async def test_forgotten_sightings_are_trimmed(store: Store) -> None:
    """Keys not seen for a day are dropped by maintenance (a later post is a new call
    anyway)."""
    await call_id(store, T)
    async with store.write() as conn:
        assert await sightings.trim(conn, T + 1) == 1
        assert await sightings.trim(conn, T + 1) == 0


async def test_a_repeated_incoming_call_pops_one_window(relay: Relay) -> None:
    """End to end: IncomingCall posted three times in a row rings the employee once."""
    relay.cli("provider", "set", "mobilon", "--soap-user", fuzzing.SOAP_USER,
              "--soap-password", fuzzing.SOAP_PASSWORD, "--api-url", "http://127.0.0.1:9")
    token = relay.add_user("Иванов", "100")
    hook = fuzzing.valid("mobilon", "89031112233")
    async with ws_client(relay, token) as desk, httpx.AsyncClient(base_url=relay.url) as http:
        await desk.frame()
        for _ in range(3):
            reply = await http.post(hook.path, content=hook.body, headers=hook.headers)
            assert reply.status_code == 200
        assert (await desk.frame())["call"]["state"] == "ringing"
        await desk.nothing()
    assert relay.sql("select count(*) from calls") == [(1,)]
