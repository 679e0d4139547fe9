"""Mobilon: the SOAP 1.1 "1C web service" (SayName, IncomingCall, WSDL, faults, Basic
auth) and CallToSubscriber's results (providers.md §5)."""

from __future__ import annotations

import base64
from xml.etree import ElementTree as ET

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import DATA
from trubka.core.errors import InvalidParameters, InvalidToken, NotConfigured, ProviderError
from trubka.core.model import Direction, EventKind
from trubka.core.numbers import normalize
from trubka.providers.base import LookupAnswer, PbxUser, WebhookRequest
from trubka.providers.mobilon import BadEnvelope, Mobilon, say_name_document, wsdl

SETTINGS = {"soap_user": "vats", "soap_password": "pa:ss", "api_url": "https://mob.test"}
BASIC = "Basic " + base64.b64encode(b"vats:pa:ss").decode()
SOAP = "{http://schemas.xmlsoap.org/soap/envelope/}"


def soap(body: bytes | str, authorization: str | None = BASIC, method: str = "POST",
         query: dict[str, str] | None = None) -> WebhookRequest:
    headers = {"content-type": "text/xml; charset=utf-8", "host": "relay.example.ru"}
    if authorization is not None:
        headers["authorization"] = authorization
    raw = body.encode() if isinstance(body, str) else body
    return WebhookRequest(method, "/hooks/mobilon", query or {}, headers, raw)


def fixture(name: str) -> bytes:
    return (DATA / "mobilon" / name).read_bytes()


@pytest.fixture
def mobilon() -> Mobilon:
    return Mobilon(SETTINGS, None)  # type: ignore[arg-type]  # parsing needs no HTTP


def returned(reply_body: bytes) -> str:
    root = ET.fromstring(reply_body)
    (value,) = [e for e in root.iter() if e.tag == "{http://VATS}return"]
    return value.text or ""


def test_say_name_asks_the_address_book_and_answers_the_data_document(
        mobilon: Mobilon) -> None:
    """SayName(Number) is a lookup; the reply carries the <data> document as an escaped
    string: title = contact name, manager/phone = responsible extension."""
    parsed = mobilon.parse_webhook(soap(fixture("SayName-request.xml")))
    assert parsed.events == [] and parsed.lookup is not None
    assert parsed.lookup.phone_raw == "89235292926"
    reply = mobilon.render_reply(parsed, LookupAnswer("Фэйковый чиж", "244"))
    assert reply.status == 200 and reply.content_type.startswith("text/xml")
    assert b"&lt;data&gt;" in reply.body  # a string, not nested XML
    data = ET.fromstring(returned(reply.body))
    expected = ET.fromstring(fixture("SayName-response-return.xml"))
    assert [(e.tag, (e.text or "").strip()) for e in data.iter()] == [
        (e.tag, (e.text or "").strip()) for e in expected.iter()]


def test_say_name_for_an_unknown_number_returns_an_empty_string(mobilon: Mobilon) -> None:
    """No contact: an empty return (no name on the handset, no routing); a contact
    without a responsible gets an empty manager phone; names are escaped."""
    parsed = mobilon.parse_webhook(soap(fixture("SayName-request.xml")))
    assert returned(mobilon.render_reply(parsed, LookupAnswer()).body) == ""
    assert say_name_document(LookupAnswer("A & <B>", "")) == (
        "<data><title>A &amp; &lt;B&gt;</title><category>0</category>"
        "<manager><phone></phone></manager></data>")


def test_incoming_call_rings_the_user_with_that_key_and_returns_one(mobilon: Mobilon) -> None:
    """IncomingCall(NumFrom, Key) is a ringing incoming call for pbx user Key; the reply
    is 1; the call is named by key and number with a 30 s same-call window, which the
    relay resolves to one call id (tests/relay/test_sightings.py)."""
    first = mobilon.parse_webhook(soap(fixture("IncomingCall-request.xml")))
    (ring,) = first.events
    assert (ring.kind, ring.direction, ring.user, ring.phone_raw) == (
        EventKind.RINGING, Direction.IN, "gW3cyUJAtl50PhF", "89235292926")
    assert (ring.provider_call_id, ring.same_call_within) == (
        "gW3cyUJAtl50PhF:89235292926", 30)
    assert returned(mobilon.render_reply(first, None).body) == "1"


def test_prefixed_namespaces_are_accepted(mobilon: Mobilon) -> None:
    """A client that prefixes the VATS namespace (as 1C's own does) is understood."""
    body = ('<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Header/>'
            '<s:Body><v:IncomingCall xmlns:v="http://VATS"><v:NumFrom>+79031112233'
            '</v:NumFrom><v:Key>k1</v:Key></v:IncomingCall></s:Body></s:Envelope>')
    (ring,) = mobilon.parse_webhook(soap(body)).events
    assert (ring.user, ring.phone_raw) == ("k1", "+79031112233")


@pytest.mark.parametrize("authorization", [
    None, "", "Basic", "Basic !!!", "Bearer x", "Basic " + base64.b64encode(b"vats:x").decode(),
    "Basic " + base64.b64encode(b"other:pa:ss").decode()])
def test_wrong_basic_auth_is_a_401_soap_fault(mobilon: Mobilon,
                                              authorization: str | None) -> None:
    """Without the configured user and password the request is refused; the refusal is
    a SOAP fault with status 401."""
    with pytest.raises(InvalidToken) as info:
        mobilon.parse_webhook(soap(fixture("IncomingCall-request.xml"), authorization))
    reply = mobilon.render_error(info.value)
    assert reply is not None and reply.status == 401
    assert ET.fromstring(reply.body).find(f"{SOAP}Body/{SOAP}Fault/faultcode").text == \
        "soap:Client"


def test_unconfigured_credentials_refuse_everything() -> None:
    """With no soap user/password set, no request passes."""
    with pytest.raises(InvalidToken):
        Mobilon({}, None).parse_webhook(  # type: ignore[arg-type]
            soap(fixture("IncomingCall-request.xml"), "Basic Og=="))


@pytest.mark.parametrize(("body", "status"), [
    (b"", 400), (b"not xml", 400), (b"<Envelope/>", 400), (b"<a><Body/></a>", 400),
    (b'<!DOCTYPE x [<!ENTITY e "x">]><Envelope><Body>&e;</Body></Envelope>', 400),
    (b"<Envelope><Body/></Envelope>", 500),
    (b"<Envelope><Body><Delete/></Body></Envelope>", 500),
    (b"<Envelope><Body><SayName/></Body></Envelope>", 500),
    (b"<Envelope><Body><IncomingCall><NumFrom>1</NumFrom></IncomingCall></Body></Envelope>",
     500),
    (b"<Envelope><Body><SayName><Number>" + b"1" * 100 + b"</Number></SayName></Body>"
     b"</Envelope>", 500),
])
def test_malformed_soap_gets_a_fault_with_the_soap_status(
        mobilon: Mobilon, body: bytes, status: int) -> None:
    """Not a SOAP message: 400 (WS-I BP R1113); a well-formed envelope the service cannot
    act on: 500 with a soap:Client fault (SOAP 1.1 §6.2). Never anything else."""
    with pytest.raises(InvalidParameters) as info:
        mobilon.parse_webhook(soap(body))
    assert isinstance(info.value, BadEnvelope) == (status == 400)
    reply = mobilon.render_error(info.value)
    assert reply is not None and reply.status == status
    fault = ET.fromstring(reply.body).find(f"{SOAP}Body/{SOAP}Fault")
    assert fault is not None and fault.find("faultcode").text == "soap:Client"


def test_wsdl_is_served_on_get_and_describes_both_operations(mobilon: Mobilon) -> None:
    """GET ?wsdl answers a WSDL naming SayName and IncomingCall at the relay's address."""
    parsed = mobilon.parse_webhook(soap(b"", None, "GET", {"wsdl": ""}))
    reply = mobilon.render_reply(parsed, None)
    root = ET.fromstring(reply.body)
    ns = "{http://schemas.xmlsoap.org/wsdl/}"
    assert {op.get("name") for op in root.iter(f"{ns}operation")} == {"SayName",
                                                                       "IncomingCall"}
    address = next(root.iter("{http://schemas.xmlsoap.org/wsdl/soap/}address"))
    assert address.get("location") == "http://relay.example.ru/hooks/mobilon"
    assert ET.fromstring(wsdl('http://x/"q"')) is not None


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.binary(max_size=300), st.lists(st.sampled_from([
    "<Envelope>", "</Envelope>", "<Body>", "</Body>", "<SayName>", "</SayName>",
    "<IncomingCall>", "</IncomingCall>", "<Number>", "</Number>", "<NumFrom>", "</NumFrom>",
    "<Key>", "</Key>", "8923", "&lt;", "<!-- c -->", "<?pi x?>", "\x00"]),
    max_size=20).map(lambda parts: "".join(parts).encode())))
def test_random_bodies_parse_or_get_a_fault(body: bytes) -> None:
    """Random bodies parse or raise InvalidParameters, always rendered as a SOAP fault."""
    m = Mobilon(SETTINGS, None)  # type: ignore[arg-type]
    try:
        m.parse_webhook(soap(body))
    except InvalidParameters as exc:
        reply = m.render_error(exc)
        assert reply is not None and reply.status in (400, 500)


@pytest.mark.parametrize(("code", "text"), [
    ("1", "оператор не зарегистрирован"), ("2", "неверный ключ API"),
    ("3", "недопустимые символы"), ("4", "внутренняя ошибка"), ("5", "нет абонента"),
])
async def test_call_to_subscriber_failures_become_readable_errors(code: str, text: str) -> None:
    """CallToSubscriber's FAIL codes 1–5 reach the employee as readable sentences."""
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"result": "FAIL", "description": "x", "code": code})

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
        with pytest.raises(ProviderError, match=text):
            await Mobilon(SETTINGS, http).make_call(PbxUser("101", "KEY"),
                                                    normalize("89031112233"))


async def test_call_to_subscriber_success_and_missing_key() -> None:
    """Success returns Mobilon's callid after one GET with key and outboundNumber; an
    employee without a Mobilon key is told to set one, with no request made."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"result": "SUCCESS", "code": 0,
                                         "description": "Call had been initialised",
                                         "callid": "1476087194.216329"})

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
        m = Mobilon(SETTINGS, http)
        result = await m.make_call(PbxUser("101", "KEY"), normalize("+7 903 111-22-33"))
        with pytest.raises(NotConfigured):
            await m.make_call(PbxUser("101"), normalize("89031112233"))
    assert result.provider_call_id == "1476087194.216329"
    (request,) = seen
    assert request.url.path == "/api/call/CallToSubscriber"
    assert dict(request.url.params) == {"key": "KEY", "outboundNumber": "79031112233"}
