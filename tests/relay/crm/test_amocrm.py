"""amoCRM against a fake account that checks the API v4 request shapes (docs/crm/amocrm.md)."""

from __future__ import annotations

import asyncio
from typing import Any

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

TOKEN = "amo-long-lived-token"


class Amo:
    """The fake account: contact 42 (+7 999 123-45-67) of company 5, responsible user 7
    (ivanov@example.ru); contacts created through the API are found afterwards."""

    def __init__(self) -> None:
        self.contacts: dict[str, dict[str, Any]] = {"9991234567": {
            "id": 42, "name": "Пётр Клиентов", "responsible_user_id": 7,
            "custom_fields_values": [{"field_code": "PHONE", "field_name": "Телефон",
                                      "values": [{"value": "+7 (999) 123-45-67",
                                                  "enum_code": "WORK"}]}],
            "_embedded": {"companies": [{"id": 5}]}}}
        self.calls: list[dict[str, Any]] = []

    def __call__(self, r: Request) -> tuple[int, Any]:
        assert r.headers.get("authorization") == f"Bearer {TOKEN}", r.headers
        if r.method == "GET" and r.path == "/api/v4/contacts":
            found = self.contacts.get(r.query["query"])
            return (200, {"_embedded": {"contacts": [found]}}) if found else (204, None)
        if r.method == "GET" and r.path == "/api/v4/companies/5":
            return 200, {"id": 5, "name": "ООО Ромашка"}
        if r.method == "GET" and r.path == "/api/v4/users":
            assert r.query["page"] == "1" and int(r.query["limit"]) <= 250
            return 200, {"_embedded": {"users": [
                {"id": 7, "name": "Иван Иванов", "email": "IVANOV@example.ru"},
                {"id": 8, "name": "Другой", "email": "other@example.ru"}]}}
        if r.method == "POST" and r.path == "/api/v4/calls":
            return self.log_call(r.json())
        if r.method == "POST" and r.path == "/api/v4/contacts":
            body = r.json()
            assert isinstance(body, list) and body[0]["name"]
            phones = body[0]["custom_fields_values"][0]
            assert phones["field_code"] == "PHONE"
            number = phones["values"][0]["value"]
            self.contacts[number[-10:]] = {"id": 77, **body[0]}
            return 200, {"_embedded": {"contacts": [{"id": 77, "request_id": "0"}]}}
        if r.path == "/api/v4/account":
            return 200, {"id": 1, "name": "Тестовый аккаунт"}
        raise AssertionError(f"{r.method} {r.path}")

    def log_call(self, body: Any) -> tuple[int, Any]:
        assert isinstance(body, list) and len(body) == 1
        call = body[0]
        for required in ("direction", "duration", "source", "phone"):
            assert required in call, required
        assert call["direction"] in ("inbound", "outbound")
        assert isinstance(call["duration"], int) and isinstance(call["call_status"], int)
        self.calls.append(call)
        return 200, {"_embedded": {"calls": [{"id": 1000 + len(self.calls)}]}}


def configure(relay: Relay, fake: FakeCrm) -> Amo:
    amo = Amo()
    fake.handler = amo
    relay.cli("crm", "set", "amocrm", "--url", fake.url, "--token", TOKEN)
    return amo


async def test_known_number_card_on_the_socket_and_in_the_pbx_reply(
        pz_relay: Relay, fake_crm: FakeCrm) -> None:
    """A known number: the PBX's lookup gets the name and the responsible's extension
    (user 7 → ivanov@example.ru → ext 100, smart transfer); the call frame goes out at
    once, then again with the amoCRM card."""
    tokens = staff(pz_relay)
    configure(pz_relay, fake_crm)
    assert ask(pz_relay)[0] == {"contact_name": "Пётр Клиентов", "responsible": "100"}
    search = fake_crm.made("/api/v4/contacts", "GET")[0]
    assert search.query == {"query": "9991234567"}
    async with ws_client(pz_relay, tokens["100"]) as ws:
        await ws.frame()  # hello
        await hook(pz_relay, incoming("amo-1"))
        first, = await call_frames(ws, 1)
        assert first["call"]["contact"]["source"] == "amocrm"  # from the answer cache
    assert len(fake_crm.made("/api/v4/contacts", "GET")) == 1
    card = first["call"]["contact"]
    assert (card["name"], card["company"], card["responsible_ext"], card["crm_url"]) == (
        "Пётр Клиентов", "ООО Ромашка", "100", fake_crm.url + "/contacts/detail/42")
    assert card["phones"] == [E164] and card["id"] is None
    assert fake_crm.failures == []


async def test_card_arrives_in_a_second_frame_when_not_cached(
        pz_relay: Relay, fake_crm: FakeCrm) -> None:
    """No lookup before the call: the first frame has no card, the next one (same call,
    new seq) has amoCRM's, and the journal entry gets it too."""
    tokens = staff(pz_relay)
    configure(pz_relay, fake_crm)
    async with ws_client(pz_relay, tokens["100"]) as ws:
        await ws.frame()
        await hook(pz_relay, incoming("amo-2"))
        first, second = await call_frames(ws, 2)
    assert first["call"]["contact"] is None
    assert second["call"]["id"] == first["call"]["id"] and second["seq"] > first["seq"]
    assert second["call"]["contact"]["name"] == "Пётр Клиентов"
    await hook(pz_relay, history("amo-2"))
    journal = (await api(pz_relay, "GET", "/api/v1/calls", headers=auth(tokens["100"]))).json()
    assert journal[0]["contact"]["crm_url"].endswith("/contacts/detail/42")


async def test_unknown_number_is_cached_until_a_contact_changes(
        pz_relay: Relay, fake_crm: FakeCrm) -> None:
    """"Not found" (204) is cached: two lookups, one request; creating the contact through
    Trubka creates it in amoCRM, drops the cache, and earlier calls get the card."""
    tokens = staff(pz_relay)
    configure(pz_relay, fake_crm)
    assert ask(pz_relay, "84950001122")[0] == {"contact_name": "", "responsible": ""}
    assert ask(pz_relay, "+7 495 000-11-22")[0]["contact_name"] == ""
    assert [r.query["query"] for r in fake_crm.made("/api/v4/contacts", "GET")] == [
        "4950001122"]
    await hook(pz_relay, incoming("amo-3", phone="84950001122"),
               history("amo-3", "Missed", phone="84950001122", duration=0))
    made = await api(pz_relay, "POST", "/api/v1/contacts", headers=auth(tokens["100"]),
                     json={"name": "Новый клиент", "phones": ["8 495 000-11-22"],
                           "responsible_ext": "100"})
    assert made.status_code == 201, made.text
    assert made.json()["source"] == "amocrm" and made.json()["id"] is None
    assert made.json()["crm_url"] == fake_crm.url + "/contacts/detail/77"
    journal = (await api(pz_relay, "GET", "/api/v1/calls", headers=auth(tokens["100"]))).json()
    assert journal[0]["contact"]["name"] == "Новый клиент"
    created = fake_crm.made("/api/v4/contacts", "POST")[0].json()[0]
    assert created["responsible_user_id"] == 7
    assert created["custom_fields_values"][0]["values"][0]["value"] == "+74950001122"
    assert ask(pz_relay, "84950001122")[0]["contact_name"] == "Новый клиент"
    assert len(fake_crm.made("/api/v4/contacts", "GET")) == 2


async def test_calls_written_once_and_only_for_mapped_users(
        pz_relay: Relay, fake_crm: FakeCrm) -> None:
    """A final journal entry is logged with POST /api/v4/calls once, however often and in
    whatever order the PBX posts; ext 101 has no amoCRM user: nothing written for it."""
    staff(pz_relay)
    amo = configure(pz_relay, fake_crm)
    rec = "https://records.example/amo-4.mp3"
    done = history("amo-4", duration=42, link=rec)
    await hook(pz_relay, done, incoming("amo-4"), done, history("amo-4", duration=42,
                                                                link=rec))
    await asyncio.gather(hook(pz_relay, done), hook(pz_relay, done))
    await hook(pz_relay, incoming("amo-5", ext="101"), history("amo-5", ext="101"))
    await until(lambda: len(amo.calls) >= 1)
    await asyncio.sleep(0.5)  # time for a second write, were there one
    assert len(amo.calls) == 1
    call = amo.calls[0]
    assert (call["direction"], call["duration"], call["call_status"], call["phone"]) == (
        "inbound", 42, 4, E164)
    assert (call["link"], call["source"], call["responsible_user_id"]) == (rec, "Trubka", 7)
    assert call["uniq"] == "trubka-prostiezvonki-amo-4"
    assert "ext 101 has no CRM user" in pz_relay.cli("crm", "show") or \
        "1 skipped" in pz_relay.cli("crm", "show")


def test_cli_set_show_test_off(pz_relay: Relay, fake_crm: FakeCrm) -> None:
    """`crm set` stores the options (the token masked in `crm show`), `crm test` prints
    the match, where it came from and the time, `crm off` removes it."""
    configure(pz_relay, fake_crm)
    shown = pz_relay.cli("crm", "show")
    assert "amocrm" in shown and TOKEN not in shown and "***oken" in shown
    out = pz_relay.cli("crm", "test", "8 999 123-45-67")
    assert "+79991234567: from amocrm, a request to the CRM" in out and " ms" in out
    assert "name: Пётр Клиентов" in out and "company: ООО Ромашка" in out
    assert "check: account Тестовый аккаунт" in out
    pz_relay.cli("crm", "set", "amocrm", "--url", "ftp://x", expect=2)
    assert "amocrm: off" in pz_relay.cli("crm", "off")
    assert "no CRM configured" in pz_relay.cli("crm", "show")
    assert ask(pz_relay)[0]["contact_name"] == ""
