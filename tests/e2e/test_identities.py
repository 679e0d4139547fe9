"""Issue 10 item 12 (regression): PBX identities are kept per provider, so Beeline's
abonent sync, linking an employee to their Beeline abonent, leaves the Mobilon key they
were given with `--pbx-user` — one no Mobilon sync ever recorded — working for Mobilon's
calls in and out."""

from __future__ import annotations

import json

import httpx

from tests import fuzzing
from tests.conftest import DATA, Relay, auth, ws_client
from tests.e2e.test_beeline import ABONENT, readyz_status
from tests.fakes.pbx import FakePbx

MOBILON_KEY = "mobilon-key-of-200"


async def test_beeline_sync_keeps_a_mobilon_key_that_has_no_identity_yet(
        relay: Relay, fake_pbx: FakePbx) -> None:
    """Ext 200 has only `--pbx-user` (its Mobilon key). Beeline syncs its abonents and
    links ext 200 to its abonent; Mobilon's IncomingCall with the key still rings ext
    200, and a call placed through Mobilon still sends that key."""
    abonents = json.loads((DATA / "beeline" / "abonents-response.json").read_bytes())
    fake_pbx.reply("/apis/portal/abonents", 200, abonents)
    fake_pbx.reply("/apis/portal/subscription", 200, {"subscriptionId": "s", "expires": 3600})
    fake_pbx.reply("/api/call/CallToSubscriber", 200, {"result": "SUCCESS", "callid": "1.2"})
    token = relay.add_user("Петров", "200", MOBILON_KEY)
    relay.cli("provider", "set", "mobilon", "--soap-user", fuzzing.SOAP_USER,
              "--soap-password", fuzzing.SOAP_PASSWORD, "--api-url", fake_pbx.url)
    relay.cli("provider", "set", "beeline", "--api-token", "T", "--api-url",
              fake_pbx.url + "/apis/portal", "--public-url", "https://relay.example.invalid",
              "--webhook-secret", "s3cret")
    async with httpx.AsyncClient(base_url=relay.url, timeout=10) as http:
        status = await readyz_status(http, "subscribed", 1, fake_pbx)
        assert status["linked_users"] == 1
        listed = relay.cli("users", "list")
        assert ABONENT in listed and MOBILON_KEY in listed
        async with ws_client(relay, token) as desk:
            await desk.frame()
            hook = fuzzing.mobilon_hook(fuzzing.soap_envelope(
                "IncomingCall", {"NumFrom": "89031112233", "Key": MOBILON_KEY}))
            reply = await http.post(hook.path, content=hook.body, headers=hook.headers)
            assert reply.status_code == 200
            assert (await desk.frame())["call"]["ext"] == "200"
        relay.cli("settings", "set", "outbound-provider", "mobilon")
        dialled = await http.post("/api/v1/calls", headers=auth(token),
                                  json={"phone": "89031112233"})
        assert dialled.status_code == 202, dialled.text
    (request,) = [r for r in fake_pbx.requests if r.path == "/api/call/CallToSubscriber"]
    assert request.query["key"] == MOBILON_KEY
