"""Retried and reordered webhooks (SPEC §7): one journal entry, the right status."""

from __future__ import annotations

import httpx

from tests.conftest import Relay, ws_client
from tests.relay.test_events_socket import event, history, post


async def test_same_webhook_twice_and_out_of_order(pz_relay: Relay) -> None:
    """history before ACCEPTED, every post twice: one entry, answered, no revived call."""
    token = pz_relay.add_user("Иванов", "100")
    async with ws_client(pz_relay, token) as c:
        await c.frame()
        posts = [event("INCOMING", "r1"), history("r1", "success", duration=50),
                 event("ACCEPTED", "r1"), event("INCOMING", "r1")]
        for body in posts:
            await post(pz_relay, body, body)
        frames = await c.frames(3)
        assert [f["type"] for f in frames] == ["call", "call", "journal"]
        assert [f["call"]["state"] for f in frames[:2]] == ["ringing", "ended"]
        assert (frames[2]["entry"]["status"], frames[2]["entry"]["duration"]) == (
            "answered", 50)
        await c.nothing()
    async with httpx.AsyncClient(base_url=pz_relay.url,
                                 headers={"Authorization": f"Bearer {token}"}) as http:
        journal = (await http.get("/api/v1/calls")).json()
    assert [(e["status"], e["duration"]) for e in journal] == [("answered", 50)]


async def test_concurrent_retries_journal_once(pz_relay: Relay) -> None:
    """The same history posted ten times at once still makes one entry."""
    import asyncio

    token = pz_relay.add_user("Иванов", "100")
    body = history("c1", "missed")
    async with httpx.AsyncClient(base_url=pz_relay.url) as http:
        replies = await asyncio.gather(*(http.post("/hooks/prostiezvonki", json=body)
                                         for _ in range(10)))
        assert {r.status_code for r in replies} == {200}
        journal = (await http.get("/api/v1/calls",
                                  headers={"Authorization": f"Bearer {token}"})).json()
    assert len(journal) == 1
