"""URL templates for "Search" and "Open in CRM" (SPEC F2): validate and expand.

Placeholders: `{phone}` (E.164 with `+`), `{digits}` (no `+`), `{local}` (national
digits, e.g. 89991234567 for Russia), `{contact_id}`, `{name}`. Values are URL-encoded.
"""

from __future__ import annotations

import string
from urllib.parse import quote, urlsplit

import phonenumbers

from trubka.core.numbers import DEFAULT_COUNTRY, try_normalize

PLACEHOLDERS = ("phone", "digits", "local", "contact_id", "name")
DEFAULT_SEARCH = "https://yandex.ru/search/?text={phone}"
SCHEMES = ("http", "https", "e1c")


class TemplateError(ValueError):
    """Why a template cannot be used, in plain words (shown next to the field)."""


def fields(template: str) -> list[str]:
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise TemplateError(f"unbalanced braces: {exc}") from exc
    names = []
    for _literal, name, spec, conv in parsed:
        if name is None:
            continue
        if name not in PLACEHOLDERS or spec or conv:
            raise TemplateError(f"unknown placeholder {{{name}}}; use "
                                + ", ".join("{" + p + "}" for p in PLACEHOLDERS))
        names.append(name)
    return names


def validate(template: str, required: tuple[str, ...] = ("phone", "digits", "local"),
             allow_empty: bool = False) -> None:
    """Raise TemplateError unless `template` is an http(s)/e1c URL with a placeholder."""
    text = template.strip()
    if not text:
        if allow_empty:
            return
        raise TemplateError("the template is empty")
    names = fields(text)
    scheme = urlsplit(text).scheme.lower()
    if scheme not in SCHEMES:
        raise TemplateError("the address must start with https://, http:// or e1c://")
    if scheme in ("http", "https") and not urlsplit(text.format(
            **dict.fromkeys(PLACEHOLDERS, "x"))).hostname:
        raise TemplateError("the address has no host name")
    if required and not any(n in required for n in names):
        raise TemplateError("the template must contain {phone}, {digits} or {local}")


def expand(template: str, phone: str, country: str = DEFAULT_COUNTRY,
           contact_id: int | None = None, name: str = "") -> str:
    number = try_normalize(phone, country)
    canonical = number.canonical if number else phone
    local = canonical.lstrip("+")
    if number is not None and number.valid:
        parsed = phonenumbers.parse(canonical, None)
        national = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
        local = "".join(ch for ch in national if ch.isdigit())
    values = {"phone": canonical, "digits": canonical.lstrip("+"), "local": local,
              "contact_id": "" if contact_id is None else str(contact_id), "name": name}
    return template.strip().format(**{k: quote(v, safe="") for k, v in values.items()})
