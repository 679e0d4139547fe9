"""The admin API's wire shapes (SPEC §9.5), declared for `/openapi.json`."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from trubka.core.model import Call, JournalEntry
from trubka.core.protocol import call_to_dict, journal_to_dict
from trubka.relay.admin.overview import ProviderStatus
from trubka.relay.store.users import User, UserRow

Role = Literal["user", "admin"]


class UserOut(BaseModel):
    name: str
    ext: str
    role: str
    email: str
    pbx_user: str
    active_tokens: int = Field(description="devices signed in (tokens not revoked)")
    last_seen: datetime | None = Field(description="a device's last connect or disconnect")
    connected: int = Field(description="sockets open to this relay process now")
    logins: dict[str, str] = Field(description="the user's login at each PBX, where recorded")

    @classmethod
    def of(cls, row: UserRow, connected: int) -> UserOut:
        u = row.user
        return cls(name=u.name, ext=u.ext, role=u.role, email=u.email, pbx_user=u.pbx_user,
                   active_tokens=row.active_tokens, last_seen=row.last_seen,
                   connected=connected, logins=row.logins)


class UserIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    ext: str = Field(min_length=1, max_length=32)
    pbx_user: str = Field("", max_length=200)
    email: str = Field("", max_length=300)
    role: Role = "user"


class UserAdded(BaseModel):
    user: UserOut
    token: str = Field(description="the first device token, shown once")


class UserPatch(BaseModel):
    name: str | None = Field(None, min_length=1, max_length=200)
    role: Role | None = None
    email: str | None = Field(None, max_length=300)
    pbx_user: str | None = Field(None, max_length=200)


class CsvIn(BaseModel):
    csv: str = Field(max_length=5_000_000, description="name, ext, pbx_user, email, role")


class ImportedUsers(BaseModel):
    created: list[str]
    updated: list[str]


class Revoked(BaseModel):
    revoked: int = Field(description="tokens revoked; their sockets close within a second")


class EnrollIn(BaseModel):
    expires: str = Field("7d", max_length=8, description="30m, 12h or 7d (up to 90d)")
    revoke_others: bool = False


class EnrollLinkOut(BaseModel):
    link: str
    expires_at: datetime
    qr_svg: str = Field(description="the link as a QR code (SVG)")


class OptionOut(BaseModel):
    name: str
    help: str
    secret: bool
    value: str = Field(description="secrets masked")


class ProviderStatusOut(BaseModel):
    name: str
    title: str
    titles: dict[str, str]
    configured: bool
    health: Literal["ok", "error", "waiting", "off"]
    webhook_url: str = Field(description="paste this into the PBX's web cabinet")
    guide: str
    options: list[OptionOut]
    last_webhook_at: str | None
    last_outcome: str | None
    last_error_at: str | None
    last_error: str | None
    background: dict[str, Any] = Field(description="its background task's status, if any")

    @classmethod
    def of(cls, status: ProviderStatus) -> ProviderStatusOut:
        view, spec, hook = status.view, status.view.spec, status.webhook
        options = [OptionOut(name=o.name, help=o.help, secret=o.secret,
                             value=view.options.get(o.name, "")) for o in spec.options]
        return cls(name=view.name, title=spec.title("ru"), titles=dict(spec.titles),
                   configured=view.configured, health=status.health,  # type: ignore[arg-type]
                   webhook_url=status.webhook_url, guide=spec.guide, options=options,
                   last_webhook_at=_text(hook.get("last_webhook_at")),
                   last_outcome=_text(hook.get("last_outcome")),
                   last_error_at=_text(hook.get("last_error_at")),
                   last_error=_text(hook.get("last_error")), background=dict(view.status))


def _text(value: object) -> str | None:
    return str(value) if value else None


class ProviderIn(BaseModel):
    options: dict[str, str] = Field(
        description="option → value; an empty or missing secret keeps its stored value")
    rotate: bool = Field(False, description="make a new generated secret (webhook token)")


class ProviderSavedOut(BaseModel):
    provider: ProviderStatusOut
    generated: dict[str, str] = Field(description="secrets made now, shown once")


class TestCallIn(BaseModel):
    ext: str = Field(min_length=1, max_length=32)
    ring_seconds: int = Field(20, ge=1, le=300)


class TestCallOut(BaseModel):
    provider: str
    ext: str
    phone: str
    status: int = Field(description="the relay's reply to the simulated webhook")
    reply: str
    ok: bool


class SettingOut(BaseModel):
    key: str
    help: str
    default: str
    value: str


class SettingsIn(BaseModel):
    values: dict[str, str]


class CallUser(BaseModel):
    name: str
    ext: str


class LiveCallOut(BaseModel):
    user: CallUser
    call: dict[str, Any] = Field(description="as in a `call` frame (protocol.md)")

    @classmethod
    def of(cls, user: User, call: Call) -> LiveCallOut:
        return cls(user=CallUser(name=user.name, ext=user.ext), call=call_to_dict(call))


class JournalRowOut(BaseModel):
    user: CallUser
    entry: dict[str, Any] = Field(description="as in a `journal` frame (protocol.md)")

    @classmethod
    def of(cls, user: User, entry: JournalEntry) -> JournalRowOut:
        return cls(user=CallUser(name=user.name, ext=user.ext), entry=journal_to_dict(entry))


class ContactsImportIn(BaseModel):
    format: Literal["csv", "vcard"] = "csv"
    text: str = Field(max_length=20_000_000)
    preview: bool = Field(True, description="true: only say what would happen")


class MergedOut(BaseModel):
    id: int
    name: str
    before: list[str]
    after: list[str]


class ContactsImportOut(BaseModel):
    new: int
    merged: int
    sample: list[dict[str, Any]] = Field(description="the first new contacts")
    merges: list[MergedOut] = Field(description="the first contacts that would be merged")
    imported: bool
