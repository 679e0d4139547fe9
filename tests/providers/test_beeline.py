"""Beeline cloud PBX: Xsi event parsing, the secret path, the API client and the
subscription task (providers.md §2)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import DATA
from trubka.core.errors import InvalidParameters, InvalidToken
from trubka.core.model import Direction, EventKind, JournalStatus
from trubka.core.numbers import normalize
from trubka.providers.base import PbxAccount, PbxUser, WebhookRequest
from trubka.providers.beeline import Beeline, remote_number

SECRET = "s3cret-path-segment"
SETTINGS = {"api_token": "TOKEN", "api_url": "https://beeline.test/apis/portal",
            "public_url": "https://relay.example.ru/", "webhook_secret": SECRET}
BEE = DATA / "beeline"


def event(body: bytes | str, path: str = f"/hooks/beeline/{SECRET}",
          method: str = "POST") -> WebhookRequest:
    raw = body.encode() if isinstance(body, str) else body
    return WebhookRequest(method, path, {}, {"content-type": "application/xml"}, raw)


def fixture(name: str) -> bytes:
    return (BEE / name).read_bytes()


@pytest.fixture
def beeline() -> Beeline:
    return Beeline(SETTINGS, None)  # type: ignore[arg-type]  # parsing needs no HTTP


def test_recorded_incoming_call_rings_answers_and_ends(beeline: Beeline) -> None:
    """CallReceived (Alerting) rings the abonent, CallAnswered answers, CallReleased ends
    it as answered with the talk time; extTrackingId is the call id, targetId the user."""
    ring, answer, end = (beeline.parse_webhook(event(fixture(n))).events[0] for n in (
        "01-call-received.xml", "02-call-answered.xml", "03-call-released.xml"))
    assert (ring.kind, ring.direction, ring.user, ring.phone_raw) == (
        EventKind.RINGING, Direction.IN, "SIP0099887766@ip.beeline.ru", "+79031112233")
    assert ring.provider_call_id == answer.provider_call_id == end.provider_call_id \
        == "160457123:1"
    assert ring.started_at == datetime.fromtimestamp(1763633700, UTC)
    assert (answer.kind, answer.direction) == (EventKind.ANSWERED, Direction.IN)
    assert answer.answered_at == datetime.fromtimestamp(1763633705, UTC)
    assert (end.kind, end.status, end.duration) == (EventKind.ENDED, JournalStatus.ANSWERED, 73)


def test_originated_is_outgoing_and_unanswered_release_is_missed(beeline: Beeline) -> None:
    """CallOriginated rings outwards; a release without answerTime and with
    "Temporarily Unavailable" is a missed call of 0 s."""
    (out,) = beeline.parse_webhook(event(fixture("04-call-originated.xml"))).events
    assert (out.kind, out.direction, out.provider_call_id) == (
        EventKind.RINGING, Direction.OUT, "160457999:1")
    (missed,) = beeline.parse_webhook(event(fixture("05-missed-released.xml"))).events
    assert (missed.status, missed.duration) == (JournalStatus.MISSED, 0)


@pytest.mark.parametrize(("cause", "personality", "releasing", "status"), [
    ("Busy", "Originator", "remoteRelease", JournalStatus.BUSY),
    ("Forbidden", "Originator", "remoteRelease", JournalStatus.NOT_ALLOWED),
    ("", "Originator", "localRelease", JournalStatus.CANCELLED),
    ("", "Terminator", "remoteRelease", JournalStatus.MISSED),
    ("Temporarily Unavailable", "Originator", "remoteRelease", JournalStatus.MISSED),
])
def test_release_causes_map_to_journal_statuses(
        beeline: Beeline, cause: str, personality: str, releasing: str,
        status: JournalStatus) -> None:
    """internalReleaseCause and who hung up decide the status of an unanswered call."""
    body = fixture("05-missed-released.xml").decode()
    body = body.replace("<xsi:personality>Terminator</xsi:personality>",
                        f"<xsi:personality>{personality}</xsi:personality>")
    body = body.replace("remoteRelease", releasing)
    body = body.replace("<xsi:internalReleaseCause>Temporarily Unavailable</xsi:"
                        "internalReleaseCause>", f"<xsi:internalReleaseCause>{cause}</xsi:"
                        "internalReleaseCause>" if cause else "")
    (ended,) = beeline.parse_webhook(event(body)).events
    assert ended.status is status


def test_namespace_free_event_and_redirect(beeline: Beeline) -> None:
    """The same event without prefixes (one gist shows it so) parses alike; a
    CallRedirectedEvent transfers the call."""
    body = """<Event xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
      type="xsi:SubscriptionEvent"><targetId>SIP1@ip.beeline.ru</targetId>
      <eventData xsi:type="xsi:CallRedirectedEvent"><call><callId>c1</callId>
      <extTrackingId>77:1</extTrackingId><personality>Terminator</personality>
      <remoteParty><address>tel:+79031112233</address></remoteParty></call></eventData></Event>"""
    (moved,) = beeline.parse_webhook(event(body)).events
    assert (moved.kind, moved.user, moved.provider_call_id, moved.direction) == (
        EventKind.TRANSFERRED, "SIP1@ip.beeline.ru", "77:1", Direction.IN)


def test_subscription_terminated_wakes_the_task_and_noise_is_ignored(beeline: Beeline) -> None:
    """SubscriptionTerminatedEvent asks the relay to wake the subscription task; hook
    status events are acknowledged without any call event."""
    terminated = beeline.parse_webhook(event(fixture("06-subscription-terminated.xml")))
    assert terminated.events == [] and terminated.context["wake"] is True
    hook = fixture("06-subscription-terminated.xml").replace(
        b"SubscriptionTerminatedEvent", b"HookStatusEvent")
    assert beeline.parse_webhook(event(hook)).events == []


@pytest.mark.parametrize("path", ["/hooks/beeline", "/hooks/beeline/", "/hooks/beeline/nope",
                                  f"/hooks/beeline/{SECRET}x", "/hooks/zadarma/" + SECRET])
def test_wrong_path_secret_is_refused_as_not_found(beeline: Beeline, path: str) -> None:
    """Without the exact secret segment the event is refused, and rendered as a 404."""
    with pytest.raises(InvalidToken) as info:
        beeline.parse_webhook(event(fixture("01-call-received.xml"), path))
    reply = beeline.render_error(info.value)
    assert reply is not None and reply.status == 404


def test_unconfigured_secret_refuses_everything() -> None:
    """A Beeline provider without a webhook secret accepts no event at all."""
    bare = Beeline({}, None)  # type: ignore[arg-type]
    with pytest.raises(InvalidToken):
        bare.parse_webhook(event(fixture("01-call-received.xml"), "/hooks/beeline/"))


@pytest.mark.parametrize("body", [
    b"", b"not xml", b"<a>", b"<Event/>", b"<Other/>",
    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><Event>&a;</Event>',
    b'<!DOCTYPE x SYSTEM "http://evil/x.dtd"><Event/>',
    b"<Event><targetId>x</targetId><eventData type='xsi:CallReceivedEvent'/></Event>",
    b"<Event><eventData type='xsi:CallReceivedEvent'><call><extTrackingId>1</extTrackingId>"
    b"</call></eventData></Event>",
    b"<Event><targetId>x</targetId><eventData type='xsi:CallReceivedEvent'><call/>"
    b"</eventData></Event>",
    b"<Event><targetId>x</targetId><eventData type='xsi:Whatever'/></Event>",
])
def test_garbage_entities_and_missing_fields_are_invalid_parameters(
        beeline: Beeline, body: bytes) -> None:
    """Non-XML, DTDs and entities, unknown event types and calls without id or target
    are 400s."""
    with pytest.raises(InvalidParameters):
        beeline.parse_webhook(event(body))


def test_remote_numbers() -> None:
    """tel: and sip: addresses give the bare number or extension."""
    assert remote_number("tel:+79031112233") == "+79031112233"
    assert remote_number("sip:200@ip.beeline.ru") == "200"
    assert remote_number("") == ""


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.binary(max_size=300), st.text(max_size=300).map(str.encode),
                 st.lists(st.sampled_from([
                     "<Event>", "</Event>", "<targetId>", "</targetId>", "T", "<call>",
                     "</call>", "<eventData type='xsi:CallReleasedEvent'>", "</eventData>",
                     "<extTrackingId>", "</extTrackingId>", "<answerTime>", "</answerTime>",
                     "<releaseTime>", "</releaseTime>", "99", "-1", "1e400", "&amp;",
                     "<remoteParty><address>", "</address></remoteParty>",
                 ]), max_size=30).map(lambda parts: "".join(parts).encode())))
def test_random_bodies_raise_only_parameter_errors(body: bytes) -> None:
    """Whatever is posted to the right path parses or is a 400, never anything else."""
    try:
        Beeline(SETTINGS, None).parse_webhook(event(body))  # type: ignore[arg-type]
    except InvalidParameters:
        pass


class FakeContext:
    def __init__(self, wakes: int = 0) -> None:
        self.reports: list[dict[str, object]] = []
        self.waits: list[float] = []
        self.linked: list[PbxAccount] = []
        self.wakes = wakes

    async def report(self, status: Mapping[str, object]) -> None:
        self.reports.append(dict(status))

    async def link_accounts(self, accounts: Sequence[PbxAccount]) -> int:
        self.linked = list(accounts)
        return len(accounts)

    async def wait(self, seconds: float) -> bool:
        self.waits.append(seconds)
        if len(self.waits) > 2:
            raise StopAsyncIteration  # end the endless task after three rounds
        return len(self.waits) <= self.wakes


async def test_background_subscribes_renews_before_expiry_and_reports_errors() -> None:
    """The task lists abonents, PUTs one BASIC_CALL subscription per pattern with the
    relay's hook URL, waits 80 % of the granted expires, re-subscribes when woken and
    cancels the subscriptions it replaced, and reports an API failure with a retry
    instead of dying."""
    seen: list[httpx.Request] = []
    abonents = json.loads(fixture("abonents-response.json"))

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path.endswith("/abonents"):
            return httpx.Response(200, json=abonents)
        if request.method == "DELETE":
            return httpx.Response(200)
        puts = len([r for r in seen if r.method == "PUT"])
        if puts > 4:
            return httpx.Response(403, json={"errorCode": "x", "description": "Forbidden"})
        return httpx.Response(200, json={"subscriptionId": f"sub-{puts}", "expires": 3600})

    ctx = FakeContext(wakes=1)
    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
        bee = Beeline({**SETTINGS, "pattern": "200, 201"}, http)
        with pytest.raises(StopAsyncIteration):
            await bee.run_background(ctx)
    puts = [r for r in seen if r.method == "PUT"]
    assert all(r.headers["x-mpbx-api-auth-token"] == "TOKEN" for r in seen)
    assert [json.loads(r.content) for r in puts[:2]] == [
        {"pattern": p, "expires": 86400, "subscriptionType": "BASIC_CALL",
         "url": f"https://relay.example.ru/hooks/beeline/{SECRET}"} for p in ("200", "201")]
    assert ctx.linked[0] == PbxAccount("SIP0099887766@ip.beeline.ru", "Андрей Петров", "200",
                                       "9613314538")
    first = ctx.reports[0]
    assert first["state"] == "subscribed" and first["renew_in"] == 2880.0
    assert ctx.waits[0] == 2880.0
    # Woken (SubscriptionTerminatedEvent): subscribed again, the old two cancelled.
    assert [r.url.params["subscriptionId"] for r in seen if r.method == "DELETE"] == [
        "sub-1", "sub-2"]
    assert [s["subscription_id"] for s in ctx.reports[1]["subscriptions"]] == ["sub-3",
                                                                                "sub-4"]
    assert ctx.reports[2]["state"] == "error" and ctx.reports[2]["error"] == "Forbidden"


async def test_background_without_public_url_reports_what_to_set() -> None:
    """Unconfigured, the task says which option is missing instead of crashing."""
    ctx = FakeContext()

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=[])

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
        with pytest.raises(StopAsyncIteration):
            await Beeline({"api_token": "T", "webhook_secret": "s"}, http).run_background(ctx)
    assert ctx.reports[0]["state"] == "error"
    assert "--public-url" in str(ctx.reports[0]["error"])


async def test_make_call_posts_for_the_abonent_and_returns_ext_tracking_id() -> None:
    """Click-to-call POSTs /abonents/{userId}/call?phoneNumber= with the token header;
    the extTrackingId in the reply becomes the call id the events carry."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, text='"160457999:1"')

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
        result = await Beeline(SETTINGS, http).make_call(
            PbxUser("200", "SIP0099887766@ip.beeline.ru"), normalize("8 903 111-22-33"))
    assert result.provider_call_id == "160457999:1"
    (request,) = seen
    assert request.method == "POST"
    assert request.url.path == "/apis/portal/abonents/SIP0099887766@ip.beeline.ru/call"
    assert request.url.params["phoneNumber"] == "79031112233"
    assert request.headers["x-mpbx-api-auth-token"] == "TOKEN"
