"""The desktop API's wire shapes (SPEC §9.2), declared for `/openapi.json`.

Validation of a contact's content is `core.contacts.validate` (the one path every way
in shares); these models give its shape, its size limits and the documented types.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from trubka.core.contacts import MAX_NAME, MAX_NOTE, MAX_PHONES, MAX_URL, Contact
from trubka.core.model import JournalEntry
from trubka.core.protocol import journal_to_dict


class Strict(BaseModel):
    """A request body taken exactly as documented: `0` is not `false`, `1` not `"1"`."""

    model_config = ConfigDict(strict=True)


class ContactIn(Strict):
    name: str = Field(max_length=MAX_NAME)
    company: str = Field("", max_length=300)
    phones: list[str] = Field(default_factory=list, max_length=MAX_PHONES)
    email: str = Field("", max_length=300)
    responsible_ext: str = Field("", max_length=64)
    note: str = Field("", max_length=MAX_NOTE)
    crm_url: str = Field("", max_length=MAX_URL)


class ContactOut(BaseModel):
    id: int | None
    name: str
    company: str
    phones: list[str] = Field(description="E.164 where the number is valid, else digits")
    phones_raw: list[str] = Field(description="each number as it was written")
    email: str
    responsible_ext: str
    note: str
    crm_url: str
    source: str = Field("", description='"" for the address book, else the CRM connector')

    @classmethod
    def of(cls, contact: Contact) -> ContactOut:
        return cls.model_validate(contact.to_dict())


class ProviderOut(BaseModel):
    name: str
    title: str
    titles: dict[str, str]
    dnd: bool


class MeOut(BaseModel):
    name: str
    ext: str
    provider: ProviderOut | None
    default_country: str


class LookupOut(BaseModel):
    phone: str
    display: str
    contacts: list[ContactOut]


class JournalOut(BaseModel):
    id: str
    call_id: str
    direction: Literal["in", "out"]
    status: str
    phone: str
    phone_raw: str
    contact: ContactOut | None
    started_at: str | None
    duration: int
    recording_url: str
    note: str

    @classmethod
    def of(cls, entry: JournalEntry) -> JournalOut:
        data: dict[str, Any] = journal_to_dict(entry)
        return cls.model_validate(data)


class NoteIn(Strict):
    note: str = Field(max_length=MAX_NOTE)


class DialIn(Strict):
    phone: str = Field(min_length=1, max_length=80)


class DialOut(BaseModel):
    status: Literal["dialing"]
    provider: str
    phone: str
    provider_call_id: str


class Dnd(Strict):
    dnd: bool
