"""Prostye Zvonki (Vedisoft) server-to-server API for 1C (SPEC §2.1, providers.md §4).

Inbound it speaks the `cmd=event|history|contact` protocol of `crm_api.CmdProtocol`
(JSON from the test stand, form bodies accepted too). Outbound, click-to-call is a JSON
POST `{"user", "phone"}` to the makecall URL with the `X-API-KEY` header.
"""

from __future__ import annotations

import re

from trubka.core.errors import NotConfigured, ProviderError
from trubka.core.numbers import Number
from trubka.providers.base import DialResult, Option, PbxUser
from trubka.providers.crm_api import CmdProtocol

DEFAULT_MAKECALL_URL = "https://interaction.prostiezvonki.ru/httpapiinteg/crmapi/v1/makecall"


class ProstieZvonki(CmdProtocol):
    name = "prostiezvonki"
    title = "Простые звонки"
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
