"""The simulator's formats for Zadarma, Beeline and Mobilon (see simulator.py).

Each renders one abstract step as the request(s) that PBX would send; a step the PBX
has no message for (Mobilon reports no answer or end, Beeline asks no lookup) renders
as nothing. `token` is the provider's secret, as `token_for` reads it from the config:
Zadarma's API secret (to sign), Beeline's path secret, Mobilon's `user:password`.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from datetime import datetime
from urllib.parse import urlencode
from xml.sax.saxutils import escape

from trubka.providers.zadarma import SIGNED_FIELDS, signature_forms
from trubka.relay import simulator
from trubka.relay.simulator import CallSpec, SimRequest, Step

# Which provider option is the simulator's token (joined with ":" when several).
TOKEN_OPTIONS: dict[str, tuple[str, ...]] = {
    "zadarma": ("api_secret",),
    "beeline": ("webhook_secret",),
    "mobilon": ("soap_user", "soap_password"),
}


def token_for(provider: str, config: Mapping[str, str]) -> str | None:
    """The secret `simulate --provider NAME` needs, from that provider's settings."""
    names = TOKEN_OPTIONS.get(provider, ("webhook_token",))
    values = [config.get(name, "") for name in names]
    return ":".join(values) if all(values) else None


def _zd_time(unix: float) -> str:
    return datetime.fromtimestamp(unix).strftime("%Y-%m-%d %H:%M:%S")


def _zd(fields: dict[str, str], secret: str) -> SimRequest:
    message = "".join(fields[name] for name in SIGNED_FIELDS[fields["event"]])
    signature = signature_forms(secret, message)[0].decode()
    return SimRequest("POST", "/hooks/zadarma", {
        "Content-Type": "application/x-www-form-urlencoded", "Signature": signature},
        urlencode(fields).encode())


def zadarma_format(step: Step, call: CallSpec, token: str, now: float) -> list[SimRequest]:
    """NOTIFY_* form posts, signed with the API secret (providers.md §1.1)."""
    start = _zd_time(step.started or now - step.duration)
    base = {"call_start": start, "pbx_call_id": "in_" + call.call_id if step.direction == "in"
            else "out_" + call.call_id}
    incoming = {**base, "caller_id": call.phone, "called_did": call.line}
    if step.kind == "lookup":
        return [_zd({"event": "NOTIFY_START", **incoming}, token)]
    if step.kind == "ring" and step.direction == "in":
        return [_zd({"event": "NOTIFY_START", **incoming}, token),
                _zd({"event": "NOTIFY_INTERNAL", **incoming, "internal": call.ext}, token)]
    if step.kind == "ring":
        return [_zd({"event": "NOTIFY_OUT_START", **base, "internal": call.ext,
                     "destination": call.phone}, token)]
    if step.kind == "answer":
        caller, dest = (call.phone, call.ext) if step.direction == "in" else (call.ext,
                                                                            call.phone)
        return [_zd({"event": "NOTIFY_ANSWER", **base, "caller_id": caller,
                     "destination": dest, "internal": call.ext}, token)]
    end = {"duration": str(step.duration), "status_code": "16",
           "disposition": "answered" if step.status == "success" else "no answer",
           "is_recorded": "0", "call_id_with_rec": "", "internal": call.ext}
    if step.direction == "in":
        return [_zd({"event": "NOTIFY_END", **incoming, **end}, token)]
    return [_zd({"event": "NOTIFY_OUT_END", **base, **end, "destination": call.phone,
                 "caller_id": call.line}, token)]


_XSI = ('<xsi:Event xmlns:xsi="http://schema.broadsoft.com/xsi" '
        'xmlns:xsi1="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi1:type="xsi:SubscriptionEvent">')


def beeline_format(step: Step, call: CallSpec, token: str, now: float) -> list[SimRequest]:
    """Xsi-Events XML posted to /hooks/beeline/<secret> (providers.md §2)."""
    if step.kind == "lookup":
        return []  # Beeline asks no caller lookup
    ms = int(now * 1000)
    started = int((step.started or now - step.duration - 2) * 1000)
    kind, state = {
        ("ring", "in"): ("CallReceivedEvent", "Alerting"),
        ("ring", "out"): ("CallOriginatedEvent", "Alerting"),
        ("answer", "in"): ("CallAnsweredEvent", "Active"),
        ("answer", "out"): ("CallAnsweredEvent", "Active"),
    }.get((step.kind, step.direction), ("CallReleasedEvent", "Released"))
    times = f"<xsi:startTime>{started}</xsi:startTime>"
    if step.kind == "answer":
        times += f"<xsi:answerTime>{ms}</xsi:answerTime>"
    if step.kind == "end":
        if step.status == "success":
            times += f"<xsi:answerTime>{ms - step.duration * 1000}</xsi:answerTime>"
        times += f"<xsi:releaseTime>{ms}</xsi:releaseTime>"
        times += "<xsi:releasingParty>remoteRelease</xsi:releasingParty>"
        if step.status != "success":
            times += "<xsi:internalReleaseCause>Temporarily Unavailable</xsi:" \
                     "internalReleaseCause>"
    personality = "Terminator" if step.direction == "in" else "Originator"
    body = (f'<?xml version="1.0" encoding="UTF-8"?>{_XSI}'
            f"<xsi:eventID>{kind}-{call.call_id}</xsi:eventID>"
            f"<xsi:targetId>{escape(call.user or call.ext)}</xsi:targetId>"
            f'<xsi:eventData xsi1:type="xsi:{kind}"><xsi:call>'
            f"<xsi:callId>callhalf-{call.call_id}:0</xsi:callId>"
            f"<xsi:extTrackingId>{call.call_id}:1</xsi:extTrackingId>"
            f"<xsi:personality>{personality}</xsi:personality><xsi:state>{state}</xsi:state>"
            f'<xsi:remoteParty><xsi:address countryCode="7">tel:{escape(call.phone)}'
            f"</xsi:address><xsi:callType>Network</xsi:callType></xsi:remoteParty>"
            f"{times}</xsi:call></xsi:eventData></xsi:Event>")
    return [SimRequest("POST", f"/hooks/beeline/{token}",
                       {"Content-Type": "application/xml; charset=UTF-8"}, body.encode())]


def _soap(operation: str, params: dict[str, str], token: str) -> SimRequest:
    inner = "".join(f"<{k}>{escape(v)}</{k}>" for k, v in params.items())
    body = ('<?xml version="1.0" encoding="utf-8"?><soap:Envelope '
            'xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>'
            f'<{operation} xmlns="http://VATS">{inner}</{operation}></soap:Body></soap:Envelope>')
    return SimRequest("POST", "/hooks/mobilon", {
        "Content-Type": "text/xml; charset=utf-8", "SOAPAction": f"http://VATS#VATS:{operation}",
        "Authorization": "Basic " + base64.b64encode(token.encode()).decode()}, body.encode())


def mobilon_format(step: Step, call: CallSpec, token: str, now: float) -> list[SimRequest]:
    """SOAP SayName / IncomingCall (providers.md §5); Mobilon reports nothing else."""
    if step.kind == "lookup":
        return [_soap("SayName", {"Number": call.phone}, token)]
    if step.kind == "ring" and step.direction == "in":
        return [_soap("SayName", {"Number": call.phone}, token),
                _soap("IncomingCall", {"NumFrom": call.phone, "Key": call.user or call.ext},
                      token)]
    return []


FORMATS = {"zadarma": zadarma_format, "beeline": beeline_format, "mobilon": mobilon_format}
simulator.FORMATS.update(FORMATS)


def demo_options(provider: str, api_url: str, public_url: str = "") -> tuple[list[str], str]:
    """`provider set NAME` arguments for a demo against a fake PBX at `api_url`, and the
    simulator token that goes with them (for `trubka demo --provider NAME`)."""
    secret = "demo-secret"
    if provider == "zadarma":
        return ["--api-key", "demo-key", "--api-secret", secret, "--api-url", api_url], secret
    if provider == "beeline":
        return ["--api-token", "demo-key", "--api-url", api_url, "--public-url",
                public_url or "http://127.0.0.1", "--webhook-secret", secret], secret
    if provider == "mobilon":
        return ["--soap-user", "demo", "--soap-password", secret, "--api-url", api_url], \
            "demo:" + secret
    raise KeyError(provider)
