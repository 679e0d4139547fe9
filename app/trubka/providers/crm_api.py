"""The "crm_api" cloud PBX protocol (MegaFon VATS, Gravitel and white labels).

Inbound (providers.md §3): the PBX posts `cmd=event|history|contact|rating` with
`crm_token`, form-encoded (JSON accepted too). Outbound: form posts to
`https://<domain>/sys/crm_api.wcgp` with `cmd` and `token`.

Prostye Zvonki's server-to-server API speaks the same inbound commands (SPEC §2.1), so
`prostiezvonki.py` subclasses `CmdProtocol` and only changes the outbound side.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, ClassVar
from urllib.parse import urlencode

from trubka.core.errors import InvalidParameters, NotConfigured, ProviderError
from trubka.core.model import CallEvent, Direction, EventKind, JournalStatus
from trubka.core.numbers import Number
from trubka.providers.base import (
    OK_REPLY,
    DialResult,
    Lookup,
    LookupAnswer,
    Option,
    PbxAccount,
    PbxUser,
    Provider,
    Reply,
    Webhook,
    WebhookRequest,
    json_reply,
    parse_duration,
    parse_pbx_time,
)
from trubka.providers.fields import read_fields
from trubka.providers.sim import CallSpec, SimRequest, Step, stamp
from trubka.providers.spec import DemoSetup, ProviderSpec

DEMO_WEBHOOK_TOKEN = "demo-webhook-token"

_EVENT_KINDS = {
    "INCOMING": (EventKind.RINGING, Direction.IN),
    "OUTGOING": (EventKind.RINGING, Direction.OUT),
    "ACCEPTED": (EventKind.ANSWERED, None),
    "COMPLETED": (EventKind.ENDED, None),
    "CANCELLED": (EventKind.ENDED, None),
    "TRANSFERRED": (EventKind.TRANSFERRED, None),
}

# Statuses of `cmd=history`, compared case-insensitively (PZ writes "success", the
# crm_api PBXs "Success").
HISTORY_STATUS = {
    "success": JournalStatus.ANSWERED,
    "missed": JournalStatus.MISSED,
    "cancel": JournalStatus.CANCELLED,
    "cancelled": JournalStatus.CANCELLED,
    "busy": JournalStatus.BUSY,
    "notavailable": JournalStatus.NOT_AVAILABLE,
    "notallowed": JournalStatus.NOT_ALLOWED,
    "notfound": JournalStatus.NOT_FOUND,
    "failed": JournalStatus.FAILED,
}

_DIRECTIONS = {"in": Direction.IN, "out": Direction.OUT}


class CmdProtocol(Provider):
    """Inbound `cmd=event|history|contact` with `crm_token`, shared by crm-api and PZ."""

    token_field: ClassVar[str] = "crm_token"

    def parse_webhook(self, request: WebhookRequest) -> Webhook:
        if request.method != "POST":
            raise InvalidParameters("POST only")
        fields = read_fields(request)
        self.check_secret(fields.get(self.token_field), "webhook_token")
        cmd = fields.get("cmd", "")
        if cmd == "event":
            return Webhook(events=[self._event(fields)])
        if cmd == "history":
            return Webhook(events=[self._history(fields)])
        if cmd == "contact":
            phone = _required(fields, "phone")
            return Webhook(lookup=Lookup(phone, fields.get("callid", "")))
        if cmd == "rating":
            return Webhook()
        raise InvalidParameters(f"unknown cmd {cmd!r}")

    def render_reply(self, webhook: Webhook, answer: LookupAnswer | None) -> Reply:
        if webhook.lookup is not None:
            answer = answer or LookupAnswer()
            return json_reply({"contact_name": answer.contact_name,
                               "responsible": answer.responsible})
        return OK_REPLY

    def _who(self, fields: dict[str, str]) -> tuple[str | None, str | None]:
        user = fields.get("user") or None
        ext = fields.get("ext") or None
        if user is None and ext is None:
            raise InvalidParameters("user: missing")
        return user, ext

    def _event(self, fields: dict[str, str]) -> CallEvent:
        kind_name = _required(fields, "type").upper()
        if kind_name not in _EVENT_KINDS:
            raise InvalidParameters(f"type: unknown event {kind_name!r}")
        kind, implied = _EVENT_KINDS[kind_name]
        user, ext = self._who(fields)
        direction = _direction(fields.get("direction")) or implied
        return CallEvent(
            provider=self.name,
            provider_call_id=_required(fields, "callid"),
            kind=kind,
            direction=direction,
            user=user,
            ext=ext,
            phone_raw=fields.get("phone", ""),
            line=fields.get("diversion") or None,
        )

    def _history(self, fields: dict[str, str]) -> CallEvent:
        direction = _direction(_required(fields, "type"))
        if direction is None:
            raise InvalidParameters("type: in or out")
        status_text = _required(fields, "status")
        status = HISTORY_STATUS.get(status_text.lower().replace("_", ""))
        if status is None:
            raise InvalidParameters(f"status: unknown {status_text!r}")
        user, ext = self._who(fields)
        return CallEvent(
            provider=self.name,
            provider_call_id=_required(fields, "callid"),
            kind=EventKind.HISTORY,
            direction=direction,
            user=user,
            ext=ext,
            phone_raw=fields.get("phone", ""),
            line=fields.get("diversion") or None,
            status=status,
            duration=parse_duration(fields.get("duration")),
            recording_url=_url(fields.get("link")),
            started_at=_reliable_start(fields.get("start")),
        )


def _required(fields: dict[str, str], name: str) -> str:
    value = fields.get(name, "").strip()
    if not value:
        raise InvalidParameters(f"{name}: missing")
    return value


def _direction(text: str | None) -> Direction | None:
    if not text:
        return None
    direction = _DIRECTIONS.get(text.strip().lower())
    if direction is None:
        raise InvalidParameters("direction: in or out")
    return direction


def _reliable_start(text: str | None) -> datetime | None:
    """Only a start time marked UTC (`...Z`) is trusted (SPEC §2.1 note)."""
    if text and text.strip().upper().endswith("Z"):
        return parse_pbx_time(text)
    return None


def _url(text: str | None) -> str | None:
    if not text:
        return None
    text = text.strip()
    if not text.lower().startswith(("http://", "https://")):
        return None
    return text


class CrmApi(CmdProtocol):
    name = "crm-api"
    supports_dnd = True
    options = (
        Option("webhook_token", "the crm_token the PBX sends (generated when omitted)",
               secret=True, generate=True),
        Option("api_token", "the PBX's API key, sent as `token`", secret=True),
        Option("api_url", "https://<domain>/sys/crm_api.wcgp"),
    )

    async def _command(self, cmd: str, **params: str) -> Any:
        url = self.setting("api_url")
        token = self.setting("api_token")
        if not url or not token:
            raise NotConfigured("crm-api: set --api-url and --api-token first")
        response = await self.request("POST", url, data={"cmd": cmd, "token": token, **params})
        text = response.text.strip()
        try:
            return json.loads(text) if text else None
        except ValueError:
            return text

    async def make_call(self, user: PbxUser, number: Number) -> DialResult:
        result = await self._command("makeCall", user=user.login, phone=number.digits)
        if isinstance(result, dict):
            if result.get("error"):
                raise ProviderError(self.name, str(result["error"]))
            return DialResult(str(result.get("callid") or result.get("uid") or ""))
        return DialResult(str(result or ""))

    async def accounts(self) -> list[PbxAccount]:
        data = await self._command("accounts")
        if not isinstance(data, list):
            raise ProviderError(self.name, "accounts: unexpected reply")
        return [
            PbxAccount(login=str(item.get("name", "")), name=str(item.get("realName", "")),
                       ext=str(item.get("ext", "")), phone=str(item.get("telnum", "")))
            for item in data if isinstance(item, dict) and item.get("name")
        ]

    async def get_dnd(self, user: PbxUser) -> bool:
        data = await self._command("get_dnd", user=user.login)
        return _dnd_state(self.name, data)

    async def set_dnd(self, user: PbxUser, on: bool) -> bool:
        await self._command("set_dnd", user=user.login, state="true" if on else "false")
        return on


def _dnd_state(provider: str, data: object) -> bool:
    if isinstance(data, dict) and "state" in data:
        state = data["state"]
        if isinstance(state, str):
            return state.strip().lower() in ("true", "on", "1")
        return bool(state)
    raise ProviderError(provider, "get_dnd: unexpected reply")


_SIM_STATUS = {"success": "Success", "missed": "Missed"}


def simulate(step: Step, call: CallSpec, token: str, now: float) -> list[SimRequest]:
    """The form bodies a crm_api cloud PBX posts (providers.md §3)."""
    base = {"phone": call.phone, "user": call.user or call.ext, "ext": call.ext,
            "callid": call.call_id}
    if step.kind == "lookup":
        fields = {"cmd": "contact", "phone": call.phone, "callid": call.call_id}
    elif step.kind == "ring":
        kind = "INCOMING" if step.direction == "in" else "OUTGOING"
        fields = {"cmd": "event", "type": kind, **base, "direction": step.direction}
        if step.direction == "in":
            fields["diversion"] = call.line
    elif step.kind == "answer":
        fields = {"cmd": "event", "type": "ACCEPTED", **base, "direction": step.direction}
    else:
        started = step.started or now - step.duration
        fields = {"cmd": "history", "type": step.direction,
                  "status": _SIM_STATUS.get(step.status, step.status), **base,
                  "start": stamp(started) + "Z", "duration": str(step.duration),
                  "link": step.link}
    fields["crm_token"] = token
    return [SimRequest("POST", "/hooks/crm-api",
                       {"Content-Type": "application/x-www-form-urlencoded"},
                       urlencode(fields).encode())]


def demo(api_url: str, relay_url: str) -> DemoSetup:
    return DemoSetup({"webhook_token": DEMO_WEBHOOK_TOKEN, "api_token": "demo-key",
                      "api_url": api_url}, DEMO_WEBHOOK_TOKEN)


SPEC = ProviderSpec(
    CrmApi,
    titles={"ru": "Облачная АТС", "en": "cloud PBX"},
    simulate=simulate, demo=demo, lookups=True,
)
