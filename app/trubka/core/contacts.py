"""The one contact model, and the one way a contact comes in.

A contact arrives through the REST API, a CSV or vCard import, the admin console or a
CRM connector; every one of those goes through `validate`, so a rule (a length, the
schemes a CRM link may use, what a phone number is) is written once and holds for all.
The same `Contact` is the address book's row, the call window's card (a snapshot inside
a call frame) and what the desktop edits; `to_dict`/`from_dict` are its wire form.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from trubka.core.numbers import InvalidNumber, Number, normalize, valid_extension

MAX_NAME = 300
MAX_COMPANY = 300
MAX_EMAIL = 300
MAX_NOTE = 10_000
MAX_URL = 2000
MAX_PHONES = 20
# "Open in CRM" links: web pages and the 1C client (`e1c://server/…`). Anything else —
# `javascript:`, `data:`, `file:` — is refused on the way in and not opened on the way out.
CRM_URL_SCHEMES = ("http", "https", "e1c")

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")


class ContactInvalid(ValueError):
    """A contact that breaks a rule; `problems` maps each field to why."""

    def __init__(self, problems: Mapping[str, str]) -> None:
        self.problems = dict(problems)
        super().__init__("; ".join(f"{k}: {v}" for k, v in self.problems.items()))


@dataclass(frozen=True, slots=True)
class Contact:
    """A person or company with numbers. `id` is the relay's address book id (None for
    a contact not stored there, e.g. found in a CRM); `source` is "" for the relay's own
    book, else the CRM connector it came from."""

    id: int | None
    name: str
    company: str = ""
    phones: tuple[Number, ...] = ()
    email: str = ""
    responsible_ext: str = ""
    note: str = ""
    crm_url: str = ""
    source: str = ""

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "name": self.name,
            "company": self.company,
            "phones": [p.canonical for p in self.phones],
            "phones_raw": [p.raw for p in self.phones],
            "email": self.email,
            "responsible_ext": self.responsible_ext,
            "note": self.note,
            "crm_url": self.crm_url,
            "source": self.source,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object] | None) -> Contact | None:
        """Read the wire form (or a stored snapshot, which may predate some fields).
        Raises ValueError/TypeError on a malformed one; None for null."""
        if not data:
            return None
        raw_id = data.get("id")
        if raw_id is not None and (isinstance(raw_id, bool) or not isinstance(raw_id, int)):
            raise TypeError(f"contact id {raw_id!r}")
        canonical = [str(p) for p in _list(data.get("phones"))]
        raws = [str(p) for p in _list(data.get("phones_raw"))]
        phones = tuple(Number(c, raws[i] if i < len(raws) else c, c.startswith("+"))
                       for i, c in enumerate(canonical))
        return cls(
            id=raw_id,
            name=_text(data, "name"),
            company=_text(data, "company"),
            phones=phones,
            email=_text(data, "email"),
            responsible_ext=_text(data, "responsible_ext"),
            note=_text(data, "note"),
            crm_url=_text(data, "crm_url"),
            source=_text(data, "source"),
        )


def _list(value: object) -> list[object]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise TypeError("phones must be a list")
    return value


def _text(data: Mapping[str, object], key: str) -> str:
    value = data.get(key)
    return "" if value is None else str(value)


def crm_url_allowed(url: str, extra_schemes: Iterable[str] = ()) -> bool:
    """Whether a CRM link may be stored or opened: http(s) with a host, `e1c:`, or one of
    `extra_schemes` (a scheme the administrator configured on the desktop)."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    scheme = parts.scheme.lower()
    if scheme in ("http", "https"):
        return bool(parts.hostname)
    return scheme in CRM_URL_SCHEMES or scheme in {s.lower() for s in extra_schemes if s}


def _clean(value: object, field: str, limit: int, problems: dict[str, str],
           multiline: bool = False) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        problems[field] = "must be text"
        return ""
    text = value.strip()
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        problems[field] = "is not valid Unicode text"
        return ""
    if "\x00" in text or (_CONTROL.search(text) if multiline else _CONTROL.search(
            text.replace("\t", " ").replace("\n", " ").replace("\r", " "))):
        problems[field] = "contains control characters"
        return ""
    if not multiline:
        text = " ".join(text.split())
    if len(text) > limit:
        problems[field] = f"is longer than {limit} characters"
        return ""
    return text


def _phones(value: object, country: str, problems: dict[str, str]) -> tuple[Number, ...]:
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        items: list[object] = [p for chunk in value.split(";") for p in chunk.split(",")]
    elif isinstance(value, list | tuple):
        items = list(value)
    else:
        problems["phones"] = "must be a list of numbers"
        return ()
    out: list[Number] = []
    for item in items:
        if not isinstance(item, str):
            problems["phones"] = "must be a list of numbers"
            return ()
        if not item.strip():
            continue
        try:
            number = normalize(item, country)
        except InvalidNumber:
            problems["phones"] = f"not a phone number: {item[:40]!r}"
            return ()
        if all(n.canonical != number.canonical for n in out):
            out.append(number)
    if len(out) > MAX_PHONES:
        problems["phones"] = f"at most {MAX_PHONES} numbers"
        return ()
    return tuple(out)


def validate(fields: Mapping[str, object], country: str, contact_id: int | None = None,
             source: str = "") -> Contact:
    """The contact `fields` describe (name, company, phones, email, responsible_ext,
    note, crm_url), checked and normalised; raises ContactInvalid listing every problem."""
    problems: dict[str, str] = {}
    name = _clean(fields.get("name"), "name", MAX_NAME, problems)
    if not name and "name" not in problems:
        problems["name"] = "a contact needs a name"
    company = _clean(fields.get("company"), "company", MAX_COMPANY, problems)
    email = _clean(fields.get("email"), "email", MAX_EMAIL, problems)
    if email and not _EMAIL.match(email):
        problems["email"] = "is not an e-mail address"
    responsible = _clean(fields.get("responsible_ext"), "responsible_ext", 64, problems)
    if responsible and not valid_extension(responsible):
        problems["responsible_ext"] = "is not an extension"
    note = _clean(fields.get("note"), "note", MAX_NOTE, problems, multiline=True)
    crm_url = _clean(fields.get("crm_url"), "crm_url", MAX_URL, problems)
    if crm_url and not crm_url_allowed(crm_url):
        problems["crm_url"] = "must be an http(s):// or e1c:// link"
    phones = _phones(fields.get("phones"), country, problems)
    if problems:
        raise ContactInvalid(problems)
    return Contact(contact_id, name, company, phones, email, responsible, note, crm_url,
                   source)
