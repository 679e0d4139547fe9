"""Beeline cloud PBX ("Облачная АТС", API v2 `apis/portal`, providers.md §2).

Inbound: BroadWorks Xsi-Events XML posted to the subscription's URL. The posts carry no
signature, so the URL does: `/hooks/beeline/<webhook_secret>`; any other path is 404.
Events only flow while a subscription lives: `run_background` subscribes on start,
renews before the granted `expires` runs out, re-subscribes at once when Beeline posts
SubscriptionTerminatedEvent, and keeps users linked to abonents (`GET /abonents`).
Outbound: `POST /abonents/{pattern}/call?phoneNumber=` returns the extTrackingId that
the call's events carry, so the events use it as the call id.
"""

from __future__ import annotations

import hmac
import logging
from typing import Any
from urllib.parse import quote
from xml.sax.saxutils import escape

from trubka.core.errors import (
    InvalidParameters,
    InvalidToken,
    NotConfigured,
    ProviderError,
    TrubkaError,
)
from trubka.core.model import CallEvent, Direction, EventKind, JournalStatus
from trubka.core.numbers import Number
from trubka.providers import xml
from trubka.providers.base import (
    BackgroundContext,
    DialResult,
    LookupAnswer,
    Option,
    PbxAccount,
    PbxUser,
    Provider,
    Reply,
    Webhook,
    WebhookRequest,
    json_reply,
    parse_pbx_time,
)
from trubka.providers.sim import CallSpec, SimRequest, Step
from trubka.providers.spec import DemoSetup, ProviderSpec

log = logging.getLogger("trubka.providers.beeline")

DEFAULT_API_URL = "https://cloudpbx.beeline.ru/apis/portal"
RETRY_DELAYS = (10.0, 30.0, 60.0, 300.0)

_CALL_KINDS = {
    "CallReceivedEvent": (EventKind.RINGING, Direction.IN),
    "CallOriginatedEvent": (EventKind.RINGING, Direction.OUT),
    "CallAnsweredEvent": (EventKind.ANSWERED, None),
    "CallReleasedEvent": (EventKind.ENDED, None),
    "CallRedirectedEvent": (EventKind.TRANSFERRED, None),
}
# Seen but meaning nothing for a call window: acknowledged and dropped.
_IGNORED = {"CallUpdatedEvent", "CallHeldEvent", "CallRetrievedEvent", "HookStatusEvent",
            "SubscriptionEvent", "CallSubscriptionEvent"}

# internalReleaseCause of a call released before anyone answered.
_RELEASE_CAUSES = {
    "busy": JournalStatus.BUSY,
    "forbidden": JournalStatus.NOT_ALLOWED,
    "not found": JournalStatus.NOT_FOUND,
    "unallocated number": JournalStatus.NOT_FOUND,
    "temporarily unavailable": JournalStatus.MISSED,
    "no answer": JournalStatus.MISSED,
    "request failure": JournalStatus.FAILED,
    "failure": JournalStatus.FAILED,
}


def release_status(call: Any, direction: Direction) -> JournalStatus:
    """The journal status of a CallReleasedEvent's `call` element."""
    if xml.text(call, "answerTime"):
        return JournalStatus.ANSWERED
    cause = " ".join(xml.text(call, "internalReleaseCause").lower().split())
    if cause in _RELEASE_CAUSES:
        return _RELEASE_CAUSES[cause]
    if direction is Direction.OUT and xml.text(call, "releasingParty") == "localRelease":
        return JournalStatus.CANCELLED  # the employee hung up before the client answered
    return JournalStatus.MISSED


def remote_number(address: str) -> str:
    """`tel:+79031112233` → `+79031112233`; `sip:200@host` → `200`."""
    value = address.strip()
    for prefix in ("tel:", "sip:", "sips:"):
        if value.lower().startswith(prefix):
            value = value[len(prefix):]
    return value.split("@", 1)[0].split(";", 1)[0]


class Beeline(Provider):
    name = "beeline"
    path_secret = True
    background = True
    options = (
        Option("api_token", "the API token (X-MPBX-API-AUTH-TOKEN) from the cabinet",
               secret=True),
        Option("api_url", "the API base URL (Kazakhstan: https://cloudpbx.beeline.kz"
               "/apis/portal)", default=DEFAULT_API_URL),
        Option("public_url", "the relay's address as Beeline sees it, e.g. "
               "https://relay.example.ru"),
        Option("webhook_secret", "the secret last segment of /hooks/beeline/<secret> "
               "(generated when omitted)", secret=True, generate=True),
        Option("pattern", "abonents to subscribe to, comma-separated (all when omitted)"),
        Option("subscription_expires", "seconds to ask a subscription to live",
               default="86400"),
    )

    # -- inbound ---------------------------------------------------------------------
    def parse_webhook(self, request: WebhookRequest) -> Webhook:
        self._check_path(request.path)
        if request.method != "POST":
            raise InvalidParameters("POST only")
        root = xml.parse(request.body)
        if xml.local(root.tag) != "Event":
            raise InvalidParameters("not an Xsi event")
        data = xml.child(root, "eventData")
        kind_name = xml.attribute(data, "type").rsplit(":", 1)[-1]
        if kind_name == "SubscriptionTerminatedEvent":
            log.info("beeline subscription %s terminated", xml.text(root, "subscriptionId"))
            return Webhook(context={"wake": True, "event": kind_name})
        if kind_name in _IGNORED:
            return Webhook(context={"event": kind_name})
        if kind_name not in _CALL_KINDS:
            raise InvalidParameters(f"eventData: unknown type {kind_name[:40]!r}")
        target = xml.text(root, "targetId")
        if not target:
            raise InvalidParameters("targetId: missing")
        return Webhook([self._event(kind_name, target, xml.child(data, "call"))],
                       context={"event": kind_name})

    def _check_path(self, path: str) -> None:
        prefix = f"/hooks/{self.name}/"
        given = path[len(prefix):] if path.startswith(prefix) else ""
        expected = self.setting("webhook_secret")
        if not given or not expected:
            raise InvalidToken()
        if not hmac.compare_digest(given.encode("utf-8", "replace"), expected.encode()):
            raise InvalidToken()

    def _event(self, kind_name: str, target: str, call: Any) -> CallEvent:
        if call is None:
            raise InvalidParameters("eventData/call: missing")
        call_id = xml.text(call, "extTrackingId") or xml.text(call, "callId")
        if not call_id:
            raise InvalidParameters("extTrackingId: missing")
        kind, direction = _CALL_KINDS[kind_name]
        personality = xml.text(call, "personality")
        if direction is None and personality:
            direction = Direction.OUT if personality == "Originator" else Direction.IN
        status = None
        duration = None
        answered = parse_pbx_time(xml.text(call, "answerTime"))
        if kind is EventKind.ENDED:
            status = release_status(call, direction or Direction.IN)
            released = parse_pbx_time(xml.text(call, "releaseTime"))
            duration = 0
            if answered and released and released > answered:
                duration = int((released - answered).total_seconds())
        return CallEvent(
            provider=self.name, provider_call_id=call_id, kind=kind, direction=direction,
            user=target, phone_raw=remote_number(xml.text(call, "remoteParty", "address")),
            status=status, duration=duration,
            started_at=parse_pbx_time(xml.text(call, "startTime")), answered_at=answered)

    def render_reply(self, webhook: Webhook, answer: LookupAnswer | None) -> Reply:
        return Reply(200, b"", "text/plain")

    def render_error(self, error: TrubkaError,
                     request: WebhookRequest | None = None) -> Reply | None:
        if isinstance(error, InvalidToken):  # do not reveal that the path exists
            return json_reply({"error": "Not found"}, 404)
        return None

    # -- outbound --------------------------------------------------------------------
    def _api(self, path: str) -> tuple[str, dict[str, str]]:
        token = self.setting("api_token")
        if not token:
            raise NotConfigured("beeline: set --api-token first")
        url = self.setting("api_url").rstrip("/") + path
        return url, {"X-MPBX-API-AUTH-TOKEN": token}

    async def make_call(self, user: PbxUser, number: Number) -> DialResult:
        url, headers = self._api(f"/abonents/{quote(user.login, safe='@')}/call")
        response = await self.request("POST", url, params={"phoneNumber": number.digits},
                                      headers=headers)
        return DialResult(response.text.strip().strip('"'))

    async def accounts(self) -> list[PbxAccount]:
        url, headers = self._api("/abonents")
        response = await self.request("GET", url, headers=headers)
        try:
            data = response.json()
        except ValueError:
            data = None
        if not isinstance(data, list):
            raise ProviderError(self.name, "abonents: unexpected reply")
        return [
            PbxAccount(login=str(item["userId"]), ext=str(item.get("extension") or ""),
                       name=" ".join(str(item.get(k) or "") for k in ("firstName", "lastName")
                                     ).strip(), phone=str(item.get("phone") or ""))
            for item in data if isinstance(item, dict) and item.get("userId")
        ]

    def hook_url(self) -> str:
        public = self.setting("public_url").rstrip("/")
        secret = self.setting("webhook_secret")
        if not public or not secret:
            raise NotConfigured("beeline: set --public-url (and --webhook-secret) first")
        return f"{public}/hooks/{self.name}/{secret}"

    async def subscribe(self) -> list[dict[str, Any]]:
        """One subscription per configured pattern (one for all abonents without)."""
        url, headers = self._api("/subscription")
        patterns = [p.strip() for p in self.setting("pattern").split(",") if p.strip()]
        asked = int(self.setting("subscription_expires") or 86400)
        granted = []
        for pattern in patterns or [""]:
            body: dict[str, Any] = {"expires": asked, "subscriptionType": "BASIC_CALL",
                                    "url": self.hook_url()}
            if pattern:
                body["pattern"] = pattern
            response = await self.request("PUT", url, json=body, headers=headers)
            try:
                data = response.json()
            except ValueError:
                data = {}
            data = data if isinstance(data, dict) else {}
            expires = data.get("expires")
            granted.append({"pattern": pattern or "*",
                            "subscription_id": str(data.get("subscriptionId") or ""),
                            "expires": int(expires) if isinstance(expires, int | str)
                            and str(expires).isdigit() else asked})
        return granted

    async def unsubscribe(self, subscription_ids: list[str]) -> None:
        """Cancel superseded subscriptions, best effort (they expire anyway)."""
        for subscription_id in subscription_ids:
            try:
                url, headers = self._api("/subscription")
                await self.request("DELETE", url, params={"subscriptionId": subscription_id},
                                   headers=headers)
            except (ProviderError, NotConfigured) as exc:
                log.info("beeline: old subscription %s not cancelled (%s)", subscription_id,
                         exc.message)

    async def run_background(self, ctx: BackgroundContext) -> None:
        failures = 0
        current: list[str] = []  # ids of the subscriptions this task holds
        while True:
            try:
                accounts = await self.accounts()
                linked = await ctx.link_accounts(accounts)
                subscriptions = await self.subscribe()
            except (ProviderError, NotConfigured) as exc:
                delay = RETRY_DELAYS[min(failures, len(RETRY_DELAYS) - 1)]
                failures += 1
                log.warning("beeline subscription failed: %s (retry in %.0f s)",
                            exc.message, delay)
                await ctx.report({"state": "error", "error": exc.message,
                                  "retry_in": delay})
                await ctx.wait(delay)
                continue
            failures = 0
            fresh = [s["subscription_id"] for s in subscriptions if s["subscription_id"]]
            # A renewal is a new subscription: drop the ones it replaces, so Beeline does
            # not post every event twice until they expire.
            await self.unsubscribe([i for i in current if i not in fresh])
            current = fresh
            shortest = min(s["expires"] for s in subscriptions)
            renew_in = max(10.0, min(shortest * 0.8, shortest - 120.0))
            await ctx.report({"state": "subscribed", "subscriptions": subscriptions,
                              "abonents": len(accounts), "linked_users": linked,
                              "renew_in": renew_in, "error": ""})
            log.info("beeline subscribed (%s), renewing in %.0f s",
                     ", ".join(s["pattern"] for s in subscriptions), renew_in)
            if await ctx.wait(renew_in):
                log.info("beeline: re-subscribing after SubscriptionTerminatedEvent")


_XSI = ('<xsi:Event xmlns:xsi="http://schema.broadsoft.com/xsi" '
        'xmlns:xsi1="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi1:type="xsi:SubscriptionEvent">')


def simulate(step: Step, call: CallSpec, token: str, now: float) -> list[SimRequest]:
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


def demo(api_url: str, relay_url: str) -> DemoSetup:
    secret = "demo-secret"
    return DemoSetup({"api_token": "demo-key", "api_url": api_url,
                      "public_url": relay_url or "http://127.0.0.1", "webhook_secret": secret},
                     secret)


SPEC = ProviderSpec(Beeline, titles={"ru": "Билайн: облачная АТС", "en": "Beeline cloud PBX"},
                    simulate=simulate, demo=demo, sim_token_options=("webhook_secret",))
