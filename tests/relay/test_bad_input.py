"""SPEC §7: every bad webhook gets a clear 4xx, never a 5xx, and writes nothing."""

from __future__ import annotations

import json

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import WEBHOOK_TOKEN, Relay

GOOD = {"cmd": "event", "type": "INCOMING", "direction": "in", "user": "100", "ext": "100",
        "phone": "89991234567", "callid": "bad-input-1", "crm_token": WEBHOOK_TOKEN}
INVALID = (400, {"error": "Invalid parameters"})
TOKEN = (401, {"error": "Invalid token"})


def body(**changes: object) -> bytes:
    data = {**GOOD, **changes}
    return json.dumps({k: v for k, v in data.items() if v is not ...}).encode()


JSON = {"Content-Type": "application/json"}
FORM = {"Content-Type": "application/x-www-form-urlencoded"}

CASES = [
    ("wrong token", body(crm_token="nope"), JSON, TOKEN),
    ("missing token", body(crm_token=...), JSON, TOKEN),
    ("token of wrong type", body(crm_token=123), JSON, TOKEN),
    ("empty body", b"", JSON, INVALID),
    ("not json", b"{nope", JSON, INVALID),
    ("json array", b"[1,2]", JSON, INVALID),
    ("json string", b'"cmd"', JSON, INVALID),
    ("nested value", body(phone={"a": 1}), JSON, INVALID),
    ("list value", body(user=["100"]), JSON, INVALID),
    ("boolean value", body(callid=True), JSON, INVALID),
    ("unknown cmd", body(cmd="format_disk"), JSON, INVALID),
    ("missing cmd", body(cmd=...), JSON, INVALID),
    ("unknown event type", body(type="EXPLODED"), JSON, INVALID),
    ("missing callid", body(callid=...), JSON, INVALID),
    ("missing user and ext", body(user=..., ext=...), JSON, INVALID),
    ("bad direction", body(direction="sideways"), JSON, INVALID),
    ("history without status", body(cmd="history", type="in"), JSON, INVALID),
    ("history with bad status", body(cmd="history", type="in", status="exploded"), JSON,
     INVALID),
    ("history with bad type", body(cmd="history", type="up", status="success"), JSON, INVALID),
    ("history with bad duration", body(cmd="history", type="in", status="success",
                                       duration="long"), JSON, INVALID),
    ("history with negative duration", body(cmd="history", type="in", status="success",
                                            duration=-5), JSON, INVALID),
    ("history with infinite duration", body(cmd="history", type="in", status="success",
                                            duration="inf"), JSON, INVALID),
    ("contact without phone", body(cmd="contact", phone=...), JSON, INVALID),
    ("form garbage", b"%%%&&&===", FORM, INVALID),
    ("form wrong token", b"cmd=event&crm_token=x", FORM, TOKEN),
    ("binary", bytes(range(256)), {"Content-Type": "application/octet-stream"}, INVALID),
    ("oversized body", json.dumps({**GOOD, "pad": "x" * 70_000}).encode(), JSON, INVALID),
    ("nul in a value", body(phone="8999\u00001234567"), JSON, INVALID),
]


@pytest.mark.parametrize(("name", "content", "headers", "expected"), CASES,
                         ids=[c[0] for c in CASES])
async def test_bad_webhook(pz_relay: Relay, name: str, content: bytes,
                           headers: dict[str, str], expected: tuple[int, dict[str, str]]) -> None:
    """A bad webhook gets its exact 4xx reply and leaves no call behind."""
    async with httpx.AsyncClient(base_url=pz_relay.url) as http:
        reply = await http.post("/hooks/prostiezvonki", content=content, headers=headers)
    assert (reply.status_code, reply.json()) == expected
    assert pz_relay.sql("select count(*) from calls") == [(0,)]
    assert pz_relay.sql("select count(*) from events") == [(0,)]


async def test_unknown_and_unconfigured_providers(relay: Relay) -> None:
    """Unknown providers and providers nobody configured are 404 with a JSON error."""
    async with httpx.AsyncClient(base_url=relay.url) as http:
        unknown = await http.post("/hooks/nosuchpbx", json=GOOD)
        unconfigured = await http.post("/hooks/crm-api", json=GOOD)
        secret_path = await http.post("/hooks/crm-api/abc", json=GOOD)
    assert (unknown.status_code, unknown.json()) == (404, {"error": "Unknown provider",
                                                             "code": "unknown_provider"})
    assert unconfigured.status_code == 404
    assert unconfigured.json() == {"error": "Provider not configured",
                                  "code": "provider_not_configured"}
    assert secret_path.status_code == 404


async def test_a_good_body_in_form_encoding_is_accepted(pz_relay: Relay) -> None:
    """The same event form-encoded works too (SPEC §2.1: both content types)."""
    pz_relay.add_user("Иванов", "100")
    async with httpx.AsyncClient(base_url=pz_relay.url) as http:
        reply = await http.post("/hooks/prostiezvonki", data=GOOD)
    assert reply.status_code == 200


values = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
                   st.text(max_size=40), st.lists(st.integers(), max_size=3),
                   st.dictionaries(st.text(max_size=5), st.integers(), max_size=2))
keys = st.sampled_from(["cmd", "type", "direction", "user", "ext", "phone", "callid",
                        "crm_token", "status", "duration", "start", "link", "diversion"])
bodies = st.one_of(
    st.dictionaries(keys, values, max_size=12).map(lambda d: json.dumps(d).encode()),
    st.fixed_dictionaries({"crm_token": st.just(WEBHOOK_TOKEN), "cmd": st.sampled_from(
        ["event", "history", "contact", "rating", "x"])}, optional={
        k: values for k in ["type", "direction", "user", "ext", "phone", "callid", "status",
                            "duration", "start", "link"]}).map(
        lambda d: json.dumps(d).encode()),
    st.binary(max_size=300),
)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=bodies, ctype=st.sampled_from(["application/json",
                                              "application/x-www-form-urlencoded",
                                              "text/plain", ""]))
def test_random_bodies_never_give_5xx(pz_relay: Relay, content: bytes, ctype: str) -> None:
    """Whatever arrives, the relay answers below 500."""
    with httpx.Client(base_url=pz_relay.url) as http:
        reply = http.post("/hooks/prostiezvonki", content=content,
                          headers={"Content-Type": ctype} if ctype else {})
    assert reply.status_code < 500, (content, reply.text)
