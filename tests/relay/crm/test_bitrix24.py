"""Bitrix24 against a fake portal that checks the REST request shapes (docs/crm/bitrix24.md)."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from tests.conftest import Relay, auth, ws_client
from tests.fakes.crm import FakeCrm, Request
from tests.relay.crm.conftest import (
    E164,
    api,
    ask,
    call_frames,
    history,
    hook,
    incoming,
    staff,
    until,
)

HOOK = "/rest/1/webhooksecret/"


class Portal:
    """The fake portal: contact 12 of company 3, assigned to user 7 whose internal
    number (UF_PHONE_INNER) is 100. With `app_only`, telephony refuses the webhook
    (WRONG_AUTH_TYPE) and accepts the local application's access token, which expires
    once (`expired_token`) to make the relay renew it."""

    def __init__(self, app_only: bool = False) -> None:
        self.app_only = app_only
        self.methods: list[tuple[str, dict[str, Any]]] = []
        self.tokens = ["access-1"]
        self.expire_once = app_only

    def __call__(self, r: Request) -> tuple[int, Any]:
        if r.path == "/oauth/token/":
            return self.renew(r)
        body = r.json()
        if r.path.startswith("/rest/") and not r.path.startswith(HOOK):
            method = r.path.removeprefix("/rest/")
            if body.get("auth") != self.tokens[-1] or self.expire_once:
                self.expire_once = False
                return 401, {"error": "expired_token", "error_description": "expired"}
        else:
            assert r.path.startswith(HOOK), r.path
            method = r.path.removeprefix(HOOK)
            if self.app_only and method.startswith("telephony."):
                return 401, {"error": "WRONG_AUTH_TYPE", "error_description": "app only"}
        self.methods.append((method, body))
        return 200, {"result": self.result(method, body), "time": {"start": 0}}

    def renew(self, r: Request) -> tuple[int, Any]:
        assert r.method == "GET" and r.query["grant_type"] == "refresh_token"
        assert (r.query["client_id"], r.query["client_secret"]) == ("app.1", "app-secret")
        assert r.query["refresh_token"] == f"refresh-{len(self.tokens)}"
        self.tokens.append(f"access-{len(self.tokens) + 1}")
        return 200, {"access_token": self.tokens[-1], "expires_in": 3600,
                     "refresh_token": f"refresh-{len(self.tokens)}"}

    def result(self, method: str, body: dict[str, Any]) -> Any:
        if method == "crm.duplicate.findbycomm":
            assert body["type"] == "PHONE" and len(body["values"]) <= 20
            return {"CONTACT": [12]} if E164 in body["values"] else []
        if method == "crm.contact.get":
            assert body == {"ID": 12}
            return {"ID": "12", "NAME": "Пётр", "LAST_NAME": "Клиентов", "COMPANY_ID": "3",
                    "ASSIGNED_BY_ID": "7",
                    "PHONE": [{"ID": "1", "VALUE_TYPE": "WORK", "VALUE": "+79991234567",
                               "TYPE_ID": "PHONE"}]}
        if method == "crm.company.get":
            assert body == {"ID": 3}
            return {"ID": "3", "TITLE": "ООО Ромашка"}
        if method == "user.get":
            return [{"ID": "7", "NAME": "Иван", "LAST_NAME": "Иванов", "UF_PHONE_INNER": "100"},
                    {"ID": "9", "NAME": "Пётр", "LAST_NAME": "Другой", "UF_PHONE_INNER": ""}]
        if method == "telephony.externalcall.register":
            assert body["USER_ID"] == 7 and body["TYPE"] == 2 and body["PHONE_NUMBER"] == E164
            return {"CALL_ID": f"externalCall.{body['EXTERNAL_CALL_ID']}",
                    "CRM_ENTITY_TYPE": "CONTACT", "CRM_ENTITY_ID": 12}
        if method == "telephony.externalcall.finish":
            assert body["CALL_ID"].startswith("externalCall.")
            return {"CALL_ID": body["CALL_ID"], "ID": 5}
        if method == "telephony.externalcall.attachRecord":
            assert body["RECORD_URL"].startswith("https://")
            return {"FILE_ID": 9}
        if method == "crm.contact.add":
            assert body["FIELDS"]["PHONE"][0]["VALUE_TYPE"] == "WORK"
            return 46
        if method == "profile":
            return {"ID": "1", "NAME": "Админ", "LAST_NAME": "Портала"}
        raise AssertionError(method)

    def called(self, method: str) -> list[dict[str, Any]]:
        return [body for name, body in self.methods if name == method]


def configure(relay: Relay, fake: FakeCrm, *extra: str, app_only: bool = False) -> Portal:
    portal = Portal(app_only)
    fake.handler = portal
    relay.cli("crm", "set", "bitrix24", "--webhook-url", fake.url + HOOK, *extra)
    return portal


async def test_known_number_card_socket_pbx_reply_and_smart_transfer(
        pz_relay: Relay, fake_crm: FakeCrm) -> None:
    """findbycomm → contact.get → company.get: the card (TITLE as company) in the PBX's
    reply and on the socket; ASSIGNED_BY_ID 7 → UF_PHONE_INNER 100 → smart transfer."""
    tokens = staff(pz_relay)
    portal = configure(pz_relay, fake_crm, "--write-calls", "off")
    async with ws_client(pz_relay, tokens["100"]) as ws:
        await ws.frame()
        await hook(pz_relay, incoming("bx-1"))
        first, second = await call_frames(ws, 2)
    assert first["call"]["contact"] is None
    card = second["call"]["contact"]
    assert (card["name"], card["company"], card["responsible_ext"], card["source"]) == (
        "Пётр Клиентов", "ООО Ромашка", "100", "bitrix24")
    assert card["crm_url"] == fake_crm.url + "/crm/contact/details/12/"
    assert ask(pz_relay)[0] == {"contact_name": "Пётр Клиентов", "responsible": "100"}
    assert len(portal.called("crm.duplicate.findbycomm")) == 1  # the second answer: cached
    assert portal.called("crm.duplicate.findbycomm")[0]["values"] == [E164, "79991234567"]
    assert portal.called("telephony.externalcall.register") == []  # --write-calls off
    assert fake_crm.failures == []


async def test_unknown_number_is_cached(pz_relay: Relay, fake_crm: FakeCrm) -> None:
    """An empty findbycomm result is "not found", cached: one request for two lookups."""
    staff(pz_relay)
    portal = configure(pz_relay, fake_crm)
    assert ask(pz_relay, "84950001122")[0] == {"contact_name": "", "responsible": ""}
    assert ask(pz_relay, "84950001122")[0]["contact_name"] == ""
    assert len(portal.called("crm.duplicate.findbycomm")) == 1


async def test_register_at_start_finish_at_end_once_each(
        pz_relay: Relay, fake_crm: FakeCrm) -> None:
    """register when the call starts, finish (200, duration) and attachRecord once it is
    final — each once across duplicated and out-of-order webhooks; nothing for ext 101."""
    staff(pz_relay)
    portal = configure(pz_relay, fake_crm)
    rec = "https://records.example/bx-2.mp3"
    done = history("bx-2", duration=42, link=rec)
    await hook(pz_relay, incoming("bx-2"), incoming("bx-2"))
    await asyncio.gather(hook(pz_relay, done), hook(pz_relay, done), hook(pz_relay, done))
    await hook(pz_relay, incoming("bx-3", ext="101"), history("bx-3", ext="101"))
    await until(lambda: len(portal.called("telephony.externalcall.attachRecord")) >= 1)
    await asyncio.sleep(0.5)
    register, = portal.called("telephony.externalcall.register")
    assert register["EXTERNAL_CALL_ID"] == "trubka-prostiezvonki-bx-2"
    assert (register["CRM_CREATE"], register["SHOW"]) == (0, 0)
    finish, = portal.called("telephony.externalcall.finish")
    assert (finish["CALL_ID"], finish["USER_ID"], finish["DURATION"], finish["STATUS_CODE"]) \
        == ("externalCall.trubka-prostiezvonki-bx-2", 7, 42, "200")
    record, = portal.called("telephony.externalcall.attachRecord")
    assert record == {"CALL_ID": finish["CALL_ID"], "RECORD_URL": rec}
    assert fake_crm.failures == []


async def test_telephony_through_the_local_application(
        pz_relay: Relay, fake_crm: FakeCrm) -> None:
    """A portal that refuses telephony through the webhook (WRONG_AUTH_TYPE): with a local
    application's credentials the calls go through OAuth; an expired access token is
    renewed with the refresh token and the rotated pair is kept."""
    staff(pz_relay)
    portal = configure(pz_relay, fake_crm, "--client-id", "app.1", "--client-secret",
                       "app-secret", "--refresh-token", "refresh-1", "--access-token",
                       "access-1", "--oauth-url", fake_crm.url + "/oauth/token/",
                       app_only=True)
    await hook(pz_relay, incoming("bx-4"), history("bx-4", "Missed", duration=0))
    await until(lambda: len(portal.called("telephony.externalcall.finish")) == 1)
    assert portal.called("telephony.externalcall.finish")[0]["STATUS_CODE"] == "304"
    assert portal.tokens == ["access-1", "access-2"]
    shown = pz_relay.cli("crm", "show")
    assert "refresh-2" not in shown and "access-2" not in shown  # kept, masked
    assert pz_relay.sql("SELECT config FROM crm_config")[0][0].count("refresh-2") == 1


async def test_webhook_refused_for_telephony_is_reported(
        pz_relay: Relay, fake_crm: FakeCrm) -> None:
    """Without an application, WRONG_AUTH_TYPE leaves the call unwritten, says why in
    `crm show`, and the call itself is unaffected."""
    tokens = staff(pz_relay)
    configure(pz_relay, fake_crm, app_only=True)
    await hook(pz_relay, incoming("bx-5"))
    await until(lambda: "only from an application" in pz_relay.cli("crm", "show"))
    calls = (await api(pz_relay, "GET", "/api/v1/calls", headers=auth(tokens["100"]))).json()
    assert calls == []  # still ringing: no journal entry yet, and no error either


def test_create_contact_in_bitrix(pz_relay: Relay, fake_crm: FakeCrm) -> None:
    """Create contact from an unknown number: crm.contact.add with the phone; the reply
    says where it was created (source) and links to the card."""
    tokens = staff(pz_relay)
    portal = configure(pz_relay, fake_crm)
    made = httpx.post(pz_relay.url + "/api/v1/contacts", headers=auth(tokens["100"]),
                      json={"name": "Новый", "phones": ["+7 495 000-11-22"],
                            "responsible_ext": "100"})
    assert made.status_code == 201, made.text
    assert (made.json()["source"], made.json()["crm_url"]) == (
        "bitrix24", fake_crm.url + "/crm/contact/details/46/")
    fields = portal.called("crm.contact.add")[0]["FIELDS"]
    assert fields["NAME"] == "Новый" and fields["ASSIGNED_BY_ID"] == 7
    assert fields["PHONE"] == [{"VALUE": "+74950001122", "VALUE_TYPE": "WORK"}]
