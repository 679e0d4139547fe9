"""Issue 10 item 16: a third-party SOAP client (zeep) reads the relay's WSDL and calls
SayName and IncomingCall over both bindings it describes, SOAP 1.1 and SOAP 1.2; every
answer and every fault comes back in the version asked."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree as ET

import httpx
import pytest
import requests
from zeep import Client
from zeep.exceptions import Fault
from zeep.transports import Transport

from tests.conftest import Relay, auth, ws_client
from tests.fakes.pbx import FakePbx
from trubka.providers.soap import SOAP11, SOAP12, fault_text
from trubka.relay.config import RelayConfig
from trubka.relay.server import RelayServer

KEY = "gW3cyUJAtl50PhF"
PORTS = {"1.1": "VATSSoap", "1.2": "VATSSoap12"}


@pytest.fixture
def mob_relay(tmp_path: Path, fake_pbx: FakePbx) -> Iterator[Relay]:
    data_dir = tmp_path / "relay"
    server = RelayServer(RelayConfig(data_dir=data_dir)).start()
    relay = Relay(server, data_dir)
    relay.cli("provider", "set", "mobilon", "--soap-user", "vats", "--soap-password",
              "secret-pw", "--api-url", fake_pbx.url)
    try:
        yield relay
    finally:
        server.stop()


def zeep_client(relay: Relay, password: str = "secret-pw") -> tuple[Client, requests.Session]:
    session = requests.Session()
    session.auth = ("vats", password)
    client = Client(relay.url + "/hooks/mobilon?wsdl", transport=Transport(session=session))
    return client, session


@pytest.mark.parametrize("version", ["1.1", "1.2"])
async def test_zeep_calls_both_operations_in_each_soap_version(
        mob_relay: Relay, version: str) -> None:
    """zeep, bound to the WSDL's SOAP `version` port, asks SayName (the contact's card
    as an XML string) and IncomingCall (1), and the employee's window rings."""
    token = mob_relay.add_user("Иванов", "244", KEY)
    async with httpx.AsyncClient(base_url=mob_relay.url) as http:
        assert (await http.post("/api/v1/contacts", headers=auth(token), json={
            "name": "ООО Ромашка", "phones": ["8 923 529-29-26"], "responsible_ext": "244"})
        ).status_code == 201
    client, session = zeep_client(mob_relay)
    try:
        service = client.bind("VATS", PORTS[version])
        async with ws_client(mob_relay, token) as desk:
            await desk.frame()
            card = ET.fromstring(service.SayName(Number="89235292926"))
            assert (card.findtext("title"), card.findtext("manager/phone")) == (
                "ООО Ромашка", "244")
            assert service.IncomingCall(NumFrom="89235292926", Key=KEY) == "1"
            frame = await desk.frame()
            assert frame["call"]["contact"]["name"] == "ООО Ромашка"
    finally:
        session.close()


@pytest.mark.parametrize("version", ["1.1", "1.2"])
def test_zeep_reads_faults_in_each_soap_version(mob_relay: Relay, version: str) -> None:
    """A wrong password is a fault zeep parses in the version it spoke (401)."""
    client, session = zeep_client(mob_relay, password="wrong")
    try:
        with pytest.raises(Fault) as fault:
            client.bind("VATS", PORTS[version]).IncomingCall(NumFrom="8923", Key=KEY)
        assert fault.value.message == "Unauthorized"
    finally:
        session.close()


@pytest.mark.parametrize(("version", "ctype"), [(SOAP11, "text/xml; charset=utf-8"),
                                                (SOAP12, "application/soap+xml")])
def test_each_reply_and_fault_is_in_the_version_asked(
        mob_relay: Relay, version: object, ctype: str) -> None:
    """Over raw HTTP: the envelope namespace and content type of an answer follow the
    request's; a request the service cannot act on is a sender fault (1.1: soap:Client
    with 500, 1.2: soap:Sender with 400); garbage is a 400 fault in the content type's
    version."""
    ns = version.envelope  # type: ignore[attr-defined]
    good = (f'<e:Envelope xmlns:e="{ns}"><e:Body><IncomingCall xmlns="http://VATS">'
            f'<NumFrom>8923</NumFrom><Key>{KEY}</Key></IncomingCall></e:Body></e:Envelope>')
    headers = {"Content-Type": ctype,
               "Authorization": "Basic " + base64.b64encode(b"vats:secret-pw").decode()}
    with httpx.Client(base_url=mob_relay.url) as http:
        ok = http.post("/hooks/mobilon", content=good, headers=headers)
        assert ok.status_code == 200 and ok.headers["content-type"] == version.content_type  # type: ignore[attr-defined]
        assert ET.fromstring(ok.content).tag == f"{{{ns}}}Envelope"
        bad = http.post("/hooks/mobilon", content=good.replace("IncomingCall", "Drop"),
                        headers=headers)
        assert bad.status_code == version.sender_status  # type: ignore[attr-defined]
        assert ET.fromstring(bad.content).tag == f"{{{ns}}}Envelope"
        assert fault_text(bad.content)[0] == version.sender  # type: ignore[attr-defined]
        garbage = http.post("/hooks/mobilon", content=b"not xml", headers=headers)
        assert garbage.status_code == 400
        assert ET.fromstring(garbage.content).tag == f"{{{ns}}}Envelope"
