"""The desktop API under `/api/v1` (SPEC §9.2), bearer-token authenticated.

A token sees only its own user's journal; the address book is the company's, shared.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request, Response
from pydantic import BaseModel, Field

from trubka.core.contacts import Contact, ContactInvalid, validate
from trubka.core.numbers import InvalidNumber, display, normalize
from trubka.core.protocol import journal_to_dict
from trubka.providers import SPECS
from trubka.providers.base import PbxUser
from trubka.relay.deps import CurrentUser, relay_of
from trubka.relay.service import Log
from trubka.relay.store import calls, contacts, settings

router = APIRouter(prefix="/api/v1", tags=["desktop"])



class ContactIn(BaseModel):
    name: str = Field(min_length=1, max_length=300)
    company: str = Field("", max_length=300)
    phones: list[str] = Field(default_factory=list, max_length=20)
    email: str = Field("", max_length=300)
    responsible_ext: str = Field("", max_length=64)
    note: str = Field("", max_length=10_000)
    crm_url: str = Field("", max_length=2000)



async def _input(request: Request, body: ContactIn, contact_id: int | None = None) -> Contact:
    """The contact through the one validation path (core.contacts), in the relay's country."""
    relay = relay_of(request)
    async with relay.store.read() as conn:
        country = (await settings.load(conn)).default_country
    try:
        return validate(body.model_dump(), country, contact_id)
    except ContactInvalid as exc:
        raise HTTPException(422, str(exc)) from None


@router.get("/me", summary="Who this token belongs to, and what the PBX offers")
async def me(request: Request, user: CurrentUser) -> dict[str, Any]:
    relay = relay_of(request)
    try:
        provider = await relay.service.outbound_provider()
        spec = SPECS[provider.name]
        provider_info: dict[str, Any] | None = {"name": provider.name, "title": spec.title("ru"),
                                                "titles": dict(spec.titles),
                                                "dnd": provider.supports_dnd}
    except Exception:
        provider_info = None
    async with relay.store.read() as conn:
        rt = await settings.load(conn)
    return {"name": user.name, "ext": user.ext, "provider": provider_info,
            "default_country": rt.default_country}


@router.get("/contacts", summary="Search the address book (name, company, any part of a number)")
async def list_contacts(
    request: Request, user: CurrentUser,
    q: Annotated[str, Query(max_length=200)] = "",
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[dict[str, object]]:
    async with relay_of(request).store.read() as conn:
        country = (await settings.load(conn)).default_country
        found = await contacts.search(conn, q, limit, offset, country)
    return [c.to_dict() for c in found]


@router.post("/contacts", status_code=201, summary="Create a contact")
async def create_contact(request: Request, user: CurrentUser, body: ContactIn) -> dict[str, object]:
    relay = relay_of(request)
    data = await _input(request, body)
    async with relay.store.write() as conn:
        contact_id = await contacts.create(conn, data)
        record = await contacts.get(conn, contact_id)
        log_ = await relay.service.contacts_changed(conn, contact_id)
    await relay.service.publish(log_.pending)
    assert record is not None
    return record.to_dict()


@router.get("/contacts/{contact_id}", summary="One contact")
async def get_contact(request: Request, user: CurrentUser, contact_id: int) -> dict[str, object]:
    async with relay_of(request).store.read() as conn:
        record = await contacts.get(conn, contact_id)
    if record is None:
        raise HTTPException(404, "No such contact")
    return record.to_dict()


@router.put("/contacts/{contact_id}", summary="Replace a contact")
async def put_contact(
    request: Request, user: CurrentUser, contact_id: int, body: ContactIn
) -> dict[str, object]:
    relay = relay_of(request)
    data = await _input(request, body)
    async with relay.store.write() as conn:
        if not await contacts.update(conn, contact_id, data):
            raise HTTPException(404, "No such contact")
        record = await contacts.get(conn, contact_id)
        log_ = await relay.service.contacts_changed(conn, contact_id)
    await relay.service.publish(log_.pending)
    assert record is not None
    return record.to_dict()


@router.delete("/contacts/{contact_id}", status_code=204, summary="Delete a contact")
async def delete_contact(request: Request, user: CurrentUser, contact_id: int) -> Response:
    relay = relay_of(request)
    async with relay.store.write() as conn:
        if not await contacts.delete(conn, contact_id):
            raise HTTPException(404, "No such contact")
        log_ = await relay.service.contacts_changed(conn, contact_id)
    await relay.service.publish(log_.pending)
    return Response(status_code=204)


@router.get("/lookup", summary="Who a number belongs to (SPEC §6 matching)")
async def lookup(
    request: Request, user: CurrentUser, phone: Annotated[str, Query(max_length=80)]
) -> dict[str, object]:
    number, found = await relay_of(request).service.lookup_number(phone)
    if number is None:
        raise HTTPException(422, f"Not a phone number: {phone!r}")
    return {"phone": number.canonical, "display": display(number.canonical),
            "contacts": [c.to_dict() for c in found]}


@router.get("/calls", summary="The user's call journal, newest first")
async def journal(
    request: Request, user: CurrentUser,
    filter: Literal["all", "missed", "in", "out"] = "all",
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    before: Annotated[str | None, Query(max_length=64)] = None,
) -> list[dict[str, object]]:
    async with relay_of(request).store.read() as conn:
        entries = await calls.list_journal(conn, user.id, filter, limit, before)
    return [journal_to_dict(e) for e in entries]


class NoteIn(BaseModel):
    note: str = Field(max_length=10_000)


@router.patch("/calls/{entry_id}", summary="Write the note of a journal entry")
async def patch_call(
    request: Request, user: CurrentUser, entry_id: str, body: NoteIn
) -> dict[str, object]:
    relay = relay_of(request)
    async with relay.store.write() as conn:
        if not await calls.set_note(conn, user.id, entry_id, body.note):
            raise HTTPException(404, "No such journal entry")
        entry = await calls.get_entry(conn, user.id, entry_id)
        assert entry is not None
        log_ = Log(conn)
        await log_.journal(user.id, entry)
    await relay.service.publish(log_.pending)
    return journal_to_dict(entry)


class DialIn(BaseModel):
    phone: str = Field(min_length=1, max_length=80)


@router.post("/calls", status_code=202, summary="Click-to-call: the PBX rings you, then them")
async def dial(request: Request, user: CurrentUser, body: DialIn) -> dict[str, object]:
    relay = relay_of(request)
    async with relay.store.read() as conn:
        country = (await settings.load(conn)).default_country
    try:
        number = normalize(body.phone, country)
    except InvalidNumber:
        raise HTTPException(422, f"Not a phone number: {body.phone!r}") from None
    provider, result = await relay.service.dial(user, number)
    return {"status": "dialing", "provider": provider, "phone": number.canonical,
            "provider_call_id": result.provider_call_id}


class DndIn(BaseModel):
    dnd: bool


@router.get("/dnd", summary="Do-not-disturb state, where the PBX supports it")
async def get_dnd(request: Request, user: CurrentUser) -> dict[str, bool]:
    provider = await relay_of(request).service.outbound_provider()
    return {"dnd": await provider.get_dnd(PbxUser(user.ext, user.pbx_user))}


@router.put("/dnd", summary="Turn do-not-disturb on or off")
async def put_dnd(request: Request, user: CurrentUser, body: DndIn) -> dict[str, bool]:
    provider = await relay_of(request).service.outbound_provider()
    return {"dnd": await provider.set_dnd(PbxUser(user.ext, user.pbx_user), body.dnd)}
