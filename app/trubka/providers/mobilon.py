"""Mobilon virtual PBX: the "1C web service" it calls over SOAP (providers.md §5).

Inbound: `SayName(Number)` asks who calls (the answer is an XML document inside a
string: caller name on the handsets, responsible manager's extension for routing);
`IncomingCall(NumFrom, Key)` asks to show the caller's card to the abonent whose key is
`Key` (a relay user's `--pbx-user`). Namespace `http://VATS`, HTTP Basic auth. Mobilon's
docs show SOAP 1.1; a SOAP 1.2 request is answered in SOAP 1.2 (providers/soap.py), and
the WSDL describes both bindings. Mobilon reports neither answer nor end, so its calls
are ended by the relay after `ring_timeout` seconds and leave no journal entry (see
docs/providers/mobilon.md).
Outbound: `GET {api_url}/api/call/CallToSubscriber?key=&outboundNumber=`.
"""

from __future__ import annotations

import base64
import binascii
import hmac
from typing import Any
from xml.sax.saxutils import escape

from trubka.core.errors import (
    InvalidParameters,
    InvalidToken,
    NotConfigured,
    ProviderError,
    TrubkaError,
)
from trubka.core.model import CallEvent, Direction, EventKind
from trubka.core.numbers import Number
from trubka.providers import soap, xml
from trubka.providers.base import (
    DialResult,
    Lookup,
    LookupAnswer,
    Option,
    PbxUser,
    Provider,
    Reply,
    Webhook,
    WebhookRequest,
)
from trubka.providers.sim import CallSpec, SimRequest, Step
from trubka.providers.spec import DemoSetup, ProviderSpec

NS = "http://VATS"
OPERATIONS = {"SayName": ("Number",), "IncomingCall": ("NumFrom", "Key")}
DEFAULT_API_URL = "https://connect.mobilon.ru"
CONTENT_TYPE = soap.SOAP11.content_type
# IncomingCall carries no call id: posts for one caller and key less than this many
# seconds after the previous one are one call (a retried or repeated post does not pop
# a second window). The relay keeps the sightings (CallEvent.same_call_within).
SAME_CALL_WINDOW = 30

# CallToSubscriber's FAIL codes (providers.md §5), as the employee reads them.
FAIL_CODES = {
    "1": "оператор не зарегистрирован в Mobilon",
    "2": "неверный ключ API (проверьте ключ сотрудника, --pbx-user)",
    "3": "в номере недопустимые символы",
    "4": "внутренняя ошибка Mobilon",
    "5": "у сотрудника нет абонента или оператора в Mobilon",
}


class BadEnvelope(InvalidParameters):
    """Not a SOAP message at all: HTTP 400 (WS-I Basic Profile R1113)."""


class Mobilon(Provider):
    name = "mobilon"
    journal_on_expiry = False
    options = (
        Option("soap_user", "the Basic auth user Mobilon sends (its 1C integration "
               "settings)"),
        Option("soap_password", "the Basic auth password Mobilon sends", secret=True),
        Option("api_url", "the click-to-call API base", default=DEFAULT_API_URL),
        Option("ring_timeout", "seconds after which a call window from IncomingCall is "
               "closed (Mobilon sends no end)", default="120"),
    )

    # -- inbound ---------------------------------------------------------------------
    def parse_webhook(self, request: WebhookRequest) -> Webhook:
        if request.method == "GET" and "wsdl" in {k.lower() for k in request.query}:
            return Webhook(context={"wsdl": _location(request)})
        self._check_auth(request.headers.get("authorization", ""))
        if request.method != "POST":
            raise BadEnvelope("POST only (GET ?wsdl for the WSDL)")
        try:
            root = xml.parse(request.body)
        except InvalidParameters as exc:
            raise BadEnvelope(exc.detail) from exc
        body = xml.child(root, "Body")
        if xml.local(root.tag) != "Envelope" or body is None:
            raise BadEnvelope("not a SOAP envelope")
        context = {"soap": soap.asked(request, root).name}
        operation = next((item for item in body if xml.local(item.tag)), None)
        name = xml.local(operation.tag) if operation is not None else ""
        if name == "SayName":
            return Webhook(lookup=Lookup(_param(operation, "Number")),
                           context={**context, "operation": name})
        if name == "IncomingCall":
            phone, key = _param(operation, "NumFrom"), _param(operation, "Key")
            # The caller and the callee are the call's key; which call it is (a repeat
            # of the last one or a new one) the relay decides from its sightings.
            event = CallEvent(self.name, f"{key}:{phone}", EventKind.RINGING,
                              direction=Direction.IN, user=key, phone_raw=phone,
                              same_call_within=SAME_CALL_WINDOW)
            return Webhook([event], context={**context, "operation": name})
        raise InvalidParameters(f"unknown operation {name[:40]!r}")

    def _check_auth(self, header: str) -> None:
        user, password = self.setting("soap_user"), self.setting("soap_password")
        if not user or not password:
            raise InvalidToken()
        scheme, _, encoded = header.partition(" ")
        try:
            given = base64.b64decode(encoded.strip(), validate=True)
        except (binascii.Error, ValueError) as exc:
            raise InvalidToken() from exc
        expected = f"{user}:{password}".encode()
        if scheme.lower() != "basic" or not hmac.compare_digest(given, expected):
            raise InvalidToken()

    def render_reply(self, webhook: Webhook, answer: LookupAnswer | None) -> Reply:
        if "wsdl" in webhook.context:
            return Reply(200, wsdl(str(webhook.context["wsdl"])).encode(), CONTENT_TYPE)
        version = soap.VERSIONS[str(webhook.context.get("soap", "1.1"))]
        if webhook.lookup is not None:
            return soap.response(version, NS, "SayName", say_name_document(answer))
        return soap.response(version, NS, "IncomingCall", "1")

    def render_error(self, error: TrubkaError,
                     request: WebhookRequest | None = None) -> Reply | None:
        version = soap.asked(request) if request is not None else soap.SOAP11
        if isinstance(error, InvalidToken):
            return soap.fault(version, "Unauthorized", 401)
        if isinstance(error, BadEnvelope):  # not a SOAP message: 400 (WS-I R1113)
            return soap.fault(version, error.detail, 400)
        if isinstance(error, InvalidParameters):
            # A well-formed envelope the service cannot act on: the sender's fault
            # (SOAP 1.1 §6.2: 500; SOAP 1.2: 400).
            return soap.fault(version, error.detail)
        return None

    def stale_after(self) -> int | None:
        try:
            return max(1, int(self.setting("ring_timeout")))
        except ValueError:
            return 120

    # -- outbound --------------------------------------------------------------------
    async def make_call(self, user: PbxUser, number: Number) -> DialResult:
        if not user.pbx_user:
            raise NotConfigured("mobilon: the employee has no Mobilon key "
                                "(users add --pbx-user KEY)")
        url = self.setting("api_url").rstrip("/") + "/api/call/CallToSubscriber"
        response = await self.request("GET", url, params={
            "key": user.pbx_user, "outboundNumber": number.digits})
        try:
            data: Any = response.json()
        except ValueError:
            data = None
        if not isinstance(data, dict):
            raise ProviderError(self.name, "непонятный ответ Mobilon")
        if str(data.get("result", "")).upper() == "SUCCESS":
            return DialResult(str(data.get("callid") or ""))
        code = str(data.get("code", "")).strip()
        text = FAIL_CODES.get(code) or str(data.get("description") or data.get("message")
                                            or "звонок не начат")
        raise ProviderError(self.name, f"{text} (код {code})" if code else text)


def _param(operation: Any, name: str) -> str:
    value = xml.text(operation, name)
    if not value:
        raise InvalidParameters(f"{name}: missing")
    if len(value) > 64:
        raise InvalidParameters(f"{name}: too long")
    return value


def _location(request: WebhookRequest) -> str:
    host = request.headers.get("x-forwarded-host") or request.headers.get("host", "localhost")
    scheme = request.headers.get("x-forwarded-proto", "http").split(",")[0].strip()
    return f"{scheme}://{host}{request.path}"


def say_name_document(answer: LookupAnswer | None) -> str:
    """SayName's answer: `<data>` with the name and the responsible's extension, or ""
    when the number is unknown (no name, no routing)."""
    if answer is None or not (answer.contact_name or answer.responsible):
        return ""
    return ("<data><title>" + escape(answer.contact_name) + "</title><category>0</category>"
            "<manager><phone>" + escape(answer.responsible) + "</phone></manager></data>")


def wsdl(location: str) -> str:
    """The service's WSDL: SayName and IncomingCall, SOAP 1.1 and 1.2 bindings."""
    return soap.wsdl("VATS", NS, OPERATIONS, location)


def _soap(operation: str, params: dict[str, str], token: str) -> SimRequest:
    inner = "".join(f"<{k}>{escape(v)}</{k}>" for k, v in params.items())
    body = ('<?xml version="1.0" encoding="utf-8"?><soap:Envelope '
            'xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>'
            f'<{operation} xmlns="http://VATS">{inner}</{operation}></soap:Body></soap:Envelope>')
    return SimRequest("POST", "/hooks/mobilon", {
        "Content-Type": "text/xml; charset=utf-8", "SOAPAction": f"http://VATS#VATS:{operation}",
        "Authorization": "Basic " + base64.b64encode(token.encode()).decode()}, body.encode())


def simulate(step: Step, call: CallSpec, token: str, now: float) -> list[SimRequest]:
    """SOAP SayName / IncomingCall (providers.md §5); Mobilon reports nothing else."""
    if step.kind == "lookup":
        return [_soap("SayName", {"Number": call.phone}, token)]
    if step.kind == "ring" and step.direction == "in":
        return [_soap("SayName", {"Number": call.phone}, token),
                _soap("IncomingCall", {"NumFrom": call.phone, "Key": call.user or call.ext},
                      token)]
    return []


def demo(api_url: str, relay_url: str) -> DemoSetup:
    secret = "demo-secret"
    return DemoSetup({"soap_user": "demo", "soap_password": secret, "api_url": api_url},
                     "demo:" + secret)


SPEC = ProviderSpec(Mobilon, titles={"ru": "Mobilon", "en": "Mobilon"}, simulate=simulate,
                    demo=demo, sim_token_options=("soap_user", "soap_password"), lookups=True)
