"""The one interface every CRM connector implements, and its spec.

A connector is translation, like a PBX provider: it asks its CRM who a number is,
lists the CRM's users (so the relay can map them to extensions), creates a contact,
writes a call, or — for a CRM too slow to ask per call (1C) — pages through its
phones for the relay's local index. It speaks HTTP through the relay's injected
`httpx.AsyncClient` and keeps no storage of its own: the relay caches, indexes, maps
users to extensions and records what was written (relay/crm/service.py).
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar, Protocol

import httpx

from trubka.core.model import Direction, JournalStatus
from trubka.core.numbers import Number
from trubka.providers.base import Option

ENV_PREFIX = "TRUBKA_RELAY_CRM_"


class CrmError(Exception):
    """The CRM failed or refused. The text is safe for logs and `crm show`: connectors
    never put a URL with a token, a password or a header value in it."""


class Refused(CrmError):
    """The CRM refuses this for good (retrying cannot help): wrong kind of credentials."""


class NotFoundInCrm(Refused):
    """The CRM has no such object (a write that needs one: amoCRM places calls by phone)."""


@dataclass(frozen=True, slots=True)
class CrmUser:
    """A CRM user as the relay maps it to an employee: by an explicit map (id), by the
    internal number the CRM keeps (Bitrix24's UF_PHONE_INNER), by e-mail, or by name."""

    id: str
    name: str = ""
    email: str = ""
    ext: str = ""


@dataclass(frozen=True, slots=True)
class Card:
    """What a CRM knows about a number: fields in `core.contacts.validate`'s words, plus
    the responsible user (the relay turns it into an extension)."""

    name: str
    company: str = ""
    phones: tuple[str, ...] = ()
    email: str = ""
    crm_url: str = ""
    responsible: CrmUser | None = None
    ref: str = ""  # the CRM's id of the object ("CONTACT:42", a 1C GUID)
    owner: str = ""  # an indexed object this one belongs to: its name is the company


@dataclass(frozen=True, slots=True)
class IndexPage:
    """A page of objects for the local index: (ref, version, card, raw phones) each."""

    entity: str
    objects: Sequence[tuple[str, str, Card, Sequence[str]]]


@dataclass(frozen=True, slots=True)
class CallRecord:
    """A finished (or starting) call as the relay writes it back."""

    uniq: str  # stable per PBX call: the CRM's idempotency key where it has one
    direction: Direction
    phone: str  # E.164 where known
    started_at: datetime | None
    user: CrmUser
    line: str = ""
    status: JournalStatus | None = None
    duration: int = 0
    recording_url: str = ""
    contact_ref: str = ""  # the card's ref, when the relay knows it
    remote_id: str = ""  # what an earlier write of this call returned (Bitrix24's CALL_ID)


class Vault(Protocol):
    """Where a connector keeps credentials its CRM rotates (Bitrix24's OAuth tokens)."""

    async def save(self, values: Mapping[str, str]) -> None: ...


class Connector:
    """Base class; subclasses implement what their capabilities say."""

    name: ClassVar[str] = ""

    def __init__(self, settings: Mapping[str, str], http: httpx.AsyncClient) -> None:
        self.settings = dict(settings)
        self.http = http
        self.vault: Vault | None = None

    async def lookup(self, number: Number) -> Card | None:
        """Ask the CRM who `number` is; None for "not found"; CrmError when it fails."""
        raise NotImplementedError

    async def users(self) -> list[CrmUser]:
        """The CRM's users, for mapping responsible users to extensions."""
        return []

    def scan(self, known: Mapping[str, Mapping[str, str]] | None
             ) -> AsyncIterator[IndexPage | tuple[str, list[str]]]:
        """The local index: every object (`known` None), or only those changed against
        `known` (entity → ref → version): pages of objects, and (entity, refs) of
        objects the CRM no longer has."""
        raise NotImplementedError

    def creates(self) -> bool:
        """Whether `create` is possible as configured (the spec says whether ever)."""
        return True

    async def create(self, card: Card) -> Card:
        """Create a contact in the CRM; its card there (with `crm_url`, `ref`)."""
        raise NotImplementedError

    async def write_call(self, kind: str, call: CallRecord) -> str:
        """Write a call back (`kind` is one of the spec's `writes`); the CRM's id."""
        raise NotImplementedError

    async def check(self) -> str:
        """A cheap request proving the credentials work; a line for `crm test`."""
        raise NotImplementedError


@dataclass(frozen=True, slots=True)
class Capabilities:
    lookup: bool  # asked per number (the relay caches the answers)
    index: bool  # read whole into the relay's local index instead
    create_contact: bool
    write_calls: bool


@dataclass(frozen=True)
class ConnectorSpec:
    """Everything the rest of Trubka may know about one CRM (compare providers/spec.py)."""

    cls: type[Connector]
    titles: Mapping[str, str]
    options: tuple[Option, ...]
    capabilities: Capabilities
    # What `write_call` is asked to do: "call" once a call is final (amoCRM), or
    # "register" when it starts, "finish" when final, "record" for its recording.
    writes: tuple[str, ...] = ()
    check_options: Callable[[Mapping[str, str]], list[str]] = field(
        default=lambda _settings: [])

    @property
    def name(self) -> str:
        return self.cls.name

    @property
    def guide(self) -> str:
        return f"docs/crm/{self.name}.md"

    def title(self, language: str) -> str:
        return self.titles.get(language) or self.titles.get("en") or self.name

    def build(self, settings: Mapping[str, str], http: httpx.AsyncClient) -> Connector:
        return self.cls(settings, http)

    def env_name(self, option: Option) -> str:
        """`TRUBKA_RELAY_CRM_<NAME>_<OPTION>`: a secret from the environment."""
        name = self.name.upper().replace("-", "_")
        return f"{ENV_PREFIX}{name}_{option.name.upper()}"

    def env_value(self, option: Option, environ: Mapping[str, str] = os.environ) -> str:
        return environ.get(self.env_name(option), "")

    def secrets(self) -> set[str]:
        return {o.name for o in self.options if o.secret}


MAP_OPTION = Option("map", "CRM user id = extension pairs, comma-separated "
                    "(e.g. 5123=100,5124=101); overrides the automatic mapping")
WRITE_CALLS = Option("write_calls", "write calls back to the CRM (on/off)", default="on")


def parse_map(text: str) -> dict[str, str]:
    """`--map "5123=100, 5124=101"` → {"5123": "100", "5124": "101"}; ValueError."""
    out: dict[str, str] = {}
    for item in (text or "").split(","):
        if not item.strip():
            continue
        key, sep, ext = item.partition("=")
        if not sep or not key.strip() or not ext.strip():
            raise ValueError(f"not id=extension: {item.strip()!r}")
        out[key.strip()] = ext.strip()
    return out


def on(value: str | None) -> bool:
    return (value or "").strip().lower() in ("on", "true", "1", "yes")


class Throttle:
    """At most `rate` requests a second with bursts of `burst` (a token bucket), per
    connector instance: the CRMs limit clients and restrict those that exceed."""

    def __init__(self, rate: float, burst: int = 1) -> None:
        self.rate = rate
        self.burst = float(burst)
        self.tokens = float(burst)
        self.at = time.monotonic()
        self.lock = asyncio.Lock()

    async def __aenter__(self) -> None:
        async with self.lock:
            while True:
                now = time.monotonic()
                self.tokens = min(self.burst, self.tokens + (now - self.at) * self.rate)
                self.at = now
                if self.tokens >= 1:
                    self.tokens -= 1
                    return
                await asyncio.sleep((1 - self.tokens) / self.rate)

    async def __aexit__(self, *exc: object) -> None:
        return None


def reason(exc: BaseException) -> str:
    """A failure in words safe for a log line: the exception's type and, for HTTP
    statuses, the code — never a URL (tokens travel in some CRMs' URLs)."""
    if isinstance(exc, CrmError):
        return str(exc)
    if isinstance(exc, httpx.HTTPStatusError):
        return f"HTTP {exc.response.status_code}"
    return type(exc).__name__


async def get_json(http: httpx.AsyncClient, method: str, url: str, what: str,
                   **kwargs: Any) -> tuple[int, Any]:
    """One request; (status, parsed JSON or None). Transport failures and non-JSON
    bodies become CrmError naming `what`, without the URL."""
    try:
        response = await http.request(method, url, **kwargs)
    except httpx.HTTPError as exc:
        raise CrmError(f"{what}: {type(exc).__name__}") from None
    if response.status_code == 204 or not response.content:
        return response.status_code, None
    try:
        return response.status_code, response.json()
    except ValueError:
        raise CrmError(f"{what}: HTTP {response.status_code}, not JSON") from None
