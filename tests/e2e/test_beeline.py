"""Beeline end to end: the relay subscribes at a fake Beeline API, links the abonent to
its employee, takes the recorded Xsi events on its secret path over real HTTP, and
places calls for the abonent."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest

from tests.conftest import DATA, Relay, auth, ws_client
from tests.fakes.pbx import FakePbx

SECRET = "e2e-beeline-secret"
ABONENT = "SIP0099887766@ip.beeline.ru"
XML = {"Content-Type": "application/xml; charset=UTF-8"}


def body(name: str) -> bytes:
    return (DATA / "beeline" / name).read_bytes()


async def readyz_status(http: httpx.AsyncClient, want: str, puts: int,
                        fake: FakePbx) -> dict[str, Any]:
    """Wait (bounded) for the background task to report `want` after `puts` PUTs."""
    for _ in range(100):
        ready = (await http.get("/readyz")).json()
        status = ready["checks"].get("provider_status", {}).get("beeline", {})
        done = len([r for r in fake.requests if r.method == "PUT"]) >= puts
        if status.get("state") == want and done:
            return status  # type: ignore[no-any-return]
        await asyncio.sleep(0.1)
    raise AssertionError(f"beeline never reached {want}: {status}")


@pytest.fixture
def bee_relay(relay: Relay, fake_pbx: FakePbx) -> Relay:
    fake_pbx.reply("/apis/portal/abonents", 200, json.loads(body("abonents-response.json")))
    fake_pbx.reply("/apis/portal/subscription", 200,
                   {"subscriptionId": "sub-1", "expires": 3600})
    return relay


def configure(relay: Relay, fake: FakePbx) -> None:
    relay.cli("provider", "set", "beeline", "--api-token", "TOKEN",
              "--api-url", fake.url + "/apis/portal", "--public-url",
              "https://relay.example.ru", "--webhook-secret", SECRET)


async def test_subscribes_links_abonent_and_delivers_recorded_events(
        bee_relay: Relay, fake_pbx: FakePbx) -> None:
    """After `provider set`, the relay lists abonents, links ext 200 to its userId and
    subscribes with its public hook URL; the recorded events on the secret path then
    reach ext 200's socket; SubscriptionTerminatedEvent makes it subscribe again."""
    token = bee_relay.add_user("Петров", "200")
    configure(bee_relay, fake_pbx)
    async with httpx.AsyncClient(base_url=bee_relay.url, timeout=10) as http:
        status = await readyz_status(http, "subscribed", 1, fake_pbx)
        assert status["abonents"] == 1 and status["linked_users"] == 1
        put = next(r for r in fake_pbx.requests if r.method == "PUT")
        assert put.headers["x-mpbx-api-auth-token"] == "TOKEN"
        assert put.json() == {"expires": 86400, "subscriptionType": "BASIC_CALL",
                              "url": f"https://relay.example.ru/hooks/beeline/{SECRET}"}
        assert f"{ABONENT}" in bee_relay.cli("users", "list")
        shown = bee_relay.cli("provider", "show")
        assert "status state: subscribed" in shown and SECRET not in shown

        async with ws_client(bee_relay, token) as desk:
            await desk.frame()
            for name in ("01-call-received.xml", "02-call-answered.xml",
                         "03-call-released.xml", "05-missed-released.xml"):
                reply = await http.post(f"/hooks/beeline/{SECRET}", content=body(name),
                                        headers=XML)
                assert reply.status_code == 200, reply.text
            frames = await desk.frames(4)
            assert [f["call"]["state"] for f in frames[:3]] == ["ringing", "answered", "ended"]
            assert frames[0]["call"]["phone"] == "+79031112233"
            assert frames[0]["call"]["ext"] == "200"
            assert (frames[3]["entry"]["status"], frames[3]["entry"]["duration"]) == (
                "answered", 73)
            # The missed call was never seen ringing: it still lands in the journal.
            ended, missed = await desk.frames(2)
            assert ended["call"]["state"] == "ended"
            assert missed["entry"]["status"] == "missed"

        before = len([r for r in fake_pbx.requests if r.method == "PUT"])
        reply = await http.post(f"/hooks/beeline/{SECRET}", headers=XML,
                                content=body("06-subscription-terminated.xml"))
        assert reply.status_code == 200
        await readyz_status(http, "subscribed", before + 1, fake_pbx)


async def test_failed_subscription_is_visible_and_click_to_call_correlates(
        bee_relay: Relay, fake_pbx: FakePbx) -> None:
    """A refused subscription shows as an error in /readyz; `users sync --provider
    beeline` links the abonent on demand; click-to-call POSTs for the abonent and returns
    the extTrackingId that the CallOriginated event carries."""
    fake_pbx.reply("/apis/portal/subscription", 403, {"description": "Access denied"})
    fake_pbx.reply(f"/apis/portal/abonents/{ABONENT}/call", 200, b'"160457999:1"')
    token = bee_relay.add_user("Петров", "200")
    configure(bee_relay, fake_pbx)
    async with httpx.AsyncClient(base_url=bee_relay.url, timeout=10) as http:
        status = await readyz_status(http, "error", 1, fake_pbx)
        assert status["error"] == "Access denied"
        synced = bee_relay.cli("users", "sync", "--provider", "beeline")
        assert f"{ABONENT} → ext 200" in synced
        reply = await http.post("/api/v1/calls", headers=auth(token),
                                json={"phone": "+7 903 111-22-33"})
        assert reply.status_code == 202, reply.text
        assert reply.json()["provider_call_id"] == "160457999:1"
        call = next(r for r in fake_pbx.requests if r.path.endswith("/call"))
        assert call.method == "POST" and call.query == {"phoneNumber": "79031112233"}
        assert call.headers["x-mpbx-api-auth-token"] == "TOKEN"
        async with ws_client(bee_relay, token) as desk:
            await desk.frame()
            reply = await http.post(f"/hooks/beeline/{SECRET}", headers=XML,
                                    content=body("04-call-originated.xml"))
            assert reply.status_code == 200
            frame = await desk.frame()
            assert frame["call"]["direction"] == "out"


async def test_wrong_paths_and_bad_bodies_get_4xx(bee_relay: Relay, fake_pbx: FakePbx) -> None:
    """No secret, a wrong secret or GET is 404/400; garbage, entities and unknown types
    are 400; nothing is a 5xx."""
    configure(bee_relay, fake_pbx)
    good = body("01-call-received.xml")
    async with httpx.AsyncClient(base_url=bee_relay.url, timeout=10) as http:
        for path in ("/hooks/beeline", "/hooks/beeline/wrong", f"/hooks/beeline/{SECRET}x"):
            reply = await http.post(path, content=good, headers=XML)
            assert reply.status_code == 404, path
        assert (await http.get(f"/hooks/beeline/{SECRET}")).status_code == 400
        for bad in (b"", b"garbage", b"<Event/>",
                    b'<!DOCTYPE x [<!ENTITY a "b">]><Event>&a;</Event>',
                    good.replace(b"CallReceivedEvent", b"NoSuchEvent"),
                    good.replace(b"<xsi:extTrackingId>160457123:1</xsi:extTrackingId>", b"")
                    .replace(b"<xsi:callId>callhalf-8322939:0</xsi:callId>", b"")):
            reply = await http.post(f"/hooks/beeline/{SECRET}", content=bad, headers=XML)
            assert reply.status_code == 400, bad


async def test_simulator_plays_every_scenario_in_beeline_format(
        bee_relay: Relay, fake_pbx: FakePbx) -> None:
    """`trubka-relay simulate --provider beeline` posts each scenario's events to the
    secret path and the relay accepts them all (smart transfer: nothing to send)."""
    token = bee_relay.add_user("Иванов", "100")
    configure(bee_relay, fake_pbx)
    async with ws_client(bee_relay, token) as desk:
        await desk.frame()
        for scenario, count in (("incoming-answered", 4), ("incoming-missed", 3),
                                ("outgoing-answered", 4), ("outgoing-missed", 3)):
            out = bee_relay.cli("simulate", "--relay", bee_relay.url, "--provider", "beeline",
                                "--pause", "0", scenario)
            assert SECRET not in out and "→ 200" in out
            frames = await desk.frames(count)
            assert frames[-1]["type"] == "journal"
        out = bee_relay.cli("simulate", "--relay", bee_relay.url, "--provider", "beeline",
                            "--pause", "0", "smart-transfer")
        assert "sends nothing" in out
