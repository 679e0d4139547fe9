"""Webhooks of every provider, valid and hostile: the builders the bad-input tests, the
fuzzers (tests/relay/test_fuzz.py) and the long fuzz run (bench/fuzz.py) share.

`configure(cli, fake_url)` sets up all five providers with the credentials below (their
APIs pointed at a fake PBX on loopback); `valid(name, value)` is an authenticated webhook
of that provider that rings ext 100 with `value` as the caller's number; `bodies(name,
authentic)` is a hypothesis strategy of requests, hostile in every way a sender
controls (encodings, sizes, depths, number ranges), with or without valid credentials.
"""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode
from xml.sax.saxutils import escape

from hypothesis import strategies as st

from trubka.providers.zadarma import SIGNED_FIELDS, signature_forms

TOKEN = "fuzz-token-123"
ZD_SECRET = "fuzz-zadarma-secret"
BEE_SECRET = "fuzz-beeline-secret"
SOAP_USER, SOAP_PASSWORD = "vats", "fuzz-pw"
PROVIDERS = ("prostiezvonki", "crm-api", "zadarma", "beeline", "mobilon")


@dataclass(frozen=True)
class Hook:
    path: str
    headers: dict[str, str]
    body: bytes
    method: str = "POST"


def configure(cli: Callable[..., str], fake_url: str) -> None:
    """All five providers, each API on the fake PBX at `fake_url` (loopback)."""
    cli("provider", "set", "prostiezvonki", "--webhook-token", TOKEN, "--api-key", "k",
        "--api-url", fake_url + "/crmapi/v1/makecall")
    cli("provider", "set", "crm-api", "--webhook-token", TOKEN, "--api-token", "k",
        "--api-url", fake_url + "/sys/crm_api.wcgp")
    cli("provider", "set", "zadarma", "--api-key", "k", "--api-secret", ZD_SECRET,
        "--api-url", fake_url)
    cli("provider", "set", "beeline", "--api-token", "k", "--api-url", fake_url + "/apis/portal",
        "--public-url", "https://relay.example.invalid", "--webhook-secret", BEE_SECRET)
    cli("provider", "set", "mobilon", "--soap-user", SOAP_USER, "--soap-password",
        SOAP_PASSWORD, "--api-url", fake_url)


def prepare(cli: Callable[..., str], add_user: Callable[[str, str], str], fake: Any,
            throttle: bool = True) -> None:
    """A relay with all five providers (their APIs on the fake PBX `fake`), employee ext
    100, and — for fuzzing, which fails authentication on purpose — no throttling."""
    fake.reply("/apis/portal/abonents", 200, [])
    fake.reply("/apis/portal/subscription", 200, {"subscriptionId": "s", "expires": 3600})
    configure(cli, fake.url)
    if not throttle:
        cli("settings", "set", "auth-failure-limit", "0")
    add_user("Иванов", "100")


def _json(fields: dict[str, object]) -> bytes:
    return json.dumps(fields).encode()  # ensure_ascii: a lone surrogate is sent as \ud800


def zadarma_signed(fields: dict[str, str], authentic: bool = True,
                   as_json: bool = False) -> Hook:
    """A Zadarma post signed with the fuzz secret (or with a wrong signature)."""
    signed = SIGNED_FIELDS.get(str(fields.get("event")), ("caller_id",))
    message = "".join(str(fields.get(name, "")) for name in signed)
    try:
        signature = signature_forms(ZD_SECRET if authentic else "wrong", message)[0].decode()
    except UnicodeEncodeError:  # text no sender can sign: sent with a made-up signature
        signature = "bm90IGEgc2lnbmF0dXJl"
    if as_json:
        return Hook("/hooks/zadarma", {"Content-Type": "application/json",
                                       "Signature": signature}, _json(dict(fields)))
    body = urlencode(fields, encoding="utf-8", errors="surrogatepass").encode()
    return Hook("/hooks/zadarma", {"Content-Type": "application/x-www-form-urlencoded",
                                   "Signature": signature}, body)


def now_text() -> str:
    return datetime.now().strftime("%Y-%m-%d %H:%M:%S")


def beeline_xml(phone: str, call_id: str, encoding: str = "UTF-8") -> bytes:
    return (f'<?xml version="1.0" encoding="{encoding}"?><xsi:Event '
            'xmlns:xsi="http://schema.broadsoft.com/xsi"><xsi:targetId>100</xsi:targetId>'
            '<xsi:eventData xmlns:t="http://www.w3.org/2001/XMLSchema-instance" '
            't:type="xsi:CallReceivedEvent"><xsi:call>'
            f'<xsi:extTrackingId>{escape(call_id)}</xsi:extTrackingId>'
            '<xsi:personality>Terminator</xsi:personality><xsi:remoteParty><xsi:address>'
            f'tel:{escape(phone)}</xsi:address></xsi:remoteParty></xsi:call></xsi:eventData>'
            '</xsi:Event>').encode("utf-8", "surrogatepass")


def soap_envelope(operation: str, params: dict[str, str], version: str = "1.1",
                  encoding: str = "utf-8") -> bytes:
    ns = ("http://www.w3.org/2003/05/soap-envelope" if version == "1.2"
          else "http://schemas.xmlsoap.org/soap/envelope/")
    inner = "".join(f"<{k}>{escape(v)}</{k}>" for k, v in params.items())
    return (f'<?xml version="1.0" encoding="{encoding}"?><soap:Envelope xmlns:soap="{ns}">'
            f'<soap:Body><{operation} xmlns="http://VATS">{inner}</{operation}></soap:Body>'
            '</soap:Envelope>').encode("utf-8", "surrogatepass")


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def mobilon_hook(body: bytes, authentic: bool = True, version: str = "1.1") -> Hook:
    ctype = "application/soap+xml; charset=utf-8" if version == "1.2" else \
        "text/xml; charset=utf-8"
    return Hook("/hooks/mobilon", {"Content-Type": ctype, "Authorization": basic(
        SOAP_USER, SOAP_PASSWORD if authentic else "wrong")}, body)


def valid(name: str, phone: str, call_id: str | None = None) -> Hook:
    """An authenticated webhook of `name` ringing ext 100, `phone` calling."""
    call_id = call_id or uuid.uuid4().hex
    if name in ("prostiezvonki", "crm-api"):
        return Hook(f"/hooks/{name}", {"Content-Type": "application/json"}, _json({
            "cmd": "event", "type": "INCOMING", "direction": "in", "user": "100",
            "ext": "100", "phone": phone, "callid": call_id, "crm_token": TOKEN}))
    if name == "zadarma":
        return zadarma_signed({"event": "NOTIFY_INTERNAL", "call_start": now_text(),
                               "pbx_call_id": call_id, "caller_id": "79031112233",
                               "called_did": "74951234567", "internal": "100",
                               "calltype": phone}, as_json=True)
    if name == "beeline":
        return Hook(f"/hooks/beeline/{BEE_SECRET}", {"Content-Type": "application/xml"},
                    beeline_xml(phone, call_id))
    return mobilon_hook(soap_envelope("IncomingCall", {"NumFrom": phone, "Key": "100"}))


# -- hostile requests -----------------------------------------------------------------

texts = st.one_of(
    st.text(max_size=30),
    st.text(st.characters(codec=None, categories=["Cs", "Cc", "Zl", "Zp", "Cf"]), max_size=8),
    st.sampled_from(["\ud800", "\udfff", "\udc00\ud800", "a\x00b", "x\nINFO forged",
                     "\u202e", "=HYPERLINK(\"x\")", "0" * 3000]),
)
numbers = st.one_of(
    st.integers(), st.integers(min_value=2**63 - 2, max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=1, max_value=1200).map(lambda n: int("9" * n)),
)
scalars = st.one_of(st.none(), st.booleans(), numbers, texts)
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner, max_size=3)),
    max_leaves=6)
raw = st.one_of(
    st.binary(max_size=400),
    st.integers(min_value=1, max_value=30_000).flatmap(
        lambda n: st.sampled_from([b"[" * n, b'{"a":' * (n // 5 + 1), b"[" * n + b"]" * n])),
    st.integers(min_value=1, max_value=1200).map(
        lambda n: b'{"cmd": "event", "x": ' + b"9" * n + b"}"),
)
ENCODINGS = st.sampled_from(["utf-8", "UTF-8", "cp1251", "x-unknown", "rot13", "base64",
                             "zlib", "utf-32", "utf-7", "unicode_escape", "idna", "utf-16"])


def mixed(*valid: object) -> st.SearchStrategy[Any]:
    """A plausible value half the time, a hostile one otherwise: deep paths get reached."""
    return st.one_of(st.sampled_from(valid), values)


CMD_FIELDS = {
    "cmd": mixed("event", "history", "contact", "rating"),
    "type": mixed("INCOMING", "OUTGOING", "ACCEPTED", "COMPLETED", "CANCELLED",
                  "TRANSFERRED", "in", "out"),
    "direction": mixed("in", "out"), "user": mixed("100", "101"), "ext": mixed("100"),
    "phone": mixed("89031112233", "+74951234567", "101"),
    "callid": st.one_of(st.uuids().map(str), values),
    "status": mixed("success", "missed", "busy", "Success", "NotAvailable", "cancel"),
    "duration": mixed("42", 42, 0), "start": mixed("20260101T000000Z"),
    "link": mixed("https://rec.example.invalid/r.mp3"), "diversion": mixed("74951234567"),
}


DROP = object()
CMD_VALID = [
    {"cmd": "event", "type": "INCOMING", "direction": "in", "user": "100", "ext": "100",
     "phone": "89031112233"},
    {"cmd": "event", "type": "ACCEPTED", "user": "100", "phone": "89031112233"},
    {"cmd": "history", "type": "in", "status": "success", "user": "100", "duration": "42",
     "phone": "89031112233", "start": "20260101T000000Z"},
    {"cmd": "contact", "phone": "89031112233"},
]


def _one_changed(valid: list[dict[str, Any]], keys: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    """A valid body with one field replaced by a hostile value, or dropped."""
    def change(base: dict[str, Any], key: str, value: Any, call_id: str) -> dict[str, Any]:
        out = {**base, "callid": call_id, "pbx_call_id": call_id}
        if value is DROP:
            out.pop(key, None)
        else:
            out[key] = value
        return out
    return st.builds(change, st.sampled_from(valid), st.sampled_from(keys),
                     st.one_of(texts, texts, values, st.just(DROP)), st.uuids().map(str))


def _cmd(name: str, authentic: bool) -> st.SearchStrategy[Hook]:
    token = {"crm_token": st.just(TOKEN if authentic else "wrong")}
    changed = _one_changed(CMD_VALID, [*CMD_FIELDS]).map(
        lambda d: _json({**d, "crm_token": TOKEN if authentic else "wrong"}))
    as_json = st.fixed_dictionaries(token, optional=CMD_FIELDS).map(_json)
    as_form = st.fixed_dictionaries(token, optional={k: st.one_of(
        st.sampled_from(["event", "history", "100", "INCOMING"]), texts) for k in CMD_FIELDS}
    ).map(lambda d: urlencode(d, errors="surrogatepass").encode())
    ctype = st.sampled_from(["application/json", "application/x-www-form-urlencoded", ""])
    return st.builds(lambda b, c: Hook(f"/hooks/{name}", {"Content-Type": c} if c else {}, b),
                     st.one_of(changed, changed, as_json, as_form, raw), ctype)


def _zadarma(authentic: bool) -> st.SearchStrategy[Hook]:
    plausible = {"caller_id": st.sampled_from(["79031112233", "101"]),
                 "called_did": st.just("74951234567"), "internal": st.just("100"),
                 "destination": st.sampled_from(["100", "79031112233"]),
                 "pbx_call_id": st.uuids().map(str),
                 "disposition": st.sampled_from(["answered", "busy", "cancel", "no answer"]),
                 "duration": st.sampled_from(["0", "42"]), "call_id_with_rec": st.just("r.1")}
    fields = st.fixed_dictionaries(
        {"event": st.sampled_from([*SIGNED_FIELDS, "NOTIFY_X"]),
         "call_start": st.one_of(st.builds(now_text), texts)},
        optional={k: st.one_of(v, texts) for k, v in plausible.items()})
    signed = st.builds(lambda f, j: zadarma_signed(f, authentic, j), fields, st.booleans())
    valid = [{"event": e, "caller_id": "79031112233", "called_did": "74951234567",
              "internal": "100", "destination": "100", "disposition": "answered",
              "duration": "42", "call_id_with_rec": "r.1"} for e in SIGNED_FIELDS]
    changed = st.builds(
        lambda d, start, j: zadarma_signed({**d, "call_start": start}, authentic, j),
        _one_changed(valid, [*plausible, "event"]), st.builds(now_text), st.booleans())
    return st.one_of(changed, changed, signed, raw.map(lambda b: Hook("/hooks/zadarma", {
        "Content-Type": "application/x-www-form-urlencoded", "Signature": "x"}, b)))


def _beeline(authentic: bool) -> st.SearchStrategy[Hook]:
    path = f"/hooks/beeline/{BEE_SECRET if authentic else 'wrong'}"
    xml = st.builds(beeline_xml, st.one_of(st.just("+79031112233"), texts),
                    st.one_of(st.uuids().map(str), texts),
                    st.one_of(st.just("UTF-8"), ENCODINGS))
    return st.builds(lambda b: Hook(path, {"Content-Type": "application/xml"}, b),
                     st.one_of(xml, raw))


def _mobilon(authentic: bool) -> st.SearchStrategy[Hook]:
    envelope = st.builds(
        soap_envelope, st.sampled_from(["SayName", "IncomingCall", "Drop"]),
        st.fixed_dictionaries({}, optional={
            "Number": st.one_of(st.just("89031112233"), texts),
            "NumFrom": st.one_of(st.just("89031112233"), texts),
            "Key": st.one_of(st.just("100"), texts)}),
        st.sampled_from(["1.1", "1.2"]), st.one_of(st.just("utf-8"), ENCODINGS))
    return st.builds(lambda b, v: mobilon_hook(b, authentic, v), st.one_of(envelope, raw),
                     st.sampled_from(["1.1", "1.2"]))


def bodies(name: str, authentic: bool) -> st.SearchStrategy[Hook]:
    """Hostile requests to `name`'s webhook, with valid credentials or without."""
    if name in ("prostiezvonki", "crm-api"):
        return _cmd(name, authentic)
    if name == "zadarma":
        return _zadarma(authentic)
    if name == "beeline":
        return _beeline(authentic)
    return _mobilon(authentic)
