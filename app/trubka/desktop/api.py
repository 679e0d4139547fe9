"""The relay's REST API (SPEC §9.2) as async methods, run on the bridge's asyncio loop.

Every failure becomes one of a few `ApiError`s whose `kind` the UI turns into words
("Test connection" names the exact failure: DNS, refused, TLS, 401, wrong extension).
"""

from __future__ import annotations

import logging
import ssl
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx

from trubka.core.model import JournalEntry
from trubka.core.protocol import ProtocolError, journal_from_dict
from trubka.http import make_client

log = logging.getLogger("trubka.desktop.api")


class ApiError(Exception):
    """`kind`: dns | refused | tls | timeout | network | unauthorized | provider |
    not_configured | invalid | not_found | unsupported | server | protocol."""

    def __init__(self, kind: str, message: str = "", provider: str = "",
                 status: int = 0, user_text: dict[str, str] | None = None) -> None:
        super().__init__(message or kind)
        self.kind = kind
        self.message = message
        self.provider = provider
        self.status = status
        self.user_text = user_text or {}  # the relay's sentence per language (PBX refusals)


@dataclass(frozen=True, slots=True)
class Me:
    name: str
    ext: str
    provider: str = ""
    provider_title: str = ""
    dnd_supported: bool = False
    default_country: str = "RU"


@dataclass(frozen=True, slots=True)
class Contact:
    id: int | None
    name: str
    company: str = ""
    phones: list[str] = field(default_factory=list)
    phones_raw: list[str] = field(default_factory=list)
    email: str = ""
    responsible_ext: str = ""
    note: str = ""
    crm_url: str = ""

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Contact:
        return cls(int(d["id"]), str(d.get("name") or ""), str(d.get("company") or ""),
                   [str(p) for p in d.get("phones") or []],
                   [str(p) for p in d.get("phones_raw") or []], str(d.get("email") or ""),
                   str(d.get("responsible_ext") or ""), str(d.get("note") or ""),
                   str(d.get("crm_url") or ""))

    def to_body(self) -> dict[str, Any]:
        return {"name": self.name, "company": self.company, "phones": self.phones,
                "email": self.email, "responsible_ext": self.responsible_ext,
                "note": self.note, "crm_url": self.crm_url}


def classify(exc: Exception) -> ApiError:
    """Name a transport failure the way a person can act on it."""
    text = str(exc)
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, ssl.SSLError):
            return ApiError("tls", getattr(cause, "reason", None) or str(cause))
        if isinstance(cause, ConnectionRefusedError):
            return ApiError("refused", text)
        if "Name or service not known" in str(cause) or "nodename nor servname" in str(
                cause) or "getaddrinfo failed" in str(cause) or "No address associated" in str(
                cause) or "Temporary failure in name resolution" in str(cause):
            return ApiError("dns", str(cause))
        cause = cause.__cause__ or cause.__context__
    if isinstance(exc, httpx.TimeoutException | TimeoutError):
        return ApiError("timeout", text)
    if "CERTIFICATE" in text.upper() or "SSL" in text.upper():
        return ApiError("tls", text)
    if "refused" in text.lower():
        return ApiError("refused", text)
    return ApiError("network", text)


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
        try:
            reply = await self._http.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            raise classify(exc) from exc
        if reply.status_code < 300:
            return reply.json() if reply.content else None
        try:
            body = reply.json()
        except ValueError:
            body = {}
        message = str(body.get("error") or reply.reason_phrase) if isinstance(body, dict) \
            else reply.reason_phrase
        status = reply.status_code
        if status == 401:
            raise ApiError("unauthorized", message, status=status)
        if status == 502 and isinstance(body, dict) and body.get("provider"):
            texts = body.get("user_text")
            raise ApiError("provider", message, provider=str(body["provider"]), status=status,
                           user_text={str(k): str(v) for k, v in texts.items()}
                           if isinstance(texts, dict) else None)
        if status == 409 and isinstance(body, dict) and body.get("code") == "not_configured":
            raise ApiError("not_configured", message, status=status)
        if isinstance(body, dict) and body.get("code") == "not_supported":
            raise ApiError("unsupported", message, status=status)
        if status == 404:
            raise ApiError("not_found", message, status=status)
        if status in (400, 422):
            raise ApiError("invalid", message, status=status)
        raise ApiError("server", message, status=status)

    async def me(self) -> Me:
        d = await self._request("GET", "/me")
        provider = d.get("provider") or {}
        return Me(str(d.get("name") or ""), str(d.get("ext") or ""),
                  str(provider.get("name") or ""), str(provider.get("title") or ""),
                  bool(provider.get("dnd")), str(d.get("default_country") or "RU"))

    async def contacts(self, q: str = "", limit: int = 50, offset: int = 0) -> list[Contact]:
        rows = await self._request("GET", "/contacts",
                                   params={"q": q, "limit": limit, "offset": offset})
        return [Contact.from_dict(r) for r in rows]

    async def contact(self, contact_id: int) -> Contact:
        return Contact.from_dict(await self._request("GET", f"/contacts/{contact_id}"))

    async def save_contact(self, contact: Contact) -> Contact:
        if contact.id is None:
            d = await self._request("POST", "/contacts", json=contact.to_body())
        else:
            d = await self._request("PUT", f"/contacts/{contact.id}", json=contact.to_body())
        return Contact.from_dict(d)

    async def delete_contact(self, contact_id: int) -> None:
        await self._request("DELETE", f"/contacts/{contact_id}")

    async def lookup(self, phone: str) -> list[Contact]:
        d = await self._request("GET", "/lookup", params={"phone": phone})
        return [Contact.from_dict(c) for c in d.get("contacts") or []]

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
