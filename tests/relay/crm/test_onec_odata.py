"""1C against a fake standard OData interface that checks the request shapes
(docs/crm/1c-odata.md): the local index, its full load and incremental refresh."""

from __future__ import annotations

import base64
import json
import re
from typing import Any

from tests.conftest import Relay, auth, ws_client
from tests.fakes.crm import FakeCrm, Request
from tests.relay.crm.conftest import api, ask, call_frames, hook, incoming, staff, until

ROOT = "/base/odata/standard.odata/"
MANAGER = "11111111-2222-3333-4444-555555555555"
PERSON = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"


def guid(i: int) -> str:
    return f"{i:08x}-0000-4000-8000-{i:012x}"


class Base:
    """A fake infobase of `count` counterparties, generated page by page: number i has
    phone +7 916 <i, 7 digits>; objects may be changed, deleted or added later."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.changed: dict[int, str] = {}  # i → new phone text
        self.deleted: set[int] = set()
        self.created: list[dict[str, Any]] = []

    def counterparty(self, i: int) -> dict[str, Any]:
        phone = self.changed.get(i, f"+7 (916) {i:07d}")
        return {"Ref_Key": guid(i), "DataVersion": "v2" if i in self.changed else "v1",
                "DeletionMark": False, "Description": f"Контрагент {i}",
                "ОсновнойМенеджер_Key": MANAGER if i == 1 else
                "00000000-0000-0000-0000-000000000000",
                "КонтактнаяИнформация": [
                    {"LineNumber": "1", "Тип": "Адрес", "Представление": "Москва"},
                    {"LineNumber": "2", "Тип": "Телефон", "Представление": phone}]}

    def objects(self) -> list[int]:
        return [i for i in range(1, self.count + 1) if i not in self.deleted]

    def __call__(self, r: Request) -> tuple[int, Any]:
        expected = "Basic " + base64.b64encode("Обмен:пароль".encode()).decode()
        assert r.headers.get("authorization") == expected and r.method in ("GET", "POST")
        assert r.query["$format"] == "json" and r.path.startswith(ROOT), (r.path, r.query)
        entity = r.path.removeprefix(ROOT)
        if entity == "Catalog_Контрагенты" and r.method == "POST":
            self.created.append(r.json())
            return 201, {"Ref_Key": PERSON.replace("a", "f"), **r.json()}
        if entity == "Catalog_Контрагенты":
            return 200, {"value": self.page(r.query)}
        if entity == "Catalog_КонтактныеЛица":
            return 200, {"value": [] if "$skip" in r.query and r.query["$skip"] != "0" else [{
                "Ref_Key": PERSON, "DataVersion": "p1", "DeletionMark": False,
                "Description": "Анна Контактова", "ОбъектВладелец": guid(2),
                "ОбъектВладелец_Type": "StandardODATA.Catalog_Контрагенты",
                "КонтактнаяИнформация": [{"LineNumber": "1", "Тип": "Телефон",
                                          "Представление": "8 (495) 777-66-55 доб. 12"}]}]}
        if entity == "Catalog_Пользователи":
            assert r.query["$select"] == "Ref_Key,Description"
            return 200, {"value": [{"Ref_Key": MANAGER, "Description": "Иванов Иван"}]}
        raise AssertionError(entity)

    def page(self, query: dict[str, str]) -> list[dict[str, Any]]:
        if "$filter" in query:
            wanted = re.findall(r"Ref_Key eq guid'([0-9a-f-]+)'", query["$filter"])
            return [self.counterparty(int(g.split("-")[0], 16)) for g in wanted]
        assert query["$orderby"] == "Ref_Key" and int(query["$top"]) <= 1000
        skip, top = int(query["$skip"]), int(query["$top"])
        rows = [self.counterparty(i) for i in self.objects()[skip:skip + top]]
        if query.get("$select"):
            assert query["$select"] == "Ref_Key,DataVersion,DeletionMark"
            rows = [{k: row[k] for k in ("Ref_Key", "DataVersion", "DeletionMark")}
                    for row in rows]
        return rows


def configure(relay: Relay, fake: FakeCrm, base: Base, *extra: str) -> None:
    fake.handler = base
    relay.cli("crm", "set", "1c-odata", "--url", fake.url + ROOT.rstrip("/"), "--user",
              "Обмен", "--password", "пароль", "--link-base", "e1c://server/srv1c/trade",
              "--refresh-minutes", "60", *extra)


def loaded(relay: Relay, objects: int) -> bool:
    """The load has ended — its outcome recorded, so its lease is given back — not only
    written its last page (a refresh started in between would find the lease held)."""
    shown = relay.cli("crm", "show")
    return f"index: {objects} object(s)" in shown and f"'objects': {objects}," in shown


async def test_index_card_pbx_reply_smart_transfer_and_link(
        pz_relay: Relay, fake_crm: FakeCrm) -> None:
    """Once indexed, a number is answered from the index (no request to 1C): the card is
    in the very first call frame, with an e1c:// link (ref reordered 4-5-3-2-1); the
    responsible 1C user maps to ext 100 by name; a contact person's company is its
    counterparty's name; a number written with an extension is still found."""
    tokens = staff(pz_relay)
    configure(pz_relay, fake_crm, Base(3), "--responsible-field", "ОсновнойМенеджер")
    await until(lambda: loaded(pz_relay, 4))
    before = len(fake_crm.requests)
    assert ask(pz_relay, "8 916 000-00-01")[0] == {"contact_name": "Контрагент 1",
                                                   "responsible": "100"}
    assert ask(pz_relay, "+7 916 999-99-99")[0] == {"contact_name": "", "responsible": ""}
    async with ws_client(pz_relay, tokens["100"]) as ws:
        await ws.frame()
        await hook(pz_relay, incoming("1c-1", phone="84957776655"))
        first, = await call_frames(ws, 1)
        await ws.nothing(0.3)
    card = first["call"]["contact"]
    assert (card["name"], card["company"], card["source"]) == (
        "Анна Контактова", "Контрагент 2", "1c-odata")
    assert card["crm_url"] == ("e1c://server/srv1c/trade#e1cib/data/Справочник.КонтактныеЛица"
                               "?ref=ddddeeeeeeeeeeeecccccbbbbaaaaaaaa".replace("ccccc", "cccc"))
    assert len(fake_crm.requests) == before  # lookups never wait on 1C
    assert fake_crm.failures == []


async def test_full_load_of_100000_then_incremental_refresh(
        pz_relay: Relay, fake_crm: FakeCrm) -> None:
    """100,000 counterparties load page by page; a refresh lists versions only and re-reads
    just the changed and new objects, drops the deleted one; lookups use the new index."""
    base = Base(100_000)
    configure(pz_relay, fake_crm, base)
    await until(lambda: loaded(pz_relay, 100_001), timeout=120)
    assert ask(pz_relay, "+7 916 009-99-99")[0]["contact_name"] == "Контрагент 99999"
    base.changed[5] = "+7 (903) 555-44-33"
    base.deleted.add(7)
    base.count += 1
    fake_crm.requests.clear()
    out = pz_relay.cli("crm", "refresh")
    assert "2 object(s) read, 1 removed; now 100001 object(s)" in out, out
    full_reads = [r for r in fake_crm.requests if "$select" not in r.query
                  and "$filter" not in r.query]
    assert full_reads == []  # whole objects only for the ones whose version changed
    assert len([r for r in fake_crm.requests if "$filter" in r.query]) == 1
    assert ask(pz_relay, "+7 903 555-44-33")[0]["contact_name"] == "Контрагент 5"
    assert ask(pz_relay, "+7 916 000-00-05")[0]["contact_name"] == ""
    assert ask(pz_relay, "+7 916 000-00-07")[0]["contact_name"] == ""
    assert ask(pz_relay, "+7 916 010-00-01")[0]["contact_name"] == "Контрагент 100001"


async def test_create_contact_in_1c(pz_relay: Relay, fake_crm: FakeCrm) -> None:
    """Create contact goes to the counterparties catalogue with its phone row, and the
    index knows it at once; an earlier call from that number gets the card."""
    tokens = staff(pz_relay)
    base = Base(1)
    configure(pz_relay, fake_crm, base)
    await until(lambda: loaded(pz_relay, 2))
    await hook(pz_relay, incoming("1c-2", phone="84950001122"))
    made = await api(pz_relay, "POST", "/api/v1/contacts", headers=auth(tokens["100"]),
                     json={"name": "ООО Новый", "phones": ["8 495 000-11-22"]})
    assert made.status_code == 201, made.text
    assert made.json()["source"] == "1c-odata"
    assert made.json()["crm_url"].startswith("e1c://server/srv1c/trade#e1cib/data/"
                                             "Справочник.Контрагенты?ref=")
    assert base.created == [{"Description": "ООО Новый", "КонтактнаяИнформация": [
        {"LineNumber": "1", "Тип": "Телефон", "Представление": "+74950001122"}]}]
    assert ask(pz_relay, "84950001122")[0]["contact_name"] == "ООО Новый"
    stored = pz_relay.sql("SELECT contact FROM calls")[0][0]
    assert json.loads(stored)["name"] == "ООО Новый"  # the earlier call got the card
