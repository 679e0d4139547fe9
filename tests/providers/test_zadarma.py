"""Zadarma: webhook parsing and signatures (providers.md §1.1), REST signing (§1.2)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlencode

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import DATA
from trubka.core.errors import InvalidParameters, InvalidToken, NotConfigured, ProviderError
from trubka.core.model import Direction, EventKind, JournalStatus
from trubka.core.numbers import normalize
from trubka.providers.base import LookupAnswer, PbxUser, Webhook, WebhookRequest
from trubka.providers.zadarma import Zadarma, disposition_status, sign_api

SECRET = "fixture-secret-0123456789"
SETTINGS = {"api_key": "KEY", "api_secret": SECRET, "api_url": "https://api.test"}
# The recorded posts were made on this day; parsed "now" they would be stale replays.
RECORDED_AT = datetime(2026, 11, 20, 11, 5, tzinfo=UTC).timestamp()


def recorded(name: str) -> list[tuple[dict[str, str], dict[str, str]]]:
    lines = (DATA / "zadarma" / f"{name}.jsonl").read_text().splitlines()
    return [(d["form"], d["headers"]) for d in map(json.loads, lines) if d]


def post(form: dict[str, str], signature: str | None, **headers: str) -> WebhookRequest:
    hdrs = {"content-type": "application/x-www-form-urlencoded", **headers}
    if signature is not None:
        hdrs["signature"] = signature
    return WebhookRequest("POST", "/hooks/zadarma", {}, hdrs, urlencode(form).encode())


@pytest.fixture
async def zadarma() -> AsyncIterator[Zadarma]:
    async with httpx.AsyncClient() as http:
        yield Zadarma(SETTINGS, http, clock=lambda: RECORDED_AT)


def parse_all(z: Zadarma, name: str) -> list[Webhook]:
    return [z.parse_webhook(post(form, h["Signature"])) for form, h in recorded(name)]


async def test_recorded_incoming_call_becomes_lookup_ring_answer_end_recording(
        zadarma: Zadarma) -> None:
    """The fixture's five signed posts: START asks who calls, INTERNAL rings ext 101,
    ANSWER answers it, END ends it as answered (73 s), RECORD names the recording."""
    start, internal, answer, end, record = parse_all(zadarma, "incoming-answered")
    assert start.events == [] and start.lookup is not None
    assert (start.lookup.phone_raw, start.lookup.provider_call_id) == (
        "79031112233", "in_0a1b2c3d4e5f")
    (ring,) = internal.events
    assert (ring.kind, ring.direction, ring.ext, ring.phone_raw, ring.line) == (
        EventKind.RINGING, Direction.IN, "101", "79031112233", "74951234567")
    assert ring.provider_call_id == "in_0a1b2c3d4e5f"
    (answered,) = answer.events
    assert (answered.kind, answered.ext) == (EventKind.ANSWERED, "101")
    (ended,) = end.events
    assert (ended.kind, ended.ext, ended.status, ended.duration) == (
        EventKind.ENDED, "101", JournalStatus.ANSWERED, 73)
    (rec,) = record.events
    assert rec.kind is EventKind.RECORDING and rec.ext is None
    assert record.context["call_id_with_rec"] == "1763633700.998877"


async def test_recorded_outgoing_no_answer(zadarma: Zadarma) -> None:
    """OUT_START rings ext 101 outwards; OUT_END with "no answer" is a missed call."""
    start, end = parse_all(zadarma, "outgoing-no-answer")
    (ring,) = start.events
    assert (ring.kind, ring.direction, ring.ext, ring.phone_raw) == (
        EventKind.RINGING, Direction.OUT, "101", "79031112233")
    (ended,) = end.events
    assert (ended.direction, ended.status, ended.duration, ended.line) == (
        Direction.OUT, JournalStatus.MISSED, 0, "74951234567")


async def test_raw_digest_signature_is_accepted_as_fallback(zadarma: Zadarma) -> None:
    """The TS SDK's form (base64 of the raw HMAC bytes) verifies too."""
    form, _ = recorded("incoming-answered")[1]
    message = form["caller_id"] + form["called_did"] + form["call_start"]
    raw = base64.b64encode(hmac.new(SECRET.encode(), message.encode(), hashlib.sha1)
                           .digest()).decode()
    assert zadarma.parse_webhook(post(form, raw)).events[0].ext == "101"


@pytest.mark.parametrize("signature", [None, "", "bm9wZQ==", "ü", "x" * 5000])
async def test_bad_or_missing_signature_is_invalid_token(
        zadarma: Zadarma, signature: str | None) -> None:
    """No signature, a wrong one or garbage in the header is refused as 401."""
    form, _ = recorded("incoming-answered")[1]
    with pytest.raises(InvalidToken):
        zadarma.parse_webhook(post(form, signature))


async def test_signature_of_another_field_set_is_refused(zadarma: Zadarma) -> None:
    """A valid signature cannot be replayed on changed signed fields (another number)."""
    form, headers = recorded("incoming-answered")[1]
    with pytest.raises(InvalidToken):
        zadarma.parse_webhook(post({**form, "caller_id": "79990000000"}, headers["Signature"]))


async def test_wrong_secret_refuses_everything() -> None:
    """With another API secret configured, the recorded posts are all 401."""
    async with httpx.AsyncClient() as http:
        other = Zadarma({**SETTINGS, "api_secret": "another"}, http)
        unset = Zadarma({}, http)
        for form, headers in recorded("incoming-answered"):
            for z in (other, unset):
                with pytest.raises(InvalidToken):
                    z.parse_webhook(post(form, headers["Signature"]))


@pytest.mark.parametrize("drop", ["event", "caller_id", "call_start", "pbx_call_id"])
async def test_missing_fields_are_invalid_parameters(zadarma: Zadarma, drop: str) -> None:
    """A post without a field the event needs is a 400 (signed fields, the call id)."""
    form, headers = recorded("incoming-answered")[1]
    form = {k: v for k, v in form.items() if k != drop}
    with pytest.raises(InvalidParameters):
        zadarma.parse_webhook(post(form, headers["Signature"]))


async def test_unknown_event_and_garbage_are_invalid_parameters(zadarma: Zadarma) -> None:
    """Unknown events, non-form bodies and a GET without zd_echo are 400."""
    for request in (
        post({"event": "NOTIFY_SOMETHING"}, "x"),
        WebhookRequest("POST", "/hooks/zadarma", {}, {"content-type":
                       "application/x-www-form-urlencoded"}, b"\xff\xfe=&&"),
        WebhookRequest("GET", "/hooks/zadarma", {}, {}, b""),
    ):
        with pytest.raises(InvalidParameters):
            zadarma.parse_webhook(request)


async def test_bad_duration_is_invalid_parameters(zadarma: Zadarma) -> None:
    """A signed NOTIFY_END whose duration is not a number is refused, not stored."""
    form, headers = recorded("incoming-answered")[3]
    with pytest.raises(InvalidParameters):
        zadarma.parse_webhook(post({**form, "duration": "long"}, headers["Signature"]))


async def test_zd_echo_in_query_or_body_comes_before_anything_else(zadarma: Zadarma) -> None:
    """The URL check is answered even without a signature, from GET or POST."""
    get = WebhookRequest("GET", "/hooks/zadarma", {"zd_echo": "abc123"}, {}, b"")
    assert zadarma.parse_webhook(get).echo == "abc123"
    body = post({"zd_echo": "xyz"}, None)
    assert zadarma.parse_webhook(body).echo == "xyz"
    with pytest.raises(InvalidParameters):
        zadarma.parse_webhook(WebhookRequest("GET", "/", {"zd_echo": "x" * 1000}, {}, b""))


async def test_end_without_internal_reaches_every_ringing_leg(zadarma: Zadarma) -> None:
    """NOTIFY_END of a missed group call names nobody: one event without an employee
    (the relay applies it to every leg in progress); with `internal` both are sent."""
    form, headers = recorded("incoming-answered")[3]
    missed = {**form, "disposition": "cancel", "duration": "0"}
    no_internal = {k: v for k, v in missed.items() if k != "internal"}
    (event,) = zadarma.parse_webhook(post(no_internal, headers["Signature"])).events
    assert (event.ext, event.user, event.status) == (None, None, JournalStatus.MISSED)
    both = zadarma.parse_webhook(post(missed, headers["Signature"])).events
    assert [e.ext for e in both] == ["101", None]


def test_dispositions_map_to_journal_statuses() -> None:
    """Every documented disposition has a status; cancel is missed for incoming calls
    and cancelled for outgoing ones; an unknown one is left to the relay's inference."""
    cases = {"answered": JournalStatus.ANSWERED, "busy": JournalStatus.BUSY,
             "no answer": JournalStatus.MISSED, "failed": JournalStatus.FAILED,
             "no money": JournalStatus.NOT_ALLOWED, "line limit": JournalStatus.NOT_ALLOWED,
             "no money, no limit": JournalStatus.NOT_ALLOWED,
             "unallocated number": JournalStatus.NOT_FOUND}
    for text, status in cases.items():
        assert disposition_status(text, Direction.IN) is status
    assert disposition_status("cancel", Direction.IN) is JournalStatus.MISSED
    assert disposition_status("cancel", Direction.OUT) is JournalStatus.CANCELLED
    assert disposition_status("something new", Direction.IN) is None


async def test_start_reply_carries_caller_name_and_redirect(zadarma: Zadarma) -> None:
    """NOTIFY_START's reply: caller_name when known, redirect when a responsible exists,
    an empty 200 when neither (routing unchanged)."""
    start = parse_all(zadarma, "incoming-answered")[0]
    reply = zadarma.render_reply(start, LookupAnswer("ООО Ромашка", "101"))
    assert json.loads(reply.body) == {"caller_name": "ООО Ромашка", "redirect": "101"}
    only_name = zadarma.render_reply(start, LookupAnswer("ООО Ромашка", ""))
    assert json.loads(only_name.body) == {"caller_name": "ООО Ромашка"}
    assert zadarma.render_reply(start, LookupAnswer()).body == b""


def test_api_signature_matches_the_fixture_recipe() -> None:
    """sign_api follows the README recipe: base64(hex(hmac_sha1(path + sorted query +
    md5(sorted query)))) with format=json inside the signed query."""
    params = {"to": "79031112233", "from": "101", "format": "json"}
    query, header = sign_api("/v1/request/callback/", params, "KEY", SECRET)
    assert query == "format=json&from=101&to=79031112233"
    md5 = hashlib.md5(query.encode()).hexdigest()
    digest = hmac.new(SECRET.encode(), ("/v1/request/callback/" + query + md5).encode(),
                      hashlib.sha1).hexdigest()
    assert header == "KEY:" + base64.b64encode(digest.encode()).decode()


async def test_make_call_sends_signed_callback_and_reports_api_errors() -> None:
    """make_call GETs /v1/request/callback/ with from/to/format and a valid signature;
    a {"status": "error"} reply becomes a ProviderError with Zadarma's message."""
    seen: list[httpx.Request] = []
    answers = [{"status": "success", "from": 101, "to": 79031112233},
               {"status": "error", "message": "Wrong parameters!"}]

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=answers[len(seen) - 1])

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
        z = Zadarma(SETTINGS, http)
        await z.make_call(PbxUser("101"), normalize("8 (903) 111-22-33"))
        with pytest.raises(ProviderError, match="Wrong parameters!"):
            await z.make_call(PbxUser("101"), normalize("89031112233"))
        with pytest.raises(NotConfigured):
            await Zadarma({}, http).make_call(PbxUser("101"), normalize("89031112233"))
    request = seen[0]
    assert request.url.path == "/v1/request/callback/"
    query = dict(parse_qsl(request.url.query.decode()))
    assert query == {"format": "json", "from": "101", "to": "79031112233"}
    _, expected = sign_api("/v1/request/callback/", query, "KEY", SECRET)
    assert request.headers["authorization"] == expected


_text = st.text(max_size=40)
_forms = st.dictionaries(st.sampled_from(["event", "caller_id", "called_did", "call_start",
                                          "pbx_call_id", "internal", "destination",
                                          "duration", "disposition", "call_id_with_rec",
                                          "zd_echo"]), _text, max_size=8)


@settings(max_examples=300, deadline=None)
@given(form=_forms, raw=st.binary(max_size=200), signature=st.none() | _text,
       as_form=st.booleans(), event=st.sampled_from(
           ["NOTIFY_START", "NOTIFY_INTERNAL", "NOTIFY_END", "NOTIFY_RECORD", "NOTIFY_IVR",
            "NOTIFY_OUT_END", "NOTIFY_ANSWER", "NOTIFY_OUT_START", "x"]))
def test_random_bodies_raise_only_token_or_parameter_errors(
        form: dict[str, str], raw: bytes, signature: str | None, as_form: bool,
        event: str) -> None:
    """Whatever arrives, the parser answers with events or a 400/401 error, nothing else;
    correctly signed random fields parse or are refused as InvalidParameters."""
    z = Zadarma(SETTINGS, None)  # type: ignore[arg-type]  # parsing needs no HTTP
    if as_form:
        form = {**form, "event": event}
        signed = {"NOTIFY_RECORD": ("pbx_call_id", "call_id_with_rec")}.get(event)
        if signature is None and "zd_echo" not in form:
            fields = signed or ("caller_id", "called_did", "call_start")
            message = "".join(form.get(f, "") for f in fields)
            signature = base64.b64encode(hmac.new(SECRET.encode(), message.encode(),
                                                  hashlib.sha1).hexdigest().encode()).decode()
        body = urlencode(form).encode()
    else:
        body = raw
    try:
        z.parse_webhook(WebhookRequest(
            "POST", "/hooks/zadarma", {}, {"content-type": "application/x-www-form-urlencoded",
                                           **({"signature": signature} if signature else {})},
            body))
    except (InvalidParameters, InvalidToken):
        pass


def multipart(form: dict[str, str], boundary: str = "zd-b0undary") -> bytes:
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
             for k, v in form.items()]
    return ("".join(parts) + f"--{boundary}--\r\n").encode()


async def test_multipart_form_data_is_read_like_a_form(zadarma: Zadarma) -> None:
    """A multipart/form-data post (seen from some Zadarma accounts) parses and verifies
    like the urlencoded one; a broken multipart body is a 400."""
    form, headers = recorded("incoming-answered")[1]
    ctype = "multipart/form-data; boundary=zd-b0undary"
    request = WebhookRequest("POST", "/hooks/zadarma", {}, {
        "content-type": ctype, "signature": headers["Signature"]}, multipart(form))
    (ring,) = zadarma.parse_webhook(request).events
    assert (ring.ext, ring.phone_raw) == ("101", "79031112233")
    for body in (b"", b"no parts here", multipart({"event": "x"}, "other")):
        broken = WebhookRequest("POST", "/hooks/zadarma", {}, {
            "content-type": ctype, "signature": headers["Signature"]}, body)
        with pytest.raises((InvalidParameters, InvalidToken)):
            zadarma.parse_webhook(broken)


async def test_recording_link_failure_drops_the_recording_not_the_webhook() -> None:
    """When the API refuses the recording link, complete() leaves no event to store (the
    post is still acknowledged); on success the link lands on the RECORDING event."""
    replies = [httpx.Response(200, json={"status": "error", "message": "no record"}),
               httpx.Response(200, json={"status": "success", "links": ["https://r/x.mp3"]})]

    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/v1/pbx/record/request/"
        return replies.pop(0)

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
        z = Zadarma(SETTINGS, http, clock=lambda: RECORDED_AT)
        form, headers = recorded("incoming-answered")[4]
        parsed = z.parse_webhook(post(form, headers["Signature"]))
        assert (await z.complete(parsed)).events == []
        (event,) = (await z.complete(parsed)).events
    assert event.recording_url == "https://r/x.mp3"


@settings(max_examples=200, deadline=None)
@given(body=st.one_of(st.binary(max_size=300), st.lists(st.sampled_from([
    "--b\r\n", 'Content-Disposition: form-data; name="event"\r\n', "\r\n",
    "NOTIFY_INTERNAL", "Content-Transfer-Encoding: base64\r\n", "--b--\r\n", "\xff",
    'name="caller_id"', "=?utf-8?q?x?="]), max_size=20).map(
        lambda parts: "".join(parts).encode("utf-8", "surrogateescape"))))
def test_random_multipart_bodies_raise_only_token_or_parameter_errors(body: bytes) -> None:
    """Random multipart/form-data bodies parse or are refused with 400/401, nothing else."""
    z = Zadarma(SETTINGS, None)  # type: ignore[arg-type]
    request = WebhookRequest("POST", "/hooks/zadarma", {}, {
        "content-type": "multipart/form-data; boundary=b", "signature": "x"}, body)
    try:
        z.parse_webhook(request)
    except (InvalidParameters, InvalidToken):
        pass
