"""Zadarma end to end: the recorded, signed posts over real HTTP into a real relay, the
desktop on a real WebSocket, and a fake Zadarma API checking the signed REST calls."""

from __future__ import annotations

import json
from datetime import datetime
from urllib.parse import urlencode

import httpx
import pytest

from tests.conftest import DATA, Relay, assert_provider_error, auth, ws_client
from tests.fakes.pbx import FakePbx
from trubka.providers.zadarma import SIGNED_FIELDS, sign_api, signature_forms

SECRET = "fixture-secret-0123456789"
LINK = "https://api.zadarma.com/v1/pbx/record/download/abc/rec.mp3"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def recorded(name: str) -> list[tuple[dict[str, str], dict[str, str]]]:
    """The recorded posts, their call_start moved to now and signed again (a post that
    old would be refused as a replay: docs/providers/zadarma.md)."""
    lines = (DATA / "zadarma" / f"{name}.jsonl").read_text().splitlines()
    now = datetime.now().strftime("%Y-%m-%d %H:%M:%S")
    out = []
    for data in filter(None, map(json.loads, lines)):
        form = {**data["form"], "call_start": now} if "call_start" in data["form"] \
            else data["form"]
        message = "".join(form[n] for n in SIGNED_FIELDS[form["event"]])
        out.append((form, {"Signature": signature_forms(SECRET, message)[0].decode()}))
    return out


@pytest.fixture
def zd_relay(relay: Relay, fake_pbx: FakePbx) -> Relay:
    relay.cli("provider", "set", "zadarma", "--api-key", "KEY", "--api-secret", SECRET,
              "--api-url", fake_pbx.url)
    return relay


def assert_signed(recorded_request: object, path: str) -> None:
    query = dict(recorded_request.query)  # type: ignore[attr-defined]
    _, expected = sign_api(path, query, "KEY", SECRET)
    assert recorded_request.headers["authorization"] == expected  # type: ignore[attr-defined]
    assert query["format"] == "json"


async def test_incoming_call_from_signed_posts_to_journal_with_recording(
        zd_relay: Relay, fake_pbx: FakePbx) -> None:
    """START is answered with the contact's name and the responsible's extension;
    INTERNAL/ANSWER/END drive ext 101's window; RECORD fetches a signed recording link
    from the API and attaches it to the journal entry; ext 102 sees nothing."""
    token = zd_relay.add_user("Иванов", "101")
    other = zd_relay.add_user("Петров", "102")
    fake_pbx.reply("/v1/pbx/record/request/", 200, {"status": "success", "link": LINK})
    async with httpx.AsyncClient(base_url=zd_relay.url, timeout=10) as http:
        created = await http.post("/api/v1/contacts", headers=auth(token), json={
            "name": "ООО Ромашка", "phones": ["+7 903 111-22-33"], "responsible_ext": "101"})
        assert created.status_code == 201
        async with ws_client(zd_relay, token) as desk, ws_client(zd_relay, other) as them:
            await desk.frame()
            await them.frame()
            replies = []
            for form, headers in recorded("incoming-answered"):
                reply = await http.post("/hooks/zadarma", content=urlencode(form),
                                        headers={**FORM, **headers})
                assert reply.status_code == 200, reply.text
                replies.append(reply)
            assert replies[0].json() == {"caller_name": "ООО Ромашка", "redirect": "101"}
            frames = await desk.frames(5)
            assert [f["type"] for f in frames] == ["call", "call", "call", "journal",
                                                   "journal"]
            assert [f["call"]["state"] for f in frames[:3]] == ["ringing", "answered", "ended"]
            call = frames[0]["call"]
            assert (call["phone"], call["ext"], call["line"], call["direction"]) == (
                "+79031112233", "101", "74951234567", "in")
            assert call["contact"]["name"] == "ООО Ромашка"
            entry, with_record = frames[3]["entry"], frames[4]["entry"]
            assert (entry["status"], entry["duration"], entry["recording_url"]) == (
                "answered", 73, "")
            assert with_record["id"] == entry["id"]
            assert with_record["recording_url"] == LINK
            await them.nothing()
    (record_request,) = fake_pbx.requests
    assert record_request.path == "/v1/pbx/record/request/"
    assert record_request.query["call_id"] == "1763633700.998877"
    assert_signed(record_request, "/v1/pbx/record/request/")


async def test_outgoing_no_answer_and_a_missed_group_call(zd_relay: Relay) -> None:
    """OUT_START/OUT_END give an outgoing missed call; an END without `internal` ends
    every extension's ringing window of a group call as missed."""
    token = zd_relay.add_user("Иванов", "101")
    token_102 = zd_relay.add_user("Петров", "102")
    async with httpx.AsyncClient(base_url=zd_relay.url, timeout=10) as http, \
            ws_client(zd_relay, token) as desk, ws_client(zd_relay, token_102) as desk2:
        await desk.frame()
        await desk2.frame()
        for form, headers in recorded("outgoing-no-answer"):
            reply = await http.post("/hooks/zadarma", content=urlencode(form),
                                    headers={**FORM, **headers})
            assert reply.status_code == 200
        ring, ended, entry = await desk.frames(3)
        assert ring["call"]["direction"] == "out" and ended["call"]["state"] == "ended"
        assert entry["entry"]["status"] == "missed"

        _, internal, _, end, _ = recorded("incoming-answered")
        group = {**internal[0], "pbx_call_id": "in_group_1"}
        for ext in ("101", "102"):
            reply = await http.post("/hooks/zadarma", headers={**FORM, **internal[1]},
                                    content=urlencode({**group, "internal": ext}))
            assert reply.status_code == 200
        missed = {k: v for k, v in end[0].items() if k != "internal"}
        missed.update(pbx_call_id="in_group_1", disposition="cancel", duration="0")
        reply = await http.post("/hooks/zadarma", content=urlencode(missed),
                                headers={**FORM, **end[1]})
        assert reply.status_code == 200
        for device in (desk, desk2):
            ringing, over, journal = await device.frames(3)
            assert ringing["call"]["state"] == "ringing" and over["call"]["state"] == "ended"
            assert journal["entry"]["status"] == "missed"


async def test_click_to_call_is_signed_and_errors_reach_the_employee(
        zd_relay: Relay, fake_pbx: FakePbx) -> None:
    """POST /api/v1/calls makes one signed callback request from ext 101 to the number;
    Zadarma's error message comes back as a 502 with its text."""
    token = zd_relay.add_user("Иванов", "101")
    fake_pbx.reply("/v1/request/callback/", 200, {"status": "success", "from": 101,
                                                  "to": 79031112233, "time": 1})
    async with httpx.AsyncClient(base_url=zd_relay.url, timeout=10) as http:
        reply = await http.post("/api/v1/calls", headers=auth(token),
                                json={"phone": "8 903 111-22-33"})
        assert reply.status_code == 202, reply.text
        (request,) = fake_pbx.requests
        assert request.method == "GET" and request.path == "/v1/request/callback/"
        assert (request.query["from"], request.query["to"]) == ("101", "79031112233")
        assert_signed(request, "/v1/request/callback/")

        fake_pbx.reply("/v1/request/callback/", 401, {"status": "error",
                                                      "message": "Not authorized"})
        reply = await http.post("/api/v1/calls", headers=auth(token),
                                json={"phone": "89031112233"})
        assert reply.status_code == 502
        assert_provider_error(reply.json(), "Not authorized", "zadarma")


async def test_echo_and_bad_input_get_4xx_never_5xx(zd_relay: Relay) -> None:
    """zd_echo is echoed as plain text; bad signatures are 401; garbage, unknown events
    and missing fields are 400."""
    form, headers = recorded("incoming-answered")[1]
    async with httpx.AsyncClient(base_url=zd_relay.url, timeout=10) as http:
        echo = await http.get("/hooks/zadarma", params={"zd_echo": "5f3a9"})
        assert (echo.status_code, echo.text) == (200, "5f3a9")
        assert echo.headers["content-type"].startswith("text/plain")
        posted = await http.post("/hooks/zadarma", content="zd_echo=abc", headers=FORM)
        assert posted.text == "abc"
        cases = [
            (urlencode(form), {**FORM, "Signature": "AAAA"}, 401),
            (urlencode(form), FORM, 401),
            (urlencode({**form, "caller_id": "1"}), {**FORM, **headers}, 401),
            (urlencode({k: v for k, v in form.items() if k != "call_start"}),
             {**FORM, **headers}, 400),
            ("\x00\xff garbage", FORM, 400),
            ('{"event": ["NOTIFY_START"]}', {"Content-Type": "application/json"}, 400),
            (urlencode({"event": "NOTIFY_NOPE"}), FORM, 400),
            ("--x\r\nbroken", {"Content-Type": "multipart/form-data; boundary=x"}, 400),
            ("", {"Content-Type": "multipart/form-data"}, 400),
        ]
        for body, hdrs, status in cases:
            reply = await http.post("/hooks/zadarma", content=body, headers=hdrs)
            assert reply.status_code == status, (body, reply.text)
        assert (await http.get("/hooks/zadarma")).status_code == 400


async def test_simulator_plays_every_scenario_signed(zd_relay: Relay) -> None:
    """`simulate --provider zadarma` signs each NOTIFY_* with the API secret and the relay
    accepts every post; smart transfer is a NOTIFY_START answered with a redirect."""
    token = zd_relay.add_user("Иванов", "100")
    async with httpx.AsyncClient(base_url=zd_relay.url, timeout=10) as http:
        await http.post("/api/v1/contacts", headers=auth(token), json={
            "name": "ООО Ромашка", "phones": ["89991234567"], "responsible_ext": "100"})
    async with ws_client(zd_relay, token) as desk:
        await desk.frame()
        for n, (scenario, count) in enumerate((
                ("incoming-answered", 4), ("incoming-missed", 3), ("outgoing-answered", 4),
                ("outgoing-missed", 3))):
            # back to back, within a second: each call from its own number, as two real
            # calls would have to be to carry different signatures
            out = zd_relay.cli("simulate", "--relay", zd_relay.url, "--provider", "zadarma",
                               "--pause", "0", "--phone", f"8999123450{n}", scenario)
            assert "→ 401" not in out and "→ 400" not in out, out
            frames = await desk.frames(count)
            assert frames[-1]["type"] == "journal"
            assert frames[-1]["entry"]["status"] == ("missed" if "missed" in scenario
                                                     else "answered")
        out = zd_relay.cli("simulate", "--relay", zd_relay.url, "--provider", "zadarma",
                           "--pause", "0", "smart-transfer")
        assert '"redirect": "100"' in out or '"redirect":"100"' in out
