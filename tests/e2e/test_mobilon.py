"""Mobilon end to end: the recorded SOAP requests with Basic auth over real HTTP, the
card on the key's employee's socket, the window closed by the relay's ring timeout, and
CallToSubscriber against a fake Mobilon API."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree as ET

import httpx
import pytest

from tests.conftest import DATA, Relay, auth, ws_client
from tests.fakes.pbx import FakePbx
from trubka.relay.config import RelayConfig
from trubka.relay.server import RelayServer

KEY = "gW3cyUJAtl50PhF"
SOAP = {"Content-Type": "text/xml; charset=utf-8",
        "Authorization": "Basic " + base64.b64encode(b"vats:secret-pw").decode()}
ENV = "{http://schemas.xmlsoap.org/soap/envelope/}"


def body(name: str) -> bytes:
    return (DATA / "mobilon" / name).read_bytes()


def soap_return(reply: httpx.Response) -> str:
    (value,) = [e for e in ET.fromstring(reply.content).iter() if e.tag.endswith("return")]
    return value.text or ""


@pytest.fixture
def mob_relay(tmp_path: Path, fake_pbx: FakePbx) -> Iterator[Relay]:
    """A relay whose maintenance runs often, so Mobilon's 1 s ring timeout shows."""
    data_dir = tmp_path / "relay"
    server = RelayServer(RelayConfig(data_dir=data_dir, maintenance_interval=0.3)).start()
    relay = Relay(server, data_dir)
    relay.cli("provider", "set", "mobilon", "--soap-user", "vats", "--soap-password",
              "secret-pw", "--api-url", fake_pbx.url, "--ring-timeout", "1")
    try:
        yield relay
    finally:
        server.stop()


async def test_say_name_then_incoming_call_pops_the_card_until_the_timeout(
        mob_relay: Relay) -> None:
    """SayName answers the contact's name and responsible extension; IncomingCall rings
    the employee whose key it names (returns 1); with no end from Mobilon the relay ends
    the window after the ring timeout and writes no made-up journal entry."""
    token = mob_relay.add_user("Иванов", "244", KEY)
    other = mob_relay.add_user("Петров", "245", "another-key")
    async with httpx.AsyncClient(base_url=mob_relay.url, timeout=10) as http:
        created = await http.post("/api/v1/contacts", headers=auth(token), json={
            "name": "Фэйковый чиж", "phones": ["8 923 529-29-26"], "responsible_ext": "244"})
        assert created.status_code == 201
        async with ws_client(mob_relay, token) as desk, ws_client(mob_relay, other) as them:
            await desk.frame()
            await them.frame()
            said = await http.post("/hooks/mobilon", content=body("SayName-request.xml"),
                                   headers=SOAP)
            assert said.status_code == 200 and said.headers["content-type"].startswith(
                "text/xml")
            data = ET.fromstring(soap_return(said))
            assert (data.findtext("title"), data.findtext("manager/phone")) == (
                "Фэйковый чиж", "244")
            incoming = await http.post("/hooks/mobilon", headers=SOAP,
                                       content=body("IncomingCall-request.xml"))
            assert incoming.status_code == 200 and soap_return(incoming) == "1"
            ringing = await desk.frame()
            assert ringing["call"]["state"] == "ringing"
            assert ringing["call"]["contact"]["name"] == "Фэйковый чиж"
            assert ringing["call"]["phone"] == "+79235292926"
            ended = await desk.frame(timeout=5)
            assert ended["call"]["state"] == "ended"
            await desk.nothing(0.8)
            await them.nothing()
        journal = await http.get("/api/v1/calls", headers=auth(token))
        assert journal.json() == []


async def test_auth_wsdl_and_malformed_soap(mob_relay: Relay) -> None:
    """Wrong credentials: 401 SOAP fault; ?wsdl: the WSDL; not SOAP: 400 fault; an
    envelope with an unknown operation: 500 soap:Client fault, as SOAP 1.1 requires."""
    async with httpx.AsyncClient(base_url=mob_relay.url, timeout=10) as http:
        for header in ({}, {"Authorization": "Basic " + base64.b64encode(b"vats:x").decode()},
                       {"Authorization": "Basic ???"}):
            reply = await http.post("/hooks/mobilon", content=body("SayName-request.xml"),
                                    headers={"Content-Type": "text/xml", **header})
            assert reply.status_code == 401
            assert ET.fromstring(reply.content).find(f"{ENV}Body/{ENV}Fault") is not None
        definition = await http.get("/hooks/mobilon?wsdl")
        assert definition.status_code == 200 and b"IncomingCall" in definition.content
        for bad, status in ((b"garbage", 400), (b"", 400),
                            (b'<!DOCTYPE x [<!ENTITY e "x">]><a>&e;</a>', 400),
                            (body("SayName-request.xml").replace(b"SayName", b"Drop"), 500),
                            (body("IncomingCall-request.xml").replace(b"<Key>", b"<Kee>")
                             .replace(b"</Key>", b"</Kee>"), 500)):
            reply = await http.post("/hooks/mobilon", content=bad, headers=SOAP)
            assert reply.status_code == status, bad
            fault = ET.fromstring(reply.content).find(f"{ENV}Body/{ENV}Fault")
            assert fault is not None and fault.findtext("faultcode") == "soap:Client"


async def test_click_to_call_and_its_readable_failures(mob_relay: Relay,
                                                       fake_pbx: FakePbx) -> None:
    """POST /api/v1/calls GETs CallToSubscriber with the employee's key; a FAIL code 2
    reply becomes a 502 whose text says the key is wrong."""
    token = mob_relay.add_user("Иванов", "244", KEY)
    path = "/api/call/CallToSubscriber"
    fake_pbx.reply(path, 200, {"result": "SUCCESS", "description": "Call had been initialised",
                               "code": 0, "callid": "1476087194.216329"})
    async with httpx.AsyncClient(base_url=mob_relay.url, timeout=10) as http:
        reply = await http.post("/api/v1/calls", headers=auth(token),
                                json={"phone": "8 (903) 111-22-33"})
        assert reply.status_code == 202
        assert reply.json()["provider_call_id"] == "1476087194.216329"
        (request,) = fake_pbx.requests
        assert request.query == {"key": KEY, "outboundNumber": "79031112233"}
        fake_pbx.reply(path, 200, {"result": "FAIL", "description": "bad key", "code": "2"})
        reply = await http.post("/api/v1/calls", headers=auth(token),
                                json={"phone": "89031112233"})
        assert reply.status_code == 502
        assert reply.json()["provider"] == "mobilon"
        assert "неверный ключ API" in reply.json()["error"]


async def test_simulator_plays_mobilon_format(mob_relay: Relay) -> None:
    """`simulate --provider mobilon` sends SayName + IncomingCall for an incoming call
    (accepted, card shown) and nothing for steps Mobilon never reports."""
    token = mob_relay.add_user("Иванов", "100")
    async with ws_client(mob_relay, token) as desk:
        await desk.frame()
        out = mob_relay.cli("simulate", "--relay", mob_relay.url, "--provider", "mobilon",
                            "--pause", "0", "incoming-answered")
        assert out.count("→ 200") == 2 and "secret-pw" not in out
        assert (await desk.frame())["call"]["state"] == "ringing"
        out = mob_relay.cli("simulate", "--relay", mob_relay.url, "--provider", "mobilon",
                            "--pause", "0", "outgoing-answered")
        assert "sends nothing" in out
