"""The interface every PBX module implements, and the helpers they share.

A provider is pure translation: it turns the PBX's webhook into `CallEvent`s (or a
lookup question), renders the reply the PBX expects, and speaks the PBX's API through
an injected `httpx.AsyncClient`. It never touches storage or sockets of its own; the
relay does that (STYLE: providers → core, never → relay).
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar, Protocol

import httpx

from trubka.core.errors import (
    InvalidParameters,
    InvalidToken,
    NotSupported,
    ProviderError,
    TrubkaError,
)
from trubka.core.model import CallEvent
from trubka.core.numbers import Number


@dataclass(frozen=True, slots=True)
class Option:
    """One provider setting, as `trubka-relay provider set NAME --flag VALUE` takes it."""

    name: str
    help: str
    secret: bool = False
    default: str = ""
    generate: bool = False  # a random value is made (and shown once) when none is given

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")

    @property
    def env(self) -> str:
        return "TRUBKA_RELAY_" + self.name.upper()


@dataclass(frozen=True, slots=True)
class WebhookRequest:
    """An incoming webhook, framework-free: what a provider may look at."""

    method: str
    path: str
    query: Mapping[str, str]
    headers: Mapping[str, str]  # lower-case names
    body: bytes

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";", 1)[0].strip().lower()


@dataclass(frozen=True, slots=True)
class Lookup:
    """The PBX asks who a number is (caller name, smart transfer)."""

    phone_raw: str
    provider_call_id: str = ""


@dataclass(frozen=True, slots=True)
class LookupAnswer:
    contact_name: str = ""
    responsible: str = ""  # extension of the responsible employee, "" when none qualifies


@dataclass(frozen=True, slots=True)
class Binding:
    """What a signature does not cover, tied to it: the first webhook with `key` fixes
    `value` for `ttl` seconds, and the relay refuses a later one with another value as
    a replayed signature (relay/replay.py). Providers only say what to bind; the relay
    remembers."""

    key: str
    value: str
    ttl: float


@dataclass(frozen=True, slots=True)
class Webhook:
    """What a webhook means: call events, a lookup question, or both."""

    events: list[CallEvent] = field(default_factory=list)
    lookup: Lookup | None = None
    echo: str | None = None  # a URL check to answer verbatim (Zadarma's zd_echo)
    context: Mapping[str, Any] = field(default_factory=dict)
    bindings: tuple[Binding, ...] = ()


@dataclass(frozen=True, slots=True)
class Reply:
    status: int
    body: bytes
    content_type: str = "application/json"


@dataclass(frozen=True, slots=True)
class PbxUser:
    """The employee a request is made for, as the PBX knows them."""

    ext: str
    pbx_user: str = ""

    @property
    def login(self) -> str:
        return self.pbx_user or self.ext


@dataclass(frozen=True, slots=True)
class DialResult:
    """A call the PBX accepted; `provider_call_id` when the PBX returns one."""

    provider_call_id: str = ""


@dataclass(frozen=True, slots=True)
class PbxAccount:
    login: str
    name: str
    ext: str
    phone: str = ""


class BackgroundContext(Protocol):
    """What the relay lends a provider's long-lived task (`Provider.run_background`).

    Keeps providers free of storage and sockets: they report, the relay persists.
    """

    async def report(self, status: Mapping[str, object]) -> None:
        """Persist the task's status; shown by `/readyz` and `provider show`."""

    async def link_accounts(self, accounts: Sequence[PbxAccount]) -> int:
        """Map PBX accounts to relay users by extension (as `users sync` does)."""

    async def wait(self, seconds: float) -> bool:
        """Sleep up to `seconds`; True when a webhook woke the task early
        (`Webhook.context["wake"]`)."""


def json_reply(data: Any, status: int = 200) -> Reply:
    return Reply(status, json.dumps(data, ensure_ascii=False).encode())


OK_REPLY = json_reply({"result": "ok"})  # most webhooks' answer, rendered once


class Provider:
    """Base class; subclasses set `name`, `title`, `options` and override what they support."""

    name: ClassVar[str] = ""
    title: ClassVar[str] = ""
    options: ClassVar[tuple[Option, ...]] = ()
    supports_dnd: ClassVar[bool] = False
    path_secret: ClassVar[bool] = False  # its webhook URL ends in a secret segment
    background: ClassVar[bool] = False  # the relay runs `run_background` while configured
    # Whether a call the relay ends for lack of events gets a journal entry inferred
    # from the states it saw; False where the PBX never reports outcomes (Mobilon), so
    # the journal shows no made-up "missed".
    journal_on_expiry: ClassVar[bool] = True

    def __init__(self, settings: Mapping[str, str], http: httpx.AsyncClient) -> None:
        self.settings = dict(settings)
        self.http = http

    def setting(self, name: str) -> str:
        value = self.settings.get(name)
        if value:
            return value
        for opt in self.options:
            if opt.name == name:
                return opt.default
        return ""

    # -- inbound ---------------------------------------------------------------------
    def parse_webhook(self, request: WebhookRequest) -> Webhook:
        raise NotImplementedError

    def render_reply(self, webhook: Webhook, answer: LookupAnswer | None) -> Reply:
        return OK_REPLY

    def render_error(self, error: TrubkaError,
                     request: WebhookRequest | None = None) -> Reply | None:
        """The refusal in the PBX's own format (a SOAP fault, in the SOAP version the
        `request` used); None: the relay's JSON."""
        return None

    async def complete(self, webhook: Webhook) -> Webhook:
        """Finish a parsed webhook with the PBX's API before it is stored (Zadarma's
        recording link). Must not raise for a PBX outage: degrade and log instead."""
        return webhook

    def stale_after(self) -> int | None:
        """Seconds a call may go without events before the relay ends it; None: the
        relay-wide `ring-timeout-minutes`. Short where the PBX sends no end events."""
        return None

    async def run_background(self, ctx: BackgroundContext) -> None:
        """The long-lived task of a provider with `background = True` (subscriptions).

        Started when the provider is configured, restarted when its settings change,
        cancelled when the relay stops; it should loop until cancelled.
        """
        raise NotSupported(f"{self.name} has no background task")

    # -- outbound --------------------------------------------------------------------
    async def make_call(self, user: PbxUser, number: Number) -> DialResult:
        raise NotSupported(f"{self.name} cannot place calls")

    async def get_dnd(self, user: PbxUser) -> bool:
        raise NotSupported(f"{self.name} has no do-not-disturb")

    async def set_dnd(self, user: PbxUser, on: bool) -> bool:
        raise NotSupported(f"{self.name} has no do-not-disturb")

    async def accounts(self) -> list[PbxAccount]:
        raise NotSupported(f"{self.name} cannot list its users")

    # -- helpers for subclasses -----------------------------------------------------
    def check_secret(self, given: object, setting: str) -> None:
        """Constant-time comparison of a shared secret; a miss is InvalidToken."""
        expected = self.setting(setting)
        if not isinstance(given, str) or not expected:
            raise InvalidToken()
        if not hmac.compare_digest(given.encode(), expected.encode()):
            raise InvalidToken()

    async def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """One API call; transport failures and non-2xx replies become ProviderError."""
        try:
            response = await self.http.request(method, url, **kwargs)
        except httpx.TimeoutException as exc:
            raise ProviderError(self.name, f"no answer from {_host(url)} (timeout)") from exc
        except httpx.HTTPError as exc:
            raise ProviderError(self.name, f"cannot reach {_host(url)}: {exc}") from exc
        if response.status_code >= 400:
            raise ProviderError(self.name, error_text(response), response.status_code)
        return response


def _host(url: str) -> str:
    try:
        return httpx.URL(url).host or url
    except httpx.InvalidURL:
        return url


def error_text(response: httpx.Response) -> str:
    """The PBX's own words from an error reply: a JSON error field, else the body text."""
    text = response.text.strip()
    try:
        data = response.json()
    except ValueError:
        data = None
    if isinstance(data, dict):
        for key in ("error", "message", "description", "detail", "errorMessage"):
            value = data.get(key)
            if isinstance(value, str) and value.strip():
                return value.strip()
    if text and len(text) <= 500 and not text.lstrip().startswith("<"):
        return text
    return f"HTTP {response.status_code} {response.reason_phrase}".strip()


def parse_pbx_time(text: str | None) -> datetime | None:
    """`20230908T015640`, `20170703T121110Z`, `2026-11-20 10:15:00`, unix seconds.

    Returns None for anything else: a bad timestamp is never worth refusing a call for.
    """
    if not text:
        return None
    text = text.strip()
    if text.isdigit() and len(text) in (10, 13):
        seconds = int(text) / (1000 if len(text) == 13 else 1)
        try:
            return datetime.fromtimestamp(seconds, UTC)
        except (OverflowError, OSError, ValueError):
            return None
    for fmt in ("%Y%m%dT%H%M%SZ", "%Y%m%dT%H%M%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%SZ"):
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=UTC)
        except ValueError:
            continue
    return None


def parse_duration(text: str | None) -> int | None:
    if text is None or text == "":
        return None
    try:
        value = int(float(text))
    except (ValueError, OverflowError) as exc:
        raise InvalidParameters("duration: not a number") from exc
    if value < 0 or value > 7 * 24 * 3600:
        raise InvalidParameters("duration: out of range")
    return value
