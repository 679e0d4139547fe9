"""The desktop API under `/api/v1` (SPEC §9.2), bearer-token authenticated.

A token sees only its own user's journal; the address book is the company's, shared.
Errors come from the catalogue (core/errors.py) and are declared per route.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request, Response

from trubka.core.contacts import Contact, ContactInvalid, validate
from trubka.core.errors import (
    InvalidNumber,
    InvalidRequest,
    NotConfigured,
    NotFound,
    NotSupported,
    ProviderError,
)
from trubka.core.numbers import InvalidNumber as NotANumber
from trubka.core.numbers import Number, display, normalize
from trubka.providers import SPECS
from trubka.relay import outbound
from trubka.relay.deps import CurrentUser, Relay, relay_of
from trubka.relay.errors import responses
from trubka.relay.routes.schemas import (
    ContactIn,
    ContactOut,
    DialIn,
    DialOut,
    Dnd,
    JournalOut,
    LookupOut,
    MeOut,
    NoteIn,
    ProviderOut,
)
from trubka.relay.store import calls, contacts

# Operation ids are the routes' names (`me`, `dial`, …): what a generated client calls.
router = APIRouter(prefix="/api/v1", tags=["desktop"],
                   generate_unique_id_function=lambda route: route.name)

# Contact ids are 32-bit on PostgreSQL (`integer`), 64-bit on SQLite: an id past the
# smaller range cannot exist, and is bad input (422), not a database error (500).
ContactId = Annotated[int, Path(ge=1, le=2**31 - 1)]


async def _contact(relay: Relay, body: ContactIn, contact_id: int | None = None) -> Contact:
    """The contact through the one validation path (core.contacts), in the relay's country."""
    country = (await relay.registry.settings()).default_country
    try:
        return validate(body.model_dump(), country, contact_id)
    except ContactInvalid as exc:
        raise InvalidRequest.fields(exc.problems) from None


async def _number(relay: Relay, text: str) -> Number:
    try:
        return normalize(text, (await relay.registry.settings()).default_country)
    except NotANumber:
        raise InvalidNumber(f"Not a phone number: {text!r}") from None


@router.get("/me", summary="Who this token belongs to, and what the PBX offers",
            responses=responses())
async def me(request: Request, user: CurrentUser) -> MeOut:
    relay = relay_of(request)
    snapshot = await relay.registry.current()
    try:
        provider = snapshot.outbound()
    except NotConfigured:
        info = None
    else:
        spec = SPECS[provider.name]
        info = ProviderOut(name=provider.name, title=spec.title("ru"), titles=dict(spec.titles),
                           dnd=spec.capabilities.dnd)
    return MeOut(name=user.name, ext=user.ext, provider=info,
                 default_country=snapshot.settings.default_country)


@router.get("/contacts", summary="Search the address book (name, company, any part of a number)",
            responses=responses())
async def list_contacts(
    request: Request, user: CurrentUser,
    q: Annotated[str, Query(max_length=200)] = "",
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=2**31)] = 0,
) -> list[ContactOut]:
    relay = relay_of(request)
    country = (await relay.registry.settings()).default_country
    async with relay.store.read() as conn:
        found = await contacts.search(conn, q, limit, offset, country)
    return [ContactOut.of(c) for c in found]


@router.post("/contacts", status_code=201, summary="Create a contact: in the CRM where the "
             "connector can (then `source` names it and `id` is null), else in the book",
             responses=responses(ProviderError))
async def create_contact(request: Request, user: CurrentUser, body: ContactIn) -> ContactOut:
    relay = relay_of(request)
    data = await _contact(relay, body)
    record = await relay.lookups.crm.create_contact(data, await relay.registry.settings())
    return ContactOut.of(record)


@router.get("/contacts/{contact_id}", summary="One contact", responses=responses(NotFound))
async def get_contact(request: Request, user: CurrentUser, contact_id: ContactId) -> ContactOut:
    async with relay_of(request).store.read() as conn:
        record = await contacts.get(conn, contact_id)
    if record is None:
        raise NotFound("No such contact")
    return ContactOut.of(record)


@router.put("/contacts/{contact_id}", summary="Replace a contact", responses=responses(NotFound))
async def put_contact(request: Request, user: CurrentUser, contact_id: ContactId,
                      body: ContactIn) -> ContactOut:
    relay = relay_of(request)
    data = await _contact(relay, body, contact_id)
    async with relay.writer.transaction() as (conn, outbox):
        if not await contacts.update(conn, contact_id, data):
            raise NotFound("No such contact")
        record = await contacts.get(conn, contact_id)
        await outbox.contacts(contact_id)
        await relay.lookups.crm.contact_changed(conn)
    assert record is not None
    return ContactOut.of(record)


@router.delete("/contacts/{contact_id}", status_code=204, summary="Delete a contact",
               responses=responses(NotFound))
async def delete_contact(request: Request, user: CurrentUser, contact_id: ContactId) -> Response:
    relay = relay_of(request)
    async with relay.writer.transaction() as (conn, outbox):
        if not await contacts.delete(conn, contact_id):
            raise NotFound("No such contact")
        await outbox.contacts(contact_id)
        await relay.lookups.crm.contact_changed(conn)
    return Response(status_code=204)


@router.get("/lookup", summary="Who a number belongs to (SPEC §6 matching)",
            responses=responses())
async def lookup(request: Request, user: CurrentUser,
                 phone: Annotated[str, Query(max_length=80)]) -> LookupOut:
    number, found = await relay_of(request).lookups.contacts_for(phone)
    if number is None:
        raise InvalidNumber(f"Not a phone number: {phone!r}")
    return LookupOut(phone=number.canonical, display=display(number.canonical),
                     contacts=[ContactOut.of(c) for c in found])


@router.get("/calls", summary="The user's call journal, newest first", responses=responses())
async def journal(
    request: Request, user: CurrentUser,
    filter: Literal["all", "missed", "in", "out"] = "all",
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    before: Annotated[str | None, Query(max_length=64)] = None,
) -> list[JournalOut]:
    async with relay_of(request).store.read() as conn:
        entries = await calls.list_journal(conn, user.id, filter, limit, before)
    return [JournalOut.of(e) for e in entries]


@router.patch("/calls/{entry_id}", summary="Write the note of a journal entry",
              responses=responses(NotFound))
async def patch_call(request: Request, user: CurrentUser,
                     entry_id: Annotated[str, Path(max_length=64)], body: NoteIn) -> JournalOut:
    relay = relay_of(request)
    async with relay.writer.transaction() as (conn, outbox):
        if not await calls.set_note(conn, user.id, entry_id, body.note):
            raise NotFound("No such journal entry")
        entry = await calls.get_entry(conn, user.id, entry_id)
        assert entry is not None
        await outbox.journal(user.id, entry)
    return JournalOut.of(entry)


@router.post("/calls", status_code=202, summary="Click-to-call: the PBX rings you, then them",
             responses=responses(NotConfigured, ProviderError))
async def dial(request: Request, user: CurrentUser, body: DialIn) -> DialOut:
    relay = relay_of(request)
    number = await _number(relay, body.phone)
    provider, result = await outbound.dial(relay, user, number)
    return DialOut(status="dialing", provider=provider, phone=number.canonical,
                   provider_call_id=result.provider_call_id)


@router.get("/dnd", summary="Do-not-disturb state, where the PBX supports it",
            responses=responses(NotConfigured, NotSupported, ProviderError))
async def get_dnd(request: Request, user: CurrentUser) -> Dnd:
    return Dnd(dnd=await outbound.get_dnd(relay_of(request), user))


@router.put("/dnd", summary="Turn do-not-disturb on or off",
            responses=responses(NotConfigured, NotSupported, ProviderError))
async def put_dnd(request: Request, user: CurrentUser, body: Dnd) -> Dnd:
    return Dnd(dnd=await outbound.set_dnd(relay_of(request), user, body.dnd))
