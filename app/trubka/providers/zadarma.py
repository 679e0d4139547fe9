"""Zadarma (and Novofon, its v1 twin): PBX call notifications and the REST API.

Inbound (providers.md §1.1): `zd_echo` URL checks, then form-encoded `NOTIFY_*` posts
whose `Signature` header is HMAC-SHA1 over event-specific fields with the API secret.
NOTIFY_START is answered with `caller_name`/`redirect` (the caller's name on the
handsets, smart transfer); NOTIFY_INTERNAL is the popup moment. Outbound (§1.2, §1.3):
`GET /v1/request/callback/` and `GET /v1/pbx/record/request/`, signed with the same secret.
"""

from __future__ import annotations

import base64
import email.policy
import hashlib
import hmac
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime
from email.parser import BytesParser
from typing import Any
from urllib.parse import urlencode

import httpx

from trubka.core.errors import InvalidParameters, InvalidToken, NotConfigured, ProviderError
from trubka.core.model import CallEvent, Direction, EventKind, JournalStatus
from trubka.core.numbers import Number
from trubka.providers import localtime
from trubka.providers.base import (
    Binding,
    DialResult,
    Lookup,
    LookupAnswer,
    Option,
    PbxUser,
    Provider,
    Reply,
    Webhook,
    WebhookRequest,
    json_reply,
    parse_duration,
)
from trubka.providers.fields import checked, read_fields
from trubka.providers.sim import CallSpec, SimRequest, Step
from trubka.providers.spec import DemoSetup, ProviderSpec

log = logging.getLogger("trubka.providers.zadarma")

DEFAULT_API_URL = "https://api.zadarma.com"
CALLBACK_PATH = "/v1/request/callback/"
RECORD_PATH = "/v1/pbx/record/request/"
MAX_ECHO = 256

# The fields each event signs, concatenated without separators (providers.md §1.1).
SIGNED_FIELDS: dict[str, tuple[str, ...]] = {
    "NOTIFY_START": ("caller_id", "called_did", "call_start"),
    "NOTIFY_INTERNAL": ("caller_id", "called_did", "call_start"),
    "NOTIFY_END": ("caller_id", "called_did", "call_start"),
    "NOTIFY_IVR": ("caller_id", "called_did", "call_start"),
    "NOTIFY_ANSWER": ("caller_id", "destination", "call_start"),
    "NOTIFY_OUT_START": ("internal", "destination", "call_start"),
    "NOTIFY_OUT_END": ("internal", "destination", "call_start"),
    "NOTIFY_RECORD": ("pbx_call_id", "call_id_with_rec"),
}

# What each event acts on that its signature does not cover: bound to the signature
# for as long as it can be accepted (relay/replay.py), so a captured signature cannot be
# replayed with other values. NOTIFY_INTERNAL's `internal` stays free: one call rings
# several extensions, each post with the same signature (docs/providers/zadarma.md).
UNSIGNED: dict[str, tuple[str, ...]] = {
    "NOTIFY_START": (), "NOTIFY_INTERNAL": (), "NOTIFY_IVR": (), "NOTIFY_OUT_START": (),
    "NOTIFY_RECORD": (),
    "NOTIFY_ANSWER": ("internal",),
    "NOTIFY_END": ("internal", "disposition", "duration"),
    "NOTIFY_OUT_END": ("caller_id", "disposition", "duration"),
}
# The end events come when the call ends, hours after `call_start` for a long
# conversation; the relay itself ends a conversation after 12 hours.
ENDS = ("NOTIFY_END", "NOTIFY_OUT_END")
MAX_CALL = 12 * 3600

# `disposition` of the end events. The caller giving up ("cancel") is a missed call for
# the employee it rang; for the employee's own outgoing call it is a cancelled one.
_DISPOSITIONS = {
    "answered": JournalStatus.ANSWERED,
    "busy": JournalStatus.BUSY,
    "no answer": JournalStatus.MISSED,
    "failed": JournalStatus.FAILED,
    "unallocated number": JournalStatus.NOT_FOUND,
    "no money": JournalStatus.NOT_ALLOWED,
    "no limit": JournalStatus.NOT_ALLOWED,
    "no day limit": JournalStatus.NOT_ALLOWED,
    "line limit": JournalStatus.NOT_ALLOWED,
    "no money, no limit": JournalStatus.NOT_ALLOWED,
}


def disposition_status(text: str, direction: Direction) -> JournalStatus | None:
    """The journal status of a `disposition`; None (inferred by the relay) if unknown."""
    key = " ".join(text.strip().lower().replace("_", " ").split())
    if key == "cancel":
        return JournalStatus.MISSED if direction is Direction.IN else JournalStatus.CANCELLED
    return _DISPOSITIONS.get(key)


def signature_forms(secret: str, message: str) -> tuple[bytes, bytes]:
    """base64 of the hex digest (PHP SDK, docs) and of the raw digest (TS SDK)."""
    digest = hmac.new(secret.encode(), message.encode(), hashlib.sha1)
    return base64.b64encode(digest.hexdigest().encode()), base64.b64encode(digest.digest())


def sign_api(path: str, params: dict[str, str], key: str, secret: str) -> tuple[str, str]:
    """The query string and `Authorization` header of a REST call (providers.md §1.2)."""
    query = urlencode(sorted(params.items()))
    md5 = hashlib.md5(query.encode()).hexdigest()  # noqa: S324 - Zadarma's recipe
    digest = hmac.new(secret.encode(), (path + query + md5).encode(), hashlib.sha1)
    return query, f"{key}:{base64.b64encode(digest.hexdigest().encode()).decode()}"


class Zadarma(Provider):
    name = "zadarma"
    options = (
        Option("api_key", "the API key (my.zadarma.com → Settings → API)", secret=True),
        Option("api_secret", "the API secret: signs the webhooks and the API calls",
               secret=True),
        Option("api_url", "the API base URL (Novofon: https://api.novofon.com)",
               default=DEFAULT_API_URL),
        Option("recording_lifetime", "seconds a recording link stays valid (180–5184000)",
               default="5184000"),
        Option("time_zone", "the account's time zone, e.g. Europe/Moscow: Zadarma sends "
               "call_start in local time (empty: any zone, a wider replay window)"),
        Option("replay_window", "seconds after call_start a ringing or answer event is "
               "still accepted (older ones are refused as replays)", default="900"),
    )

    def __init__(self, settings: Mapping[str, str], http: httpx.AsyncClient,
                 clock: Callable[[], float] = time.time) -> None:
        super().__init__(settings, http)
        self.clock = clock

    # -- inbound ---------------------------------------------------------------------
    def parse_webhook(self, request: WebhookRequest) -> Webhook:
        echo = request.query.get("zd_echo")
        if echo is None and request.method == "POST" and b"zd_echo" in request.body:
            echo = form_fields(request).get("zd_echo")
        if echo is not None:
            if len(echo) > MAX_ECHO or not echo.isprintable():
                raise InvalidParameters("zd_echo: too long or not printable")
            return Webhook(echo=echo)
        if request.method != "POST":
            raise InvalidParameters("POST only (GET is for zd_echo)")
        fields = form_fields(request)
        event = fields.get("event", "")
        signed = SIGNED_FIELDS.get(event)
        if signed is None:
            raise InvalidParameters(f"event: unknown {event[:40]!r}")
        for name in signed:
            if name not in fields:
                raise InvalidParameters(f"{name}: missing")
        digest = self._verify(request.headers.get("signature"),
                              "".join(fields[n] for n in signed))
        webhook = self._events(event, fields)
        return replace(webhook, bindings=self._bindings(event, fields, digest))

    def _verify(self, given: str | None, message: str) -> str:
        """Check the signature; the digest it proves, in one form whichever form was
        sent (so a replay cannot dodge the binding by re-encoding it)."""
        secret = self.setting("api_secret")
        if not secret or not given:
            raise InvalidToken()
        given_bytes = given.strip().encode("utf-8", "replace")
        hex_form, raw_form = signature_forms(secret, message)
        hex_ok = hmac.compare_digest(given_bytes, hex_form)
        raw_ok = hmac.compare_digest(given_bytes, raw_form)
        if not (hex_ok or raw_ok):
            raise InvalidToken()
        return hex_form.decode()

    def _bindings(self, event: str, f: dict[str, str], digest: str) -> tuple[Binding, ...]:
        """Refuse a stale `call_start`; bind to the signature the call it names (and how
        its signed string splits into fields), and what the event acts on unsigned."""
        where = localtime.zone(self.setting("time_zone"))
        try:
            window = max(60, int(self.setting("replay_window")))
        except ValueError:
            window = 900
        max_age = window + (MAX_CALL if event in ENDS else 0)
        start = f.get("call_start")
        if start is not None and not localtime.fresh(start, where, self.clock(), max_age):
            raise InvalidParameters(f"stale or unreadable call_start {start[:40]!r}")
        ttl = localtime.remember_for(max_age, where)
        # The values, not the field names: an outgoing call's NOTIFY_OUT_START and
        # NOTIFY_ANSWER sign the same text under different names, with one signature.
        call = "\x1f".join([f.get("pbx_call_id", ""), *(f[n] for n in SIGNED_FIELDS[event])])
        acted_on = "\x1f".join(f.get(n, "") for n in UNSIGNED[event])
        key = f"{self.name}:{digest}"
        return Binding(key, call, ttl), Binding(f"{key}:{event}", acted_on, ttl)

    def _events(self, event: str, f: dict[str, str]) -> Webhook:
        call_id = _required(f, "pbx_call_id")
        context = {"event": event}
        if event in ("NOTIFY_START", "NOTIFY_IVR"):
            if event == "NOTIFY_IVR":
                return Webhook(context=context)
            return Webhook(lookup=Lookup(_required(f, "caller_id"), call_id), context=context)
        base = CallEvent(self.name, call_id, EventKind.RINGING)
        if event == "NOTIFY_INTERNAL":
            return Webhook([replace(base, direction=Direction.IN, ext=_required(f, "internal"),
                                    phone_raw=f["caller_id"], line=f["called_did"] or None)],
                           context=context)
        if event == "NOTIFY_ANSWER":
            ext = f.get("internal") or _required(f, "destination")
            return Webhook([replace(base, kind=EventKind.ANSWERED, ext=ext,
                                    phone_raw=f["caller_id"])], context=context)
        if event == "NOTIFY_OUT_START":
            return Webhook([replace(base, direction=Direction.OUT, ext=_required(f, "internal"),
                                    phone_raw=_required(f, "destination"))], context=context)
        if event == "NOTIFY_RECORD":
            rec = _required(f, "call_id_with_rec")
            return Webhook([replace(base, kind=EventKind.RECORDING)],
                           context={**context, "call_id_with_rec": rec})
        return Webhook(self._ended(event, f, base), context=context)

    def _ended(self, event: str, f: dict[str, str], base: CallEvent) -> list[CallEvent]:
        outgoing = event == "NOTIFY_OUT_END"
        direction = Direction.OUT if outgoing else Direction.IN
        status = disposition_status(_required(f, "disposition"), direction)
        ended = replace(
            base, kind=EventKind.ENDED, direction=direction, status=status,
            duration=parse_duration(f.get("duration")),
            phone_raw=f["destination"] if outgoing else f["caller_id"],
            line=(f.get("caller_id") if outgoing else f.get("called_did")) or None)
        ext = f.get("internal") or None
        events = [replace(ended, ext=ext)] if ext else []
        if not ext or (not outgoing and status is not JournalStatus.ANSWERED):
            # NOTIFY_END closes the whole PBX call: every extension still ringing missed
            # it (an event naming no employee reaches all legs still in progress).
            events.append(ended)
        return events

    def render_reply(self, webhook: Webhook, answer: LookupAnswer | None) -> Reply:
        body: dict[str, str] = {}
        if webhook.lookup is not None and answer is not None:
            if answer.contact_name:
                body["caller_name"] = answer.contact_name[:64]
            if answer.responsible:
                body["redirect"] = answer.responsible
        if not body:  # an empty 200 leaves the PBX's routing as it is
            return Reply(200, b"", "text/plain")
        return json_reply(body)

    async def complete(self, webhook: Webhook) -> Webhook:
        """NOTIFY_RECORD: ask the API for a download link to put in the journal."""
        rec = webhook.context.get("call_id_with_rec")
        if not rec:
            return webhook
        try:
            link = await self.recording_link(str(rec))
        except (ProviderError, NotConfigured) as exc:
            log.warning("zadarma recording %s: no link (%s)", rec, exc.message)
            return replace(webhook, events=[])
        return replace(webhook, events=[replace(e, recording_url=link)
                                        for e in webhook.events])

    # -- outbound --------------------------------------------------------------------
    async def api_get(self, path: str, params: dict[str, str]) -> dict[str, Any]:
        key, secret = self.setting("api_key"), self.setting("api_secret")
        if not key or not secret:
            raise NotConfigured("zadarma: set --api-key and --api-secret first")
        query, authorization = sign_api(path, {**params, "format": "json"}, key, secret)
        url = self.setting("api_url").rstrip("/") + path + "?" + query
        response = await self.request("GET", url, headers={"Authorization": authorization})
        try:
            data = response.json()
        except ValueError:
            data = None
        if not isinstance(data, dict):
            raise ProviderError(self.name, "unexpected reply from the API")
        if str(data.get("status", "")).lower() != "success":
            raise ProviderError(self.name, str(data.get("message") or "request refused"))
        return data

    async def make_call(self, user: PbxUser, number: Number) -> DialResult:
        # Zadarma rings `from` (the employee's extension) first, then `to`; it returns
        # no call id, so the call is matched by its NOTIFY_OUT_START (providers.md §1.3).
        await self.api_get(CALLBACK_PATH, {"from": user.ext, "to": number.digits})
        return DialResult()

    async def recording_link(self, call_id_with_rec: str) -> str:
        data = await self.api_get(RECORD_PATH, {
            "call_id": call_id_with_rec, "lifetime": self.setting("recording_lifetime")})
        links = data.get("links")
        link = data.get("link") or (links[0] if isinstance(links, list) and links else "")
        if not isinstance(link, str) or not link.startswith(("https://", "http://")):
            raise ProviderError(self.name, "the API gave no recording link")
        return link


def form_fields(request: WebhookRequest) -> dict[str, str]:
    """The posted fields: a urlencoded form (or JSON) as usual, and multipart/form-data,
    which some Zadarma accounts were seen to send (providers.md §1.1)."""
    if request.content_type != "multipart/form-data":
        return read_fields(request)
    header = request.headers.get("content-type", "")
    try:
        message = BytesParser(policy=email.policy.HTTP).parsebytes(
            b"Content-Type: " + header.encode("latin-1") + b"\r\n\r\n" + request.body)
        parts = list(message.iter_parts()) if message.is_multipart() else None
    except (ValueError, TypeError, UnicodeError, LookupError) as exc:
        raise InvalidParameters("multipart body unreadable") from exc
    if not parts:
        raise InvalidParameters("multipart body without parts")
    fields: dict[str, str] = {}
    for part in parts:
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        if not isinstance(name, str) or not isinstance(payload, bytes):
            continue
        try:
            value = payload.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InvalidParameters(f"{name}: not UTF-8") from exc
        fields[checked(name, name)] = checked(name, value)
    return fields


def _required(fields: dict[str, str], name: str) -> str:
    value = fields.get(name, "").strip()
    if not value:
        raise InvalidParameters(f"{name}: missing")
    return value


def _zd_time(unix: float) -> str:
    return datetime.fromtimestamp(unix).strftime("%Y-%m-%d %H:%M:%S")


def _zd(fields: dict[str, str], secret: str) -> SimRequest:
    message = "".join(fields[name] for name in SIGNED_FIELDS[fields["event"]])
    signature = signature_forms(secret, message)[0].decode()
    return SimRequest("POST", "/hooks/zadarma", {
        "Content-Type": "application/x-www-form-urlencoded", "Signature": signature},
        urlencode(fields).encode())


def simulate(step: Step, call: CallSpec, token: str, now: float) -> list[SimRequest]:
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


def demo(api_url: str, relay_url: str) -> DemoSetup:
    secret = "demo-secret"
    return DemoSetup({"api_key": "demo-key", "api_secret": secret, "api_url": api_url},
                     secret)


SPEC = ProviderSpec(Zadarma, titles={"ru": "Zadarma", "en": "Zadarma"}, simulate=simulate,
                    demo=demo, sim_token_options=("api_secret",), lookups=True)
