"""Prostye Zvonki (Vedisoft) server-to-server API for 1C (SPEC §2.1, providers.md §4).

Inbound it speaks the `cmd=event|history|contact` protocol of `crm_api.CmdProtocol`
(JSON from the test stand, form bodies accepted too). Outbound, click-to-call is a JSON
POST `{"user", "phone"}` to the makecall URL with the `X-API-KEY` header.
"""

from __future__ import annotations

import json
import re

from trubka.core.errors import NotConfigured, ProviderError
from trubka.core.numbers import Number
from trubka.providers.base import DialResult, Option, PbxUser
from trubka.providers.crm_api import DEMO_WEBHOOK_TOKEN, CmdProtocol
from trubka.providers.sim import CallSpec, SimRequest, Step, stamp
from trubka.providers.spec import DemoSetup, ProviderSpec

DEFAULT_MAKECALL_URL = "https://interaction.prostiezvonki.ru/httpapiinteg/crmapi/v1/makecall"


class ProstieZvonki(CmdProtocol):
    name = "prostiezvonki"
    options = (
        Option("webhook_token", "the \"1C token\" the service sends as crm_token "
               "(generated when omitted)", secret=True, generate=True),
        Option("api_key", "the Prostye Zvonki token, sent as X-API-KEY", secret=True),
        Option("api_url", "the makecall URL", default=DEFAULT_MAKECALL_URL),
    )

    async def make_call(self, user: PbxUser, number: Number) -> DialResult:
        key = self.setting("api_key")
        if not key:
            raise NotConfigured("prostiezvonki: set --api-key first")
        # The service takes the number as the employee clicked it, digits only
        # (SPEC §2.1: 89991234567 goes out as "89991234567").
        phone = re.sub(r"\D", "", number.raw) or number.digits
        response = await self.request(
            "POST",
            self.setting("api_url"),
            json={"user": user.ext, "phone": phone},
            headers={"X-API-KEY": key, "Content-Type": "application/json"},
        )
        try:
            data = response.json()
        except ValueError:
            data = None
        if isinstance(data, dict):
            if data.get("error"):
                raise ProviderError(self.name, str(data["error"]), response.status_code)
            return DialResult(str(data.get("callid") or ""))
        return DialResult()


def simulate(step: Step, call: CallSpec, token: str, now: float) -> list[SimRequest]:
    """The JSON the Prostye Zvonki service posts (SPEC §2.1), with real timestamps."""
    base = {"user": call.user or call.ext, "ext": call.ext, "phone": call.phone,
            "callid": call.call_id, "crm_token": token,
            "diversion": call.line if step.direction == "in" else ""}
    if step.kind == "lookup":
        body: dict[str, object] = {"cmd": "contact", "phone": call.phone, "crm_token": token}
    elif step.kind == "ring":
        kind = "INCOMING" if step.direction == "in" else "OUTGOING"
        body = {"cmd": "event", "type": kind, "direction": step.direction, **base}
    elif step.kind == "answer":
        body = {"cmd": "event", "type": "ACCEPTED", "direction": step.direction, **base}
    else:
        started = step.started or now - step.duration
        body = {"cmd": "history", "type": step.direction, **base, "start": stamp(started),
                "end": stamp(now), "duration": step.duration, "link": step.link,
                "status": step.status}
    return [SimRequest("POST", "/hooks/prostiezvonki", {"Content-Type": "application/json"},
                       json.dumps(body, ensure_ascii=False).encode())]


def demo(api_url: str, relay_url: str) -> DemoSetup:
    return DemoSetup({"webhook_token": DEMO_WEBHOOK_TOKEN, "api_key": "demo-key",
                      "api_url": api_url}, DEMO_WEBHOOK_TOKEN)


SPEC = ProviderSpec(
    ProstieZvonki,
    titles={"ru": "Простые звонки", "en": "Prostye Zvonki"},
    simulate=simulate, demo=demo, lookups=True,
    # The vendor's own wording (SPEC F3), verbatim.
    error_templates={
        "ru": "При выполнении запроса к Простым звонкам произошла ошибка: {error}. "
              "Пожалуйста, обратитесь в поддержку Простых звонков.",
        "en": "The request to Prostye Zvonki failed: {error}. "
              "Please contact Prostye Zvonki support.",
    },
)
