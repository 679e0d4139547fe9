"""The crm_api cloud PBX end to end with its recorded form bodies (providers.md §3)."""

from __future__ import annotations

import httpx

from tests.conftest import DATA, Relay, ws_client
from tests.fakes.pbx import FakePbx
from trubka.relay.admin import users as admin_users

TOKEN = "76fsd7tfs-fhjdgfdjsfsk-hfgsdguuuwoeiwey1111"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def lines(name: str) -> list[bytes]:
    return [line.encode() for line in (DATA / "crm-api" / name).read_text().splitlines()
            if line.strip()]


def configure(relay: Relay, fake: FakePbx) -> None:
    relay.cli("provider", "set", "crm-api", "--webhook-token", TOKEN, "--api-token", "k",
              "--api-url", fake.url + "/sys/crm_api.wcgp")


async def test_recorded_incoming_call(relay: Relay, fake_pbx: FakePbx) -> None:
    """contact → INCOMING → ACCEPTED → COMPLETED → history, mapped by the PBX login."""
    configure(relay, fake_pbx)
    token = relay.add_user("Петров Андрей", "708", pbx_user="andy")
    async with ws_client(relay, token) as c, httpx.AsyncClient(base_url=relay.url) as http:
        await c.frame()
        replies = [await http.post("/hooks/crm-api", content=b, headers=FORM)
                   for b in lines("incoming-answered.form")]
        assert [r.status_code for r in replies] == [200] * 5
        assert replies[0].json() == {"contact_name": "", "responsible": ""}
        frames = await c.frames(5)
        assert [f["call"]["state"] for f in frames[:3]] == ["ringing", "answered", "ended"]
        assert frames[0]["call"]["phone"] == "+79101234567"
        assert frames[0]["call"]["line"] == "74951234567"
        # COMPLETED journals what the relay saw; the history refines the same entry
        inferred, entry = frames[3]["entry"], frames[4]["entry"]
        assert inferred["id"] == entry["id"] and inferred["status"] == "answered"
        assert (entry["status"], entry["duration"], entry["started_at"]) == (
            "answered", 124, "2017-07-03T12:11:10Z")
        assert entry["recording_url"] == "https://example.invalid/file.mp3"
        await c.nothing()


async def test_group_call_answered_by_a_colleague(relay: Relay, fake_pbx: FakePbx) -> None:
    """Two employees ring; andy answers; mike's window is told and closes; CANCELLED
    afterwards changes nothing and mike gets no journal entry."""
    configure(relay, fake_pbx)
    andy = relay.add_user("Петров Андрей", "708", pbx_user="andy")
    mike = relay.add_user("Семенов Михаил", "702", pbx_user="mike")
    base = "phone=79101234567&direction=in&callid=GRP-1&crm_token=" + TOKEN
    async with ws_client(relay, andy) as a, ws_client(relay, mike) as m, \
            httpx.AsyncClient(base_url=relay.url) as http:
        await a.frame()
        await m.frame()
        for body in (f"cmd=event&type=INCOMING&user=andy&ext=708&{base}",
                     f"cmd=event&type=INCOMING&user=mike&ext=702&{base}",
                     f"cmd=event&type=ACCEPTED&user=andy&ext=708&{base}",
                     lines("group-call-cancelled.form")[1].decode()):
            assert (await http.post("/hooks/crm-api", content=body, headers=FORM)).is_success
        ringing, elsewhere = await m.frames(2)
        assert ringing["call"]["state"] == "ringing"
        assert elsewhere["call"]["state"] == "answered_elsewhere"
        assert elsewhere["call"]["answered_by"] == "Петров Андрей (708)"
        await m.nothing()
        assert [f["call"]["state"] for f in await a.frames(2)] == ["ringing", "answered"]


async def test_a_renamed_employee_is_named_by_the_very_next_call(
    relay: Relay, fake_pbx: FakePbx
) -> None:
    """The relay keeps employees by extension between webhooks (relay/registry.py); a
    change made meanwhile, in another process, is what the next call shows."""
    configure(relay, fake_pbx)
    andy = relay.add_user("Петров Андрей", "708", pbx_user="andy")
    mike = relay.add_user("Семенов Михаил", "702", pbx_user="mike")

    def group_call(callid: str) -> list[str]:
        base = f"phone=79101234567&direction=in&callid={callid}&crm_token=" + TOKEN
        return [f"cmd=event&type=INCOMING&user=andy&ext=708&{base}",
                f"cmd=event&type=INCOMING&user=mike&ext=702&{base}",
                f"cmd=event&type=ACCEPTED&user=andy&ext=708&{base}"]

    async with ws_client(relay, andy) as a, ws_client(relay, mike) as m, \
            httpx.AsyncClient(base_url=relay.url) as http:
        await a.frame()
        await m.frame()
        for callid, name in (("GRP-1", "Петров Андрей"), ("GRP-2", "Петров Андрей Ильич")):
            if callid == "GRP-2":
                relay.admin(lambda adm, n=name: admin_users.update(adm, "708", name=n))
            for body in group_call(callid):
                assert (await http.post("/hooks/crm-api", content=body,
                                        headers=FORM)).is_success
            ringing, elsewhere = await m.frames(2)
            assert ringing["call"]["state"] == "ringing"
            assert elsewhere["call"]["answered_by"] == f"{name} (708)"
            await a.frames(2)


async def test_accounts_map_logins_to_users(relay: Relay, fake_pbx: FakePbx) -> None:
    """`users sync` asks the PBX for accounts and records each login on the user."""
    configure(relay, fake_pbx)
    relay.add_user("Петров Андрей", "708")
    fake_pbx.reply("/sys/crm_api.wcgp", 200, (DATA / "crm-api" /
                                              "accounts-response.json").read_bytes())
    out = relay.cli("users", "sync", "--provider", "crm-api")
    assert "andy → ext 708" in out and "no relay user" in out
    assert fake_pbx.requests[-1].form() == {"cmd": "accounts", "token": "k"}
    assert "andy" in relay.cli("users", "list")
