"""Any HTTP endpoint that answers a number with JSON: the company's own CRM, a script.

`--url-template https://crm.example/lookup?phone={phone}` is filled with the number in
E.164 (`{phone}`) or its bare digits (`{digits}`), URL-encoded; an optional
`--header "Name: value"` (a token) is sent with it. JSON pointers (RFC 6901, e.g.
`/contact/name`) pick the name, company, responsible extension and card URL out of the
reply. `404`, an empty body or no name at the name pointer mean "not found".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urlsplit

import jsonpointer

from trubka.core.numbers import Number
from trubka.providers.base import Option
from trubka.relay.crm.base import (
    Capabilities,
    Card,
    Connector,
    ConnectorSpec,
    CrmError,
    CrmUser,
    get_json,
)

NAME = "http-json"
POINTERS = ("name_pointer", "company_pointer", "responsible_pointer", "url_pointer")


class HttpJson(Connector):
    name = NAME

    def url(self, number: Number) -> str:
        template = self.settings.get("url_template", "")
        return template.replace("{phone}", quote(number.canonical, safe="")).replace(
            "{digits}", quote(number.digits, safe=""))

    def headers(self) -> dict[str, str]:
        name, sep, value = self.settings.get("header", "").partition(":")
        return {name.strip(): value.strip()} if sep and name.strip() else {}

    def pick(self, body: Any, option: str) -> str:
        pointer = self.settings.get(option, "")
        if not pointer:
            return ""
        value = jsonpointer.resolve_pointer(body, pointer, None)
        return "" if value is None or isinstance(value, dict | list) else str(value)

    async def lookup(self, number: Number) -> Card | None:
        status, body = await get_json(self.http, "GET", self.url(number), "lookup",
                                      headers=self.headers())
        if status == 404 or body is None:
            return None
        if status >= 400:
            raise CrmError(f"lookup: HTTP {status}")
        name = self.pick(body, "name_pointer")
        if not name:
            return None
        responsible = self.pick(body, "responsible_pointer")
        return Card(name, self.pick(body, "company_pointer"), (number.canonical,),
                    crm_url=self.pick(body, "url_pointer"),
                    responsible=CrmUser(responsible, ext=responsible) if responsible else None)

    async def check(self) -> str:
        return "answers by number (see the lookup above)"


def _check(settings: Mapping[str, str]) -> list[str]:
    problems = []
    template = settings.get("url_template", "")
    url = urlsplit(template.replace("{phone}", "1").replace("{digits}", "1"))
    if url.scheme not in ("http", "https") or not url.hostname:
        problems.append("--url-template must be an http(s):// address")
    if "{phone}" not in template and "{digits}" not in template:
        problems.append("--url-template must contain {phone} or {digits}")
    header = settings.get("header", "")
    if header and ":" not in header:
        problems.append('--header must be "Name: value"')
    for option in POINTERS:
        pointer = settings.get(option, "")
        try:
            jsonpointer.JsonPointer(pointer)
        except jsonpointer.JsonPointerException:
            problems.append(f"--{option.replace('_', '-')} is not a JSON pointer "
                            "(RFC 6901, e.g. /contact/name)")
    if not settings.get("name_pointer"):
        problems.append("--name-pointer is required")
    return problems


SPEC = ConnectorSpec(
    cls=HttpJson,
    titles={"ru": "HTTP (JSON)", "en": "HTTP (JSON)"},
    options=(
        Option("url_template", "lookup URL with {phone} (E.164) or {digits}, e.g. "
               "https://crm.example/lookup?phone={phone}"),
        Option("header", 'a header to send, "Name: value" (e.g. a token)', secret=True),
        Option("name_pointer", "JSON pointer to the name, e.g. /name"),
        Option("company_pointer", "JSON pointer to the company"),
        Option("responsible_pointer", "JSON pointer to the responsible employee's "
               "extension"),
        Option("url_pointer", "JSON pointer to the card's URL (open in CRM)"),
    ),
    capabilities=Capabilities(lookup=True, index=False, create_contact=False,
                              write_calls=False),
    check_options=_check,
)
