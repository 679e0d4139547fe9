"""The relay's REST API (SPEC §9.2) as async methods, run on the bridge's asyncio loop.

Every failure becomes one `ApiError` whose `kind` the UI turns into words. A relay's
error reply is `{"error", "code", ...}` (core.errors); the client dispatches on `code`,
never on the HTTP status or the path. Transport failures get a kind of their own
("Test connection" names the exact failure: DNS, refused, TLS, 401, wrong extension).
"""

from __future__ import annotations

import logging
import ssl
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx

from trubka.core.contacts import Contact
from trubka.core.model import JournalEntry
from trubka.core.protocol import ProtocolError, journal_from_dict
from trubka.http import make_client

log = logging.getLogger("trubka.desktop.api")

# The relay's error code → the kind the UI words (desktop/errors.py). Unknown codes
# (a newer relay) are "server": the relay's own text is shown.
KINDS = {
    "unauthorized": "unauthorized",
    "forbidden": "forbidden",
    "not_found": "not_found",
    "unknown_provider": "not_found",
    "invalid_request": "invalid",
    "invalid_number": "invalid",
    "not_configured": "not_configured",
    "not_supported": "unsupported",
    "conflict": "conflict",
    "gone": "gone",
    "body_too_large": "too_large",
    "rate_limited": "rate_limited",
    "provider_error": "provider",
    "unavailable": "unavailable",
    "enrollment_used": "enrollment_used",
    "enrollment_expired": "enrollment_expired",
    "enrollment_unknown": "enrollment_unknown",
}


class ApiError(Exception):
    """`kind`: a transport failure (dns | refused | tls | timeout | network | protocol),
    a relay reply (a value of KINDS, or "server"), or a desktop-side one (no_relay,
    wrong_ext). `code` is the relay's own code, when it sent one."""

    def __init__(self, kind: str, message: str = "", provider: str = "",
                 status: int = 0, user_text: dict[str, str] | None = None,
                 code: str = "", retry_after: int = 0) -> None:
        super().__init__(message or kind)
        self.kind = kind
        self.message = message
        self.provider = provider
        self.status = status
        self.user_text = user_text or {}  # the relay's sentence per language (PBX refusals)
        self.code = code
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class Me:
    name: str
    ext: str
    provider: str = ""
    provider_title: str = ""
    dnd_supported: bool = False
    default_country: str = "RU"


@dataclass(frozen=True, slots=True)
class Enrolment:
    """What a one-time enrolment code is exchanged for (SPEC §9.4)."""

    token: str
    relay: str  # the relay's public URL
    name: str
    ext: str


_DNS_WORDS = ("Name or service not known", "nodename nor servname", "getaddrinfo failed",
              "No address associated", "Temporary failure in name resolution")


def classify(exc: BaseException) -> ApiError:
    """Name a transport failure the way a person can act on it."""
    text = str(exc)
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, ssl.SSLError):
            return ApiError("tls", getattr(cause, "reason", None) or str(cause))
        if isinstance(cause, ConnectionRefusedError):
            return ApiError("refused", text)
        if any(word in str(cause) for word in _DNS_WORDS):
            return ApiError("dns", str(cause))
        cause = cause.__cause__ or cause.__context__
    if isinstance(exc, httpx.TimeoutException | TimeoutError):
        return ApiError("timeout", text)
    if "CERTIFICATE" in text.upper() or "SSL" in text.upper():
        return ApiError("tls", text)
    if "refused" in text.lower():
        return ApiError("refused", text)
    return ApiError("network", text)


def reply_error(reply: httpx.Response) -> ApiError:
    """The ApiError for a relay's error reply, chosen by its `code`."""
    try:
        body = reply.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        body = {}
    code = str(body.get("code") or "")
    message = str(body.get("error") or reply.reason_phrase)
    detail = body.get("detail")
    if isinstance(detail, list) and detail:
        message = "; ".join(f"{d.get('field')}: {d.get('message')}" for d in detail
                            if isinstance(d, dict)) or message
    texts = body.get("user_text")
    retry = body.get("retry_after")
    return ApiError(KINDS.get(code, "server"), message, provider=str(body.get("provider") or ""),
                    status=reply.status_code, code=code,
                    user_text={str(k): str(v) for k, v in texts.items()}
                    if isinstance(texts, dict) else None,
                    retry_after=retry if isinstance(retry, int) else 0)


async def _send(http: httpx.AsyncClient, method: str, path: str, **kwargs: Any) -> Any:
    try:
        reply = await http.request(method, path, **kwargs)
    except httpx.HTTPError as exc:
        raise classify(exc) from exc
    if reply.status_code < 300:
        return reply.json() if reply.content else None
    raise reply_error(reply)


def contact_body(contact: Contact) -> dict[str, object]:
    """What the relay's contact endpoints take: numbers as the user typed them."""
    return {"name": contact.name, "company": contact.company,
            "phones": [p.raw for p in contact.phones], "email": contact.email,
            "responsible_ext": contact.responsible_ext, "note": contact.note,
            "crm_url": contact.crm_url}


def _contact(data: Any) -> Contact:
    try:
        contact = Contact.from_dict(data)
    except (TypeError, ValueError) as exc:
        raise ApiError("protocol", str(exc)) from exc
    if contact is None:
        raise ApiError("protocol", "empty contact")
    return contact


async def enroll(relay_url: str, code: str, ca_file: str = "",
                 transport: httpx.AsyncBaseTransport | None = None) -> Enrolment:
    """Exchange a one-time enrolment code at `POST /api/v1/enroll` (no token needed)."""
    extra: dict[str, Any] = {"transport": transport} if transport else {}
    async with make_client(timeout=10.0, ca_file=ca_file or None,
                           base_url=relay_url.rstrip("/") + "/api/v1", **extra) as http:
        d = await _send(http, "POST", "/enroll", json={"code": code})
    user = d.get("user") if isinstance(d, dict) else None
    if not (isinstance(d, dict) and isinstance(user, dict) and d.get("token")):
        raise ApiError("protocol", "the relay's enrolment reply has no token")
    return Enrolment(str(d["token"]), str(d.get("relay") or relay_url).rstrip("/"),
                     str(user.get("name") or ""), str(user.get("ext") or ""))


class RelayApi:
    """One httpx client per relay address and token; call `aclose()` when done."""

    def __init__(self, base_url: str, token: str, ca_file: str = "",
                 transport: httpx.AsyncBaseTransport | None = None,
                 timeout: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/")
        extra: dict[str, Any] = {"transport": transport} if transport else {}
        self._http = make_client(timeout=timeout, ca_file=ca_file or None,
                                 base_url=self.base_url + "/api/v1", **extra)
        self._http.headers["Authorization"] = f"Bearer {token}"

    async def aclose(self) -> None:
        await self._http.aclose()

    async def _request(self, method: str, path: str, **kwargs: Any) -> Any:
        return await _send(self._http, method, path, **kwargs)

    async def me(self) -> Me:
        d = await self._request("GET", "/me")
        provider = d.get("provider") or {}
        return Me(str(d.get("name") or ""), str(d.get("ext") or ""),
                  str(provider.get("name") or ""), str(provider.get("title") or ""),
                  bool(provider.get("dnd")), str(d.get("default_country") or "RU"))

    async def contacts(self, q: str = "", limit: int = 50, offset: int = 0) -> list[Contact]:
        rows = await self._request("GET", "/contacts",
                                   params={"q": q, "limit": limit, "offset": offset})
        return [_contact(r) for r in rows]

    async def contact(self, contact_id: int) -> Contact:
        return _contact(await self._request("GET", f"/contacts/{contact_id}"))

    async def save_contact(self, contact: Contact) -> Contact:
        if contact.id is None:
            d = await self._request("POST", "/contacts", json=contact_body(contact))
        else:
            d = await self._request("PUT", f"/contacts/{contact.id}",
                                    json=contact_body(contact))
        return _contact(d)

    async def delete_contact(self, contact_id: int) -> None:
        await self._request("DELETE", f"/contacts/{contact_id}")

    async def lookup(self, phone: str) -> list[Contact]:
        d = await self._request("GET", "/lookup", params={"phone": phone})
        return [_contact(c) for c in d.get("contacts") or []]

    async def journal(self, filter: str = "all", limit: int = 50,
                      before: str | None = None) -> list[JournalEntry]:
        params: dict[str, Any] = {"filter": filter, "limit": limit}
        if before:
            params["before"] = before
        rows = await self._request("GET", "/calls", params=params)
        try:
            return [journal_from_dict(r) for r in rows]
        except ProtocolError as exc:
            raise ApiError("protocol", str(exc)) from exc

    async def set_note(self, entry_id: str, note: str) -> JournalEntry:
        d = await self._request("PATCH", f"/calls/{quote(entry_id, safe='')}",
                                json={"note": note})
        return journal_from_dict(d)

    async def dial(self, phone: str) -> dict[str, Any]:
        log.info("dial %s: requesting", phone)
        try:
            result = await self._request("POST", "/calls", json={"phone": phone})
        except ApiError as exc:
            log.warning("dial %s: failed (%s) %s", phone, exc.kind, exc.message)
            raise
        log.info("dial %s: accepted by %s", phone, (result or {}).get("provider"))
        return result or {}

    async def get_dnd(self) -> bool:
        return bool((await self._request("GET", "/dnd")).get("dnd"))

    async def set_dnd(self, on: bool) -> bool:
        return bool((await self._request("PUT", "/dnd", json={"dnd": on})).get("dnd"))
