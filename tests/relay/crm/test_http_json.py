"""http-json against a fake endpoint, and what holds for every CRM asked per number: a
slow CRM never slows a call, a CRM that is down never stops one (docs/crm/http-json.md)."""

from __future__ import annotations

import time
from typing import Any

from tests.conftest import Relay, ws_client
from tests.fakes.crm import FakeCrm, Request, refused_url
from tests.relay.crm.conftest import E164, PHONE, api, ask, call_frames, hook, incoming, staff

KNOWN = {"digits": "79991234567", "result": {"person": {"name": "Пётр Клиентов"},
                                             "org": "ООО Ромашка", "manager": "100",
                                             "link": "https://crm.example/c/42"}}


def endpoint(r: Request) -> tuple[int, Any]:
    assert r.method == "GET" and r.path == "/lookup"
    assert r.headers.get("x-api-key") == "secret-key"
    if r.query["phone"] == E164 and r.query["d"] == KNOWN["digits"]:
        return 200, KNOWN["result"]
    return 404, {"error": "not found"}


def configure(relay: Relay, base: str) -> None:
    relay.cli("crm", "set", "http-json", "--url-template",
              base + "/lookup?phone={phone}&d={digits}",
              "--header", "X-Api-Key: secret-key", "--name-pointer", "/person/name",
              "--company-pointer", "/org", "--responsible-pointer", "/manager",
              "--url-pointer", "/link")


async def test_known_number_card_pbx_reply_and_smart_transfer(
        pz_relay: Relay, fake_crm: FakeCrm) -> None:
    """The URL template is filled (URL-encoded), the header sent, the pointers read: the
    card on the socket and in the PBX's reply, the responsible extension for routing."""
    tokens = staff(pz_relay)
    fake_crm.handler = endpoint
    configure(pz_relay, fake_crm.url)
    async with ws_client(pz_relay, tokens["100"]) as ws:
        await ws.frame()
        await hook(pz_relay, incoming("hj-1"))
        _, second = await call_frames(ws, 2)
    card = second["call"]["contact"]
    assert (card["name"], card["company"], card["responsible_ext"], card["crm_url"],
            card["source"]) == ("Пётр Клиентов", "ООО Ромашка", "100",
                                "https://crm.example/c/42", "http-json")
    assert ask(pz_relay)[0] == {"contact_name": "Пётр Клиентов", "responsible": "100"}
    assert fake_crm.requests[0].query == {"phone": "+79991234567", "d": "79991234567"}
    assert len(fake_crm.requests) == 1 and fake_crm.failures == []
    assert "secret-key" not in pz_relay.cli("crm", "show")


def test_unknown_number_is_cached(pz_relay: Relay, fake_crm: FakeCrm) -> None:
    """404 is "not found", cached: the endpoint sees one request for two lookups."""
    fake_crm.handler = endpoint
    configure(pz_relay, fake_crm.url)
    assert ask(pz_relay, "84950001122")[0] == {"contact_name": "", "responsible": ""}
    assert ask(pz_relay, "84950001122")[0]["contact_name"] == ""
    assert len(fake_crm.requests) == 1


async def test_a_slow_crm_never_slows_a_call(pz_relay: Relay, fake_crm: FakeCrm) -> None:
    """The CRM takes 2 s: the PBX's lookup is answered within crm-timeout-ms (plus 150 ms
    of a loaded machine's scheduling) with what is known, the call frame goes out at once,
    the card follows in a later frame. Each bound holds for the quickest of three lookups
    of numbers the CRM has not answered yet: one stall of a busy CI machine is not a
    failure, a relay that waits for the CRM fails all three."""
    tokens = staff(pz_relay, crm_timeout_ms=300)  # the default
    fake_crm.handler, fake_crm.delay = endpoint, 2.0
    configure(pz_relay, fake_crm.url)
    assert quickest(pz_relay, PHONE, "84950001141", "84950001142") < 0.300 + 0.150
    async with ws_client(pz_relay, tokens["100"]) as ws:
        await ws.frame()
        started = time.perf_counter()
        await hook(pz_relay, incoming("hj-slow"))
        first, = await call_frames(ws, 1)
        assert time.perf_counter() - started < 0.25 and first["call"]["contact"] is None
        second, = await call_frames(ws, 1, timeout=5)
    assert second["call"]["contact"]["name"] == "Пётр Клиентов"
    # the lookup and the call shared one request
    assert [r.query["phone"] for r in fake_crm.requests].count(E164) == 1
    pz_relay.cli("settings", "set", "crm-timeout-ms", "50")
    assert quickest(pz_relay, "84950001133", "84950001134", "84950001135") < 0.050 + 0.150


def quickest(relay: Relay, *phones: str) -> float:
    """The shortest of the PBX lookups of `phones`, none of them known: each answered
    with nothing."""
    took = []
    for phone in phones:
        reply, seconds = ask(relay, phone)
        assert reply == {"contact_name": "", "responsible": ""}, (phone, reply)
        took.append(seconds)
    return min(took)


async def test_a_crm_that_refuses_connections(pz_relay: Relay) -> None:
    """Nothing listens at the CRM's address: calls ring as before, lookups answer with
    the book, and the status (crm show, /readyz) says what fails — without the header."""
    tokens = staff(pz_relay)
    configure(pz_relay, refused_url())
    async with ws_client(pz_relay, tokens["100"]) as ws:
        await ws.frame()
        await hook(pz_relay, incoming("hj-down"))
        first, = await call_frames(ws, 1)
        assert first["call"]["state"] == "ringing"
        await ws.nothing(0.5)
    assert ask(pz_relay)[0] == {"contact_name": "", "responsible": ""}
    shown = pz_relay.cli("crm", "show")
    assert "status state: error" in shown and "ConnectError" in shown
    ready = (await api(pz_relay, "GET", "/readyz")).json()
    assert ready["status"] == "ok"
    assert ready["checks"]["crm"]["state"] == "error"
    assert "secret-key" not in str(ready)
    metrics = (await api(pz_relay, "GET", "/metrics")).text
    assert 'trubka_crm_up{connector="http-json"} 0.0' in metrics
    assert 'trubka_crm_requests_total{connector="http-json",outcome="error"}' in metrics


def test_bad_options_are_refused(pz_relay: Relay) -> None:
    """A template without {phone}/{digits}, a bad pointer: refused, nothing saved."""
    pz_relay.cli("crm", "set", "http-json", "--url-template", "https://x/lookup",
                 "--name-pointer", "/name", expect=2)
    pz_relay.cli("crm", "set", "http-json", "--url-template", "https://x/?p={phone}",
                 "--name-pointer", "name", expect=2)
    assert "no CRM configured" in pz_relay.cli("crm", "show")
