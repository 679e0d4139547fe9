"""The admin API under `/api/v1/admin` (SPEC §9.5): thin wrappers over the admin layer
(`relay.admin`), for the console and for scripts. Every route needs an administrator's
token or session (403 for anyone else); cookie-authenticated writes need the CSRF token.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from trubka.core.errors import Conflict, Forbidden, InvalidRequest, NotFound, UnknownProvider
from trubka.relay import addressbook, admin
from trubka.relay.admin import merge, overview
from trubka.relay.deps import Relay, current_admin, relay_of
from trubka.relay.errors import responses
from trubka.relay.hookstatus import TEST_HEADER
from trubka.relay.routes import admin_schemas as s
from trubka.relay.web.qr import qr_svg

router = APIRouter(prefix="/api/v1/admin", tags=["admin"],
                   dependencies=[Depends(current_admin)], responses=responses(Forbidden))
Ext = Annotated[str, Path(min_length=1, max_length=32)]
SAMPLE = 20


def connected(relay: Relay) -> dict[int, int]:
    """Devices connected to this process now, per user (console feeds not counted)."""
    out: dict[int, int] = {}
    for sub in relay.hub.subscribers:
        if sub.token_id is not None:
            out[sub.user_id] = out.get(sub.user_id, 0) + 1
    return out


async def user_rows(relay: Relay) -> list[s.UserOut]:
    now = connected(relay)
    return [s.UserOut.of(row, now.get(row.user.id, 0))
            for row in await admin.list_users(relay.admin)]


async def _one(relay: Relay, ext: str) -> s.UserOut:
    for row in await user_rows(relay):
        if row.ext == ext:
            return row
    raise NotFound(f"no employee with extension {ext}")


@router.get("/users", summary="Employees, their devices and when each was last seen")
async def list_users(request: Request) -> list[s.UserOut]:
    return await user_rows(relay_of(request))


@router.post("/users", status_code=201, summary="Add an employee (the token is shown once)",
             responses=responses(Conflict))
async def add_user(request: Request, body: s.UserIn) -> s.UserAdded:
    relay = relay_of(request)
    user, token = await admin.add_user(relay.admin, body.name, body.ext, body.pbx_user,
                                       body.email, body.role)
    return s.UserAdded(user=await _one(relay, user.ext), token=token)


@router.post("/users/import", summary="Create or update employees from CSV "
             "(name, ext, pbx_user, email, role)")
async def import_users(request: Request, body: s.CsvIn) -> s.ImportedUsers:
    relay = relay_of(request)
    done = await admin.import_users(relay.admin, admin.parse_users_csv(body.csv))
    return s.ImportedUsers(created=[u.ext for u, new in done if new],
                           updated=[u.ext for u, new in done if not new])


@router.get("/users/{ext}", summary="One employee", responses=responses(NotFound))
async def get_user(request: Request, ext: Ext) -> s.UserOut:
    return await _one(relay_of(request), ext)


@router.patch("/users/{ext}", summary="Change an employee's name, role, e-mail or PBX login",
              responses=responses(NotFound))
async def patch_user(request: Request, ext: Ext, body: s.UserPatch) -> s.UserOut:
    relay = relay_of(request)
    await admin.update(relay.admin, ext, name=body.name, role=body.role, email=body.email,
                       pbx_user=body.pbx_user)
    return await _one(relay, ext)


@router.delete("/users/{ext}", summary="Revoke every device of an employee",
               responses=responses(NotFound))
async def revoke_user(request: Request, ext: Ext) -> s.Revoked:
    return s.Revoked(revoked=await admin.revoke(relay_of(request).admin, ext))


@router.post("/users/{ext}/enroll", summary="A one-time enrolment link (and its QR code)",
             responses=responses(NotFound, Conflict))
async def enroll_user(request: Request, ext: Ext, body: s.EnrollIn) -> s.EnrollLinkOut:
    relay = relay_of(request)
    made = await admin.enroll(relay.admin, ext, admin.parse_expiry(body.expires),
                              body.revoke_others)
    return s.EnrollLinkOut(link=made.link, expires_at=made.expires_at, qr_svg=qr_svg(made.link))


async def statuses(relay: Relay, request: Request) -> list[s.ProviderStatusOut]:
    found = await overview.provider_statuses(relay.admin, str(request.base_url),
                                             relay.webhook_status.merged)
    return [s.ProviderStatusOut.of(status) for status in found]


@router.get("/providers", summary="Every PBX: configured, webhook URL, last webhook and error")
async def providers(request: Request) -> list[s.ProviderStatusOut]:
    return await statuses(relay_of(request), request)


@router.put("/providers/{name}", summary="Set a PBX's options (secrets are write-only)",
            responses=responses(UnknownProvider))
async def put_provider(request: Request, name: Annotated[str, Path(max_length=40)],
                       body: s.ProviderIn) -> s.ProviderSavedOut:
    relay = relay_of(request)
    saved = await admin.set_provider(relay.admin, name, body.options, rotate=body.rotate,
                                     environ={})
    shown = [p for p in await statuses(relay, request) if p.name == name]
    return s.ProviderSavedOut(provider=shown[0], generated=saved.generated)


def own_address(request: Request) -> str:
    """This process's own listening address, as the request reached it."""
    server = request.scope.get("server")
    if not server or server[1] is None:
        raise Conflict("the relay's own address is unknown (a Unix socket)")
    host = server[0] if ":" not in server[0] else f"[{server[0]}]"
    return f"http://{host}:{server[1]}"


@router.post("/providers/{name}/test-call", summary="Play a test call to an extension "
             "through this relay's real webhook path", responses=responses(
                 UnknownProvider, NotFound, Conflict))
async def test_call(request: Request, name: Annotated[str, Path(max_length=40)],
                    body: s.TestCallIn) -> s.TestCallOut:
    relay = relay_of(request)
    played = await overview.test_call(relay.admin, name, body.ext, own_address(request),
                                      {TEST_HEADER: relay.webhook_status.test_key},
                                      body.ring_seconds)
    return s.TestCallOut(provider=played.provider, ext=played.ext, phone=played.phone,
                         status=played.status, reply=played.reply,
                         ok=200 <= played.status < 300)


async def setting_rows(relay: Relay) -> list[s.SettingOut]:
    return [s.SettingOut(key=spec.key, help=spec.help, default=spec.default, value=value)
            for spec, value in await admin.setting_values(relay.admin)]


@router.get("/settings", summary="The relay's runtime settings")
async def get_settings(request: Request) -> list[s.SettingOut]:
    return await setting_rows(relay_of(request))


@router.put("/settings", summary="Change settings (all checked first, written together)")
async def put_settings(request: Request, body: s.SettingsIn) -> list[s.SettingOut]:
    relay = relay_of(request)
    await admin.set_settings(relay.admin, body.values)
    return await setting_rows(relay)


@router.get("/calls/live", summary="Calls in progress across all employees")
async def live(request: Request) -> list[s.LiveCallOut]:
    return [s.LiveCallOut.of(user, call)
            for user, call in await overview.live_calls(relay_of(request).admin)]


@router.get("/journal", summary="The journal of every employee, filtered; CSV with format=csv",
            response_model=list[s.JournalRowOut],
            responses={200: {"content": {"text/csv": {}}}})
async def journal(
    request: Request,
    ext: Annotated[str, Query(max_length=32)] = "",
    filter: Literal["all", "missed", "in", "out"] = "all",
    since: datetime | None = None, until: datetime | None = None,
    phone: Annotated[str, Query(max_length=40)] = "",
    limit: Annotated[int, Query(ge=1, le=10_000)] = 100,
    before: Annotated[str, Query(max_length=64)] = "",
    format: Literal["json", "csv"] = "json",
) -> Response | list[s.JournalRowOut]:
    query = overview.JournalQuery(ext, filter, since, until, phone, limit, before)
    rows = await overview.journal(relay_of(request).admin, query)
    if format == "csv":
        return Response(overview.journal_csv(rows), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="journal.csv"'})
    return [s.JournalRowOut.of(user, entry) for user, entry in rows]


@router.post("/contacts/import", summary="Import CSV or vCard contacts (preview first; "
             "duplicates merged)")
async def import_contacts(request: Request, body: s.ContactsImportIn) -> s.ContactsImportOut:
    relay = relay_of(request)
    work = merge.preview if body.preview else merge.apply
    try:
        plan = await work(relay.admin, body.text, body.format)
    except addressbook.ImportRefused as exc:
        raise InvalidRequest(f"{len(exc.problems)} problem(s) in the file", [
            {"field": p.where, "message": p.reason} for p in exc.problems[:100]]) from None
    merges = [s.MergedOut(id=before.id or 0, name=before.name,
                          before=[p.canonical for p in before.phones],
                          after=[p.canonical for p in after.phones])
              for before, after in plan.merged[:SAMPLE]]
    return s.ContactsImportOut(new=len(plan.new), merged=len(plan.merged),
                               sample=[c.to_dict() for c in plan.new[:SAMPLE]],
                               merges=merges, imported=not body.preview)


@router.get("/contacts/export", summary="The address book as CSV or vCard",
            response_class=Response, responses={200: {"content": {"text/csv": {},
                                                                  "text/vcard": {}}}})
async def export_contacts(request: Request,
                          format: Literal["csv", "vcard"] = "csv") -> Response:
    text, _count = await admin.export_contacts(relay_of(request).admin, format == "vcard")
    kind, name = ("text/vcard", "contacts.vcf") if format == "vcard" else ("text/csv",
                                                                          "contacts.csv")
    return Response(text, media_type=f"{kind}; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
