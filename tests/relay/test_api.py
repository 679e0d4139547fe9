"""The desktop REST API (SPEC §9.2): contacts, lookup, journal, errors, ops endpoints."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import Relay, auth
from tests.relay.test_events_socket import event, history, post


@pytest.fixture
def api(pz_relay: Relay) -> httpx.Client:
    token = pz_relay.add_user("Иванов", "100")
    with httpx.Client(base_url=pz_relay.url, headers=auth(token)) as client:
        yield client  # type: ignore[misc]


def test_contact_crud_and_search(api: httpx.Client) -> None:
    """Create, read, search by name/company/digits, update, delete."""
    created = api.post("/api/v1/contacts", json={
        "name": "Смирнова Анна", "company": "Ромашка", "phones": ["8 (495) 123-45-67", "100"],
        "email": "anna@example.invalid", "responsible_ext": "100", "note": "VIP"})
    assert created.status_code == 201
    contact = created.json()
    assert contact["phones"] == ["+74951234567", "100"]
    assert contact["phones_raw"] == ["8 (495) 123-45-67", "100"]
    cid = contact["id"]
    assert api.get(f"/api/v1/contacts/{cid}").json() == contact
    for q in ("смирн", "РОМАШ", "12345", "495 123", "anna@", "8495123", "8 (495) 12"):
        assert [c["id"] for c in api.get("/api/v1/contacts", params={"q": q}).json()] == [cid]
    assert api.get("/api/v1/contacts", params={"q": "nobody"}).json() == []
    updated = api.put(f"/api/v1/contacts/{cid}", json={**contact, "phones": ["+79161112233"]})
    assert updated.json()["phones"] == ["+79161112233"]
    assert api.get("/api/v1/lookup", params={"phone": "84951234567"}).json()["contacts"] == []
    assert api.delete(f"/api/v1/contacts/{cid}").status_code == 204
    assert api.get(f"/api/v1/contacts/{cid}").status_code == 404
    assert api.delete(f"/api/v1/contacts/{cid}").json() == {"error": "No such contact",
                                                                 "code": "not_found"}


@pytest.mark.parametrize("payload", [
    {},
    {"name": ""},
    {"name": "   "},
    {"name": "X", "phones": ["not a number"]},
    {"name": "X", "phones": "89991234567"},
    {"name": "X", "crm_url": "javascript:alert(1)"},
    {"name": "X" * 301},
])
def test_invalid_contacts_are_422_with_a_reason(api: httpx.Client, payload: dict) -> None:
    """Bad contacts are refused with a JSON error naming the problem, nothing stored."""
    reply = api.post("/api/v1/contacts", json=payload)
    assert reply.status_code == 422
    assert reply.json()["error"]
    assert api.get("/api/v1/contacts").json() == []


def test_lookup_follows_the_last_digits_rule(pz_relay: Relay, api: httpx.Client) -> None:
    """Exact first; else the last N digits; a number of N digits or fewer must match fully."""
    a = api.post("/api/v1/contacts", json={"name": "A", "phones": ["+74951234567"]}).json()
    b = api.post("/api/v1/contacts", json={"name": "B", "phones": ["+79991234567"]}).json()
    short = api.post("/api/v1/contacts", json={"name": "S", "phones": ["34567"]}).json()

    def found(phone: str) -> list[str]:
        return [c["name"] for c in api.get("/api/v1/lookup", params={"phone": phone})
                .json()["contacts"]]

    assert found("8 999 123-45-67") == ["B"]  # exact match wins over suffix matches
    assert found("+7 812 123-45-67") == ["A", "B", "S"]  # last 5 digits: 34567
    pz_relay.cli("settings", "set", "last-digits", "7")
    assert found("+7 812 123-45-67") == ["A", "B"]  # 1234567; "34567" is too short
    assert found("34567") == ["S"]  # five digits, N = 7: full match only
    assert found("1234567") == []  # seven digits: no full match
    assert {a["id"], b["id"], short["id"]}
    assert api.get("/api/v1/lookup", params={"phone": "abc"}).status_code == 422


def test_journal_filters_paging_and_notes(pz_relay: Relay, api: httpx.Client) -> None:
    """Filters all/missed/in/out, `before` paging, and note editing."""
    async def make() -> None:
        for n in range(5):
            await post(pz_relay, event("INCOMING", f"j{n}"),
                       history(f"j{n}", "missed" if n % 2 else "success"))
        await post(pz_relay, event("OUTGOING", "o1", direction="out"),
                   {**history("o1", "success"), "type": "out"})

    asyncio.run(make())
    everything = api.get("/api/v1/calls").json()
    assert len(everything) == 6
    assert len(api.get("/api/v1/calls", params={"filter": "missed"}).json()) == 2
    assert len(api.get("/api/v1/calls", params={"filter": "in"}).json()) == 5
    assert [e["direction"] for e in api.get("/api/v1/calls", params={"filter": "out"}).json()] \
        == ["out"]
    first = api.get("/api/v1/calls", params={"limit": 4}).json()
    rest = api.get("/api/v1/calls", params={"limit": 4, "before": first[-1]["id"]}).json()
    assert [e["id"] for e in first + rest] == [e["id"] for e in everything]
    noted = api.patch(f"/api/v1/calls/{first[0]['id']}", json={"note": "перезвонить"})
    assert noted.json()["note"] == "перезвонить"
    assert api.patch("/api/v1/calls/nope", json={"note": "x"}).status_code == 404
    assert api.get("/api/v1/calls", params={"filter": "weird"}).status_code == 422


def test_auth_errors_are_json(pz_relay: Relay) -> None:
    """No token, a bad one: 401 JSON with WWW-Authenticate."""
    with httpx.Client(base_url=pz_relay.url) as http:
        for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic x"}):
            reply = http.get("/api/v1/me", headers=headers)
            assert reply.status_code == 401
            assert reply.json() == {"error": "Invalid or revoked token",
                                    "code": "unauthorized"}
            assert reply.headers["www-authenticate"] == "Bearer"
        assert http.get("/api/v1/nothing-here").json() == {"error": "Not Found",
                                                            "code": "not_found"}


def test_me(api: httpx.Client) -> None:
    """/me names the user and the PBX it dials through."""
    me = api.get("/api/v1/me").json()
    assert (me["name"], me["ext"], me["provider"]["name"]) == ("Иванов", "100",
                                                               "prostiezvonki")


def test_ops_endpoints(pz_relay: Relay) -> None:
    """openapi, healthz, readyz and Prometheus metrics answer."""
    with httpx.Client(base_url=pz_relay.url) as http:
        paths = http.get("/openapi.json").json()["paths"]
        assert {"/api/v1/calls", "/api/v1/contacts", "/hooks/{provider}"} <= set(paths)
        assert http.get("/healthz").json() == {"status": "ok"}
        ready = http.get("/readyz").json()
        assert ready["status"] == "ok" and ready["checks"]["providers"] == ["prostiezvonki"]
        http.post("/hooks/prostiezvonki", json={"cmd": "event", "crm_token": "wrong"})
        metrics = http.get("/metrics").text
        assert 'trubka_webhooks_total{outcome="unauthorized",provider="prostiezvonki"} 1.0' \
            in metrics
        http.post("/hooks/prostiezvonki", json={"cmd": "event", "crm_token": "wrong"})
        http.post("/hooks/prostiezvonki", content=b"{")  # unreadable: 400, outcome invalid
        metrics = http.get("/metrics").text  # each webhook's series are kept between them
        assert 'trubka_webhooks_total{outcome="unauthorized",provider="prostiezvonki"} 2.0' \
            in metrics
        assert 'trubka_webhooks_total{outcome="invalid",provider="prostiezvonki"} 1.0' \
            in metrics
        assert 'trubka_webhook_seconds_count{provider="prostiezvonki"} 3.0' in metrics
        assert "trubka_clients_connected" in metrics


def test_commit_time_metric(pz_relay: Relay) -> None:
    """Each webhook's write transaction is counted and timed in
    `trubka_store_commit_seconds` (on SQLite the fsync the event loop waits for: what an
    operator watches for a slow disk), read with Prometheus's own parser."""

    def commits() -> dict[str, float]:
        text = httpx.get(f"{pz_relay.url}/metrics").text
        family = next(f for f in text_string_to_metric_families(text)
                      if f.name == "trubka_store_commit_seconds")
        return {f"{s.name}{s.labels.get('le', '')}": s.value for s in family.samples}

    before = commits()
    asyncio.run(post(pz_relay, event("INCOMING", "m1"), history("m1", "success")))
    after = commits()
    assert after["trubka_store_commit_seconds_count"] \
        >= before["trubka_store_commit_seconds_count"] + 2  # one transaction per webhook
    assert after["trubka_store_commit_seconds_sum"] > before["trubka_store_commit_seconds_sum"]
    assert after["trubka_store_commit_seconds_bucket+Inf"] \
        == after["trubka_store_commit_seconds_count"]
