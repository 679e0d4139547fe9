"""amoCRM (API v4, a long-lived token): contacts by phone, users, calls written back.

Requests (docs/crm/amocrm.md cites the pages): `GET /api/v4/contacts?query=<digits>`
(`204 No Content` = nothing found), `GET /api/v4/companies/<id>` for the company's
name, `GET /api/v4/users` (admin tokens only) for e-mail mapping, `POST /api/v4/contacts`
to create, `POST /api/v4/calls` to log a finished call. Every request carries
`Authorization: Bearer <token>` and goes through a ≤ 5 req/s throttle (the platform
allows 7 and restricts clients that exceed it).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import httpx

from trubka.core.model import Direction, JournalStatus
from trubka.core.numbers import Number, matches, try_normalize
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
    NotFoundInCrm,
    Throttle,
    get_json,
)

NAME = "amocrm"
SOURCE = "Trubka"
PAGE = 250
# amoCRM's call_status codes (calls API; SDK CallInterface): 3 not available,
# 4 conversation took place, 5 wrong number, 6 did not get through, 7 busy.
CALL_STATUS = {
    JournalStatus.ANSWERED: 4, JournalStatus.MISSED: 6, JournalStatus.CANCELLED: 6,
    JournalStatus.BUSY: 7, JournalStatus.NOT_AVAILABLE: 3, JournalStatus.NOT_ALLOWED: 6,
    JournalStatus.NOT_FOUND: 5, JournalStatus.FAILED: 6,
}
CALL_RESULT = {
    JournalStatus.ANSWERED: "Разговор состоялся", JournalStatus.MISSED: "Пропущенный",
    JournalStatus.CANCELLED: "Отменён", JournalStatus.BUSY: "Занято",
    JournalStatus.NOT_AVAILABLE: "Недоступен", JournalStatus.NOT_ALLOWED: "Запрещён",
    JournalStatus.NOT_FOUND: "Неверный номер", JournalStatus.FAILED: "Не удался",
}


class AmoCrm(Connector):
    name = NAME

    def __init__(self, settings: Mapping[str, str], http: httpx.AsyncClient) -> None:
        super().__init__(settings, http)
        self.base = self.settings.get("url", "").rstrip("/")
        self.throttle = Throttle(rate=5.0, burst=5)

    async def _call(self, method: str, path: str, what: str, **kwargs: Any) -> tuple[int, Any]:
        headers = {"Authorization": f"Bearer {self.settings.get('token', '')}"}
        async with self.throttle:
            status, body = await get_json(self.http, method, self.base + path, what,
                                          headers=headers, **kwargs)
        if status in (401, 403):
            raise CrmError(f"{what}: refused (HTTP {status}): check the token and its rights")
        if status >= 400:
            raise CrmError(f"{what}: HTTP {status}")
        return status, body

    async def lookup(self, number: Number) -> Card | None:
        query = number.digits[-10:]
        status, body = await self._call("GET", "/api/v4/contacts", "contacts search",
                                        params={"query": query})
        if status == 204 or not isinstance(body, dict):
            return None
        found = _embedded(body, "contacts")
        best = next((c for c in found if any(matches(number.digits, p.digits, 10)
                                             for p in _phones(c))), None)
        if best is None:
            return None
        return await self._card(best)

    async def _card(self, contact: Mapping[str, Any]) -> Card:
        company = ""
        companies = _embedded(contact, "companies")
        if companies and companies[0].get("id"):
            _, body = await self._call("GET", f"/api/v4/companies/{int(companies[0]['id'])}",
                                       "company")
            company = str((body or {}).get("name") or "")
        responsible = contact.get("responsible_user_id")
        return Card(
            name=str(contact.get("name") or ""), company=company,
            phones=tuple(p.raw for p in _phones(contact)),
            crm_url=f"{self.base}/contacts/detail/{int(contact['id'])}",
            responsible=CrmUser(str(responsible)) if responsible else None,
            ref=str(contact["id"]))

    async def users(self) -> list[CrmUser]:
        out: list[CrmUser] = []
        page = 1
        while True:
            status, body = await self._call("GET", "/api/v4/users", "users",
                                            params={"page": page, "limit": PAGE})
            batch = _embedded(body, "users") if status != 204 and isinstance(body, dict) \
                else []
            out += [CrmUser(str(u["id"]), str(u.get("name") or ""), str(u.get("email") or ""))
                    for u in batch if u.get("id") is not None]
            if len(batch) < PAGE:
                return out
            page += 1

    async def create(self, card: Card) -> Card:
        values = [{"value": phone, "enum_code": "WORK"} for phone in card.phones]
        body: dict[str, Any] = {"name": card.name}
        if values:
            body["custom_fields_values"] = [{"field_code": "PHONE", "values": values}]
        if card.responsible is not None:
            body["responsible_user_id"] = int(card.responsible.id)
        _, reply = await self._call("POST", "/api/v4/contacts", "create contact", json=[body])
        created = _embedded(reply, "contacts") if isinstance(reply, dict) else []
        if not created or not created[0].get("id"):
            raise CrmError("create contact: no id in the reply")
        contact_id = int(created[0]["id"])
        return Card(card.name, card.company, card.phones, card.email,
                    f"{self.base}/contacts/detail/{contact_id}", card.responsible,
                    str(contact_id))

    async def write_call(self, kind: str, call: CallRecord) -> str:
        status = call.status or JournalStatus.MISSED
        body: dict[str, Any] = {
            "direction": "inbound" if call.direction is Direction.IN else "outbound",
            "uniq": call.uniq, "duration": int(call.duration), "source": SOURCE,
            "phone": call.phone, "call_status": CALL_STATUS[status],
            "call_result": CALL_RESULT[status],
            "responsible_user_id": int(call.user.id), "created_by": int(call.user.id),
        }
        if call.recording_url:
            body["link"] = call.recording_url
        if call.started_at is not None:
            body["created_at"] = int(call.started_at.timestamp())
        _, reply = await self._call("POST", "/api/v4/calls", "log call", json=[body])
        created = _embedded(reply, "calls") if isinstance(reply, dict) else []
        errors = reply.get("errors") if isinstance(reply, dict) else None
        if not created and errors:
            # amoCRM stores a call only on a card with that number (calls API).
            raise NotFoundInCrm("log call: no contact or company with this number")
        return str(created[0].get("id", "")) if created else ""

    async def check(self) -> str:
        _, body = await self._call("GET", "/api/v4/account", "account")
        return f"account {(body or {}).get('name', '?')!s}"


def _embedded(body: Any, key: str) -> list[dict[str, Any]]:
    if not isinstance(body, dict):
        return []
    items = (body.get("_embedded") or {}).get(key) or []
    return [i for i in items if isinstance(i, dict)]


def _phones(contact: Mapping[str, Any]) -> list[Number]:
    """Numbers of a contact: the multitext custom field with `field_code` PHONE."""
    out = []
    for field in contact.get("custom_fields_values") or []:
        if isinstance(field, dict) and field.get("field_code") == "PHONE":
            for value in field.get("values") or []:
                number = try_normalize(str((value or {}).get("value") or ""))
                if number is not None:
                    out.append(number)
    return out


def _check(settings: Mapping[str, str]) -> list[str]:
    problems = []
    url = urlsplit(settings.get("url", ""))
    if url.scheme not in ("http", "https") or not url.hostname:
        problems.append("--url must be the account's address, https://<account>.amocrm.ru")
    if not settings.get("token"):
        problems.append("--token is required (a long-lived token of a private integration)")
    return problems


SPEC = ConnectorSpec(
    cls=AmoCrm,
    titles={"ru": "amoCRM", "en": "amoCRM"},
    options=(
        Option("url", "the account's address, https://<account>.amocrm.ru"),
        Option("token", "long-lived token of a private integration", secret=True),
        WRITE_CALLS,
        MAP_OPTION,
    ),
    capabilities=Capabilities(lookup=True, index=False, create_contact=True,
                              write_calls=True),
    writes=("call",),
    check_options=_check,
)
