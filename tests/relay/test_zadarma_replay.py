"""Issue 10 item 9, the relay's half: a captured Zadarma signature replayed with other
unsigned fields is refused (401, nothing written), an exact retry is accepted once,
and a stale call_start is a 400 (docs/providers/zadarma.md says what is protected)."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlencode

import httpx
import pytest

from tests.conftest import Relay, ws_client
from tests.fakes.pbx import FakePbx
from trubka.providers.zadarma import SIGNED_FIELDS, signature_forms

SECRET = "replay-e2e-secret"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
TOKEN_REFUSED = (401, {"error": "Invalid token"})


@pytest.fixture
def zd(relay: Relay, fake_pbx: FakePbx) -> Relay:
    relay.cli("provider", "set", "zadarma", "--api-key", "k", "--api-secret", SECRET,
              "--api-url", fake_pbx.url)
    return relay


def post(http: httpx.Client, fields: dict[str, str]) -> httpx.Response:
    message = "".join(fields[n] for n in SIGNED_FIELDS[fields["event"]])
    signature = signature_forms(SECRET, message)[0].decode()
    return http.post("/hooks/zadarma", content=urlencode(fields),
                     headers={**FORM, "Signature": signature})


def call(start: str, **changes: str) -> dict[str, str]:
    return {"event": "NOTIFY_INTERNAL", "call_start": start, "pbx_call_id": "in_1",
            "caller_id": "79031112233", "called_did": "74951234567", "internal": "101",
            **changes}


def reply_of(response: httpx.Response) -> tuple[int, object]:
    return response.status_code, response.json() if response.content else None


async def test_replays_with_other_fields_are_refused_and_retries_accepted(zd: Relay) -> None:
    """The ringing post retried: one call. Its signature with another pbx_call_id (a new
    call) or re-split between caller and line: 401, no call. The end retried: one
    journal entry; its signature with another disposition: 401, the entry unchanged."""
    token = zd.add_user("Иванов", "101")
    start = datetime.now().strftime("%Y-%m-%d %H:%M:%S")
    async with ws_client(zd, token) as desk:
        await desk.frame()
        with httpx.Client(base_url=zd.url, timeout=10) as http:
            assert post(http, call(start)).status_code == 200
            assert post(http, call(start)).status_code == 200  # the PBX's retry
            assert reply_of(post(http, call(start, pbx_call_id="in_2"))) == TOKEN_REFUSED
            moved = call(start, caller_id="7903111223", called_did="374951234567")
            assert reply_of(post(http, moved)) == TOKEN_REFUSED
            ended = call(start, event="NOTIFY_END", disposition="busy", duration="0")
            assert post(http, ended).status_code == 200
            assert post(http, ended).status_code == 200  # retried
            forged = {**ended, "disposition": "answered", "duration": "3600"}
            assert reply_of(post(http, forged)) == TOKEN_REFUSED
        frames = await desk.frames(3)
        assert [f["type"] for f in frames] == ["call", "call", "journal"]
        assert frames[2]["entry"]["status"] == "busy"
        await desk.nothing()
    assert zd.sql("select count(*) from calls") == [(1,)]
    assert zd.sql("select status, duration from journal") == [("busy", 0)]


def test_a_stale_call_start_is_400_and_writes_nothing(zd: Relay) -> None:
    """A validly signed ringing post whose call started a day and a half ago (older than
    any time zone can explain) is refused as invalid, not acted on."""
    zd.add_user("Иванов", "101")
    with httpx.Client(base_url=zd.url, timeout=10) as http:
        reply = post(http, call("2026-01-01 10:00:00"))
    assert reply_of(reply) == (400, {"error": "Invalid parameters"})
    assert zd.sql("select count(*) from calls") == [(0,)]
