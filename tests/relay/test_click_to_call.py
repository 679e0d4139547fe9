"""Click-to-call through the relay (SPEC §2.1, F3) against a fake provider on loopback."""

from __future__ import annotations

import httpx
import pytest

from tests.conftest import Relay, assert_provider_error, auth
from tests.fakes.pbx import FakePbx

MAKECALL = "/crmapi/v1/makecall"


async def dial(relay: Relay, token: str, phone: str) -> httpx.Response:
    async with httpx.AsyncClient(base_url=relay.url, headers=auth(token), timeout=15) as http:
        return await http.post("/api/v1/calls", json={"phone": phone})


async def test_prostiezvonki_makecall_has_exact_headers_and_body(
        pz_relay: Relay, fake_pbx: FakePbx) -> None:
    """Ext 100 clicks 89991234567: one POST with X-API-KEY and JSON {user, phone}."""
    token = pz_relay.add_user("Иванов", "100")
    reply = await dial(pz_relay, token, "89991234567")
    assert reply.status_code == 202, reply.text
    assert reply.json()["provider"] == "prostiezvonki"
    [request] = fake_pbx.requests
    assert (request.method, request.path) == ("POST", MAKECALL)
    assert request.headers["x-api-key"] == "pz-api-key"
    assert request.headers["content-type"] == "application/json"
    assert request.json() == {"user": "100", "phone": "89991234567"}


@pytest.mark.parametrize(("status", "body", "text"), [
    (400, {"error": "Неверный номер телефона"}, "Неверный номер телефона"),
    (500, b"Internal Server Error: PBX unreachable", "Internal Server Error: PBX unreachable"),
    (401, {"message": "Invalid X-API-KEY"}, "Invalid X-API-KEY"),
])
async def test_provider_errors_come_back_as_502_with_their_text(
        pz_relay: Relay, fake_pbx: FakePbx, status: int, body: object, text: str) -> None:
    """A 4xx/5xx from the PBX is a 502 carrying the PBX's own error text."""
    token = pz_relay.add_user("Иванов", "100")
    fake_pbx.reply(MAKECALL, status, body, "application/json" if isinstance(body, dict)
                   else "text/plain")
    reply = await dial(pz_relay, token, "89991234567")
    assert reply.status_code == 502
    assert_provider_error(reply.json(), text, "prostiezvonki")


async def test_unreachable_provider_is_502_too(relay: Relay) -> None:
    """A PBX that does not answer at all is reported, not swallowed."""
    relay.cli("provider", "set", "prostiezvonki", "--webhook-token", "t", "--api-key", "k",
              "--api-url", "http://127.0.0.1:9/makecall")
    token = relay.add_user("Иванов", "100")
    reply = await dial(relay, token, "89991234567")
    assert reply.status_code == 502
    assert "cannot reach 127.0.0.1" in reply.json()["error"]


async def test_bad_numbers_and_missing_provider(relay: Relay) -> None:
    """A number that is not one is 422; no PBX configured is 409 with a reason."""
    token = relay.add_user("Иванов", "100")
    assert (await dial(relay, token, "call me maybe")).status_code == 422
    reply = await dial(relay, token, "89991234567")
    assert reply.status_code == 409 and "no PBX" in reply.json()["error"]


async def test_crm_api_makecall_and_dnd(relay: Relay, fake_pbx: FakePbx) -> None:
    """crm-api: form cmd=makeCall&token&user&phone with the PBX login; DND both ways."""
    relay.cli("provider", "set", "crm-api", "--webhook-token", "wh", "--api-token", "apitok",
              "--api-url", fake_pbx.url + "/sys/crm_api.wcgp")
    token = relay.add_user("Петров Андрей", "708", pbx_user="andy")
    fake_pbx.reply("/sys/crm_api.wcgp", 200, {"callid": "C-1"})
    reply = await dial(relay, token, "+7 (910) 123-45-67")
    assert reply.status_code == 202 and reply.json()["provider_call_id"] == "C-1"
    assert fake_pbx.requests[-1].form() == {"cmd": "makeCall", "token": "apitok",
                                            "user": "andy", "phone": "79101234567"}
    async with httpx.AsyncClient(base_url=relay.url, headers=auth(token)) as http:
        fake_pbx.reply("/sys/crm_api.wcgp", 200, {"state": True})
        assert (await http.get("/api/v1/dnd")).json() == {"dnd": True}
        assert fake_pbx.requests[-1].form() == {"cmd": "get_dnd", "token": "apitok",
                                                "user": "andy"}
        fake_pbx.reply("/sys/crm_api.wcgp", 200, b"OK", "text/plain")
        assert (await http.put("/api/v1/dnd", json={"dnd": False})).json() == {"dnd": False}
        assert fake_pbx.requests[-1].form()["cmd"] == "set_dnd"
        fake_pbx.reply("/sys/crm_api.wcgp", 400, {"error": "Invalid parameters: [user]"})
        bad = await http.post("/api/v1/calls", json={"phone": "89101234567"})
        assert bad.status_code == 502
        assert_provider_error(bad.json(), "Invalid parameters: [user]", "crm-api")


async def test_dnd_unsupported_is_coded(pz_relay: Relay) -> None:
    """Prostye Zvonki has no DND API: the desktop gets code not_supported, not a 404."""
    token = pz_relay.add_user("Иванов", "100")
    async with httpx.AsyncClient(base_url=pz_relay.url, headers=auth(token)) as http:
        reply = await http.get("/api/v1/dnd")
    assert reply.status_code == 409 and reply.json()["code"] == "not_supported"
    assert "do-not-disturb" in reply.json()["error"]
