"""Bitrix24 REST through an inbound webhook, plus a local application for telephony.

Lookups: `crm.duplicate.findbycomm` (PHONE) then `crm.contact.get` / `crm.company.get`
(`TITLE`); users from `user.get` (`UF_PHONE_INNER` is the employee's extension); create
with `crm.contact.add`; calls with `telephony.externalcall.register` (start),
`.finish` (end) and `.attachRecord` (recording). Bitrix24 documents the telephony
methods as application-only (`WRONG_AUTH_TYPE` through a webhook), so a local
application's OAuth credentials may be given as well: telephony then goes through
them, its access token renewed with the refresh token as documented (the new pair is
kept in the relay's database). Requests are throttled to the portal's 2 req/s leaky
bucket; `QUERY_LIMIT_EXCEEDED` backs off and retries. docs/crm/bitrix24.md cites the
pages.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import httpx

from trubka.core.model import Direction, JournalStatus
from trubka.core.numbers import Number
from trubka.core.protocol import iso
from trubka.providers.base import Option
from trubka.relay.crm.base import (
    MAP_OPTION,
    WRITE_CALLS,
    CallRecord,
    Capabilities,
    Card,
    Connector,
    ConnectorSpec,
    CrmError,
    CrmUser,
    Refused,
    Throttle,
    get_json,
)

NAME = "bitrix24"
OAUTH_URL = "https://oauth.bitrix24.tech/oauth/token/"
PAGE = 50
BACKOFF = (1.0, 2.0, 4.0)
STATUS_CODE = {
    JournalStatus.ANSWERED: "200", JournalStatus.MISSED: "304",
    JournalStatus.CANCELLED: "603-S", JournalStatus.BUSY: "486",
    JournalStatus.NOT_AVAILABLE: "480", JournalStatus.NOT_ALLOWED: "403",
    JournalStatus.NOT_FOUND: "404", JournalStatus.FAILED: "OTHER",
}


class Bitrix24(Connector):
    name = NAME

    def __init__(self, settings: Mapping[str, str], http: httpx.AsyncClient) -> None:
        super().__init__(settings, http)
        self.webhook = self.settings.get("webhook_url", "").rstrip("/") + "/"
        parts = urlsplit(self.webhook)
        self.portal = f"{parts.scheme}://{parts.netloc}"
        self.throttle = Throttle(rate=2.0, burst=10)
        self.access = self.settings.get("access_token", "")
        self.refreshing = asyncio.Lock()

    @property
    def app(self) -> bool:
        """Whether a local application's credentials are configured."""
        return bool(self.settings.get("client_id") and self.settings.get("refresh_token"))

    async def call(self, method: str, params: Mapping[str, Any], app: bool = False) -> Any:
        """One REST method; its `result`. `app`: through the local application."""
        for delay in (*BACKOFF, None):
            body = dict(params)
            url = self.webhook + method
            if app:
                body["auth"] = self.access or await self._refresh("")
                url = f"{self.portal}/rest/{method}"
            async with self.throttle:
                status, reply = await get_json(self.http, "POST", url, method, json=body)
            error = str((reply or {}).get("error") or "") if isinstance(reply, dict) else ""
            if error == "QUERY_LIMIT_EXCEEDED" and delay is not None:
                await asyncio.sleep(delay)
                continue
            if app and error in ("expired_token", "invalid_token") and delay is not None:
                await self._refresh(body["auth"])
                continue
            if error == "WRONG_AUTH_TYPE":
                raise Refused(f"{method}: the portal accepts it only from an application "
                               "(set --client-id, --client-secret, --refresh-token)")
            if error or status >= 400:
                raise CrmError(f"{method}: {error or 'HTTP ' + str(status)}")
            return (reply or {}).get("result") if isinstance(reply, dict) else None
        raise CrmError(f"{method}: QUERY_LIMIT_EXCEEDED")

    async def _refresh(self, stale: str) -> str:
        """A new access token from the refresh token (settings/oauth/auto-renewal.md);
        the rotated pair is saved so every replica and restart uses it."""
        async with self.refreshing:
            if self.access and self.access != stale:
                return self.access  # another request renewed it meanwhile
            params = {"grant_type": "refresh_token",
                      "client_id": self.settings.get("client_id", ""),
                      "client_secret": self.settings.get("client_secret", ""),
                      "refresh_token": self.settings.get("refresh_token", "")}
            status, reply = await get_json(self.http, "GET", self.settings.get(
                "oauth_url") or OAUTH_URL, "OAuth token renewal", params=params)
            if status != 200 or not isinstance(reply, dict) or not reply.get("access_token"):
                error = (reply or {}).get("error") if isinstance(reply, dict) else None
                raise CrmError(f"OAuth token renewal: {error or 'HTTP ' + str(status)}")
            self.access = str(reply["access_token"])
            self.settings["refresh_token"] = str(reply.get("refresh_token") or
                                                 self.settings["refresh_token"])
            if self.vault is not None:
                await self.vault.save({"access_token": self.access,
                                       "refresh_token": self.settings["refresh_token"]})
            return self.access

    async def lookup(self, number: Number) -> Card | None:
        values = sorted({number.canonical, number.digits})
        found = await self.call("crm.duplicate.findbycomm", {"type": "PHONE", "values": values})
        found = found if isinstance(found, dict) else {}  # an empty result may be []
        for kind in ("CONTACT", "COMPANY"):
            ids = [int(i) for i in found.get(kind) or [] if str(i).isdigit()]
            if ids:
                return await self._card(kind, min(ids))
        return None

    async def _card(self, kind: str, entity_id: int) -> Card:
        method = "crm.contact.get" if kind == "CONTACT" else "crm.company.get"
        item = await self.call(method, {"ID": entity_id}) or {}
        company = ""
        if kind == "CONTACT":
            name = " ".join(str(item.get(k) or "").strip() for k in
                            ("NAME", "SECOND_NAME", "LAST_NAME")).strip()
            if str(item.get("COMPANY_ID") or "0") not in ("", "0"):
                owner = await self.call("crm.company.get", {"ID": int(item["COMPANY_ID"])})
                company = str((owner or {}).get("TITLE") or "")
        else:
            name = company = str(item.get("TITLE") or "")
        assigned = str(item.get("ASSIGNED_BY_ID") or "")
        phones = tuple(str(p.get("VALUE") or "") for p in item.get("PHONE") or []
                       if isinstance(p, dict))
        emails = [str(p.get("VALUE") or "") for p in item.get("EMAIL") or []
                  if isinstance(p, dict)]
        path = "contact" if kind == "CONTACT" else "company"
        return Card(name or company, company, phones, emails[0] if emails else "",
                    f"{self.portal}/crm/{path}/details/{entity_id}/",
                    CrmUser(assigned) if assigned else None, f"{kind}:{entity_id}")

    async def users(self) -> list[CrmUser]:
        out: list[CrmUser] = []
        start = 0
        while True:
            batch = await self.call("user.get", {"FILTER": {"ACTIVE": True}, "start": start})
            rows = [u for u in batch or [] if isinstance(u, dict)]
            out += [CrmUser(str(u.get("ID")), " ".join(
                str(u.get(k) or "") for k in ("NAME", "LAST_NAME")).strip(),
                str(u.get("EMAIL") or ""), str(u.get("UF_PHONE_INNER") or ""))
                for u in rows if u.get("ID") is not None]
            if len(rows) < PAGE:
                return out
            start += PAGE

    async def create(self, card: Card) -> Card:
        fields: dict[str, Any] = {"NAME": card.name, "OPENED": "Y",
                                  "PHONE": [{"VALUE": p, "VALUE_TYPE": "WORK"}
                                            for p in card.phones]}
        if card.email:
            fields["EMAIL"] = [{"VALUE": card.email, "VALUE_TYPE": "WORK"}]
        if card.responsible is not None:
            fields["ASSIGNED_BY_ID"] = int(card.responsible.id)
        created = await self.call("crm.contact.add", {"FIELDS": fields})
        if not str(created).isdigit():
            raise CrmError("crm.contact.add: no id in the reply")
        return Card(card.name, card.company, card.phones, card.email,
                    f"{self.portal}/crm/contact/details/{int(created)}/", card.responsible,
                    f"CONTACT:{int(created)}")

    async def write_call(self, kind: str, call: CallRecord) -> str:
        params: dict[str, Any] = {"USER_ID": int(call.user.id)}
        if kind == "register":
            params.update(PHONE_NUMBER=call.phone, TYPE=2 if call.direction is Direction.IN
                          else 1, CALL_START_DATE=iso(call.started_at), CRM_CREATE=0, SHOW=0,
                          EXTERNAL_CALL_ID=call.uniq)
            if call.line:
                params["LINE_NUMBER"] = call.line
            entity, _, entity_id = call.contact_ref.partition(":")
            if entity in ("CONTACT", "COMPANY") and entity_id.isdigit():
                params.update(CRM_ENTITY_TYPE=entity, CRM_ENTITY_ID=int(entity_id))
            result = await self.call("telephony.externalcall.register", params, self.app)
            call_id = str((result or {}).get("CALL_ID") or "")
            if not call_id:
                raise CrmError("telephony.externalcall.register: no CALL_ID in the reply")
            return call_id
        if kind == "finish":
            params.update(CALL_ID=call.remote_id, DURATION=int(call.duration),
                          STATUS_CODE=STATUS_CODE[call.status or JournalStatus.MISSED])
            result = await self.call("telephony.externalcall.finish", params, self.app)
            return str((result or {}).get("ID") or call.remote_id)
        result = await self.call("telephony.externalcall.attachRecord",
                                 {"CALL_ID": call.remote_id, "RECORD_URL": call.recording_url},
                                 self.app)
        return str((result or {}).get("FILE_ID") or "")

    async def check(self) -> str:
        profile = await self.call("profile", {})
        who = " ".join(str((profile or {}).get(k) or "") for k in ("NAME", "LAST_NAME"))
        return f"webhook of {who.strip() or '?'}" + (" + local application" if self.app
                                                      else "")


def _check(settings: Mapping[str, str]) -> list[str]:
    problems = []
    url = urlsplit(settings.get("webhook_url", ""))
    if url.scheme not in ("http", "https") or not url.hostname or "/rest/" not in url.path:
        problems.append("--webhook-url must be the inbound webhook's address, "
                        "https://<portal>/rest/<user>/<code>/")
    oauth = [settings.get(k) for k in ("client_id", "client_secret", "refresh_token")]
    if any(oauth) and not all(oauth):
        problems.append("a local application needs --client-id, --client-secret and "
                        "--refresh-token together")
    return problems


SPEC = ConnectorSpec(
    cls=Bitrix24,
    titles={"ru": "Битрикс24", "en": "Bitrix24"},
    options=(
        Option("webhook_url", "inbound webhook, https://<portal>/rest/<user>/<code>/ "
               "(scopes crm, user, telephony)", secret=True),
        WRITE_CALLS,
        MAP_OPTION,
        Option("client_id", "local application's client id (telephony where the portal "
               "refuses it through a webhook)"),
        Option("client_secret", "local application's client secret", secret=True),
        Option("refresh_token", "local application's refresh token (renewed and kept "
               "by the relay)", secret=True),
        Option("access_token", "local application's current access token (optional)",
               secret=True),
        Option("oauth_url", "OAuth token server", default=OAUTH_URL),
    ),
    capabilities=Capabilities(lookup=True, index=False, create_contact=True,
                              write_calls=True),
    writes=("register", "finish", "record"),
    check_options=_check,
)
