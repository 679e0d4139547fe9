"""Employees: add, list, change, revoke, import, and map to PBX accounts."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

from trubka.core.errors import Conflict, InvalidRequest, NotFound
from trubka.core.numbers import valid_extension
from trubka.providers import SPECS
from trubka.providers.base import PbxAccount
from trubka.relay.admin.context import Admin
from trubka.relay.store import settings, users
from trubka.relay.store.users import ROLES, User, UserRow

MAX_NAME = 200


def _checked(name: str, ext: str, email: str = "", role: str = "user") -> tuple[str, str]:
    name, ext = " ".join(name.split()), ext.strip()
    problems = {}
    if not name or len(name) > MAX_NAME or not name.isprintable():
        problems["name"] = f"must be 1 to {MAX_NAME} printable characters"
    if not valid_extension(ext):
        problems["ext"] = "1–32 letters, digits, '.', '_' or '-'"
    if email and ("@" not in email or len(email) > 300 or not email.isprintable()):
        problems["email"] = "is not an e-mail address"
    if role not in ROLES:
        problems["role"] = "user or admin"
    if problems:
        raise InvalidRequest.fields(problems)
    return name, ext


async def add_user(admin: Admin, name: str, ext: str, pbx_user: str = "", email: str = "",
                   role: str = "user") -> tuple[User, str]:
    """A new employee and their first desktop token (shown once)."""
    name, ext = _checked(name, ext, email.strip(), role)
    async with admin.writer.transaction() as (conn, _):
        if await users.user_by_ext(conn, ext) is not None:
            raise Conflict(f"extension {ext} exists (use `users token --ext {ext}`)")
        user = await users.add_user(conn, name, ext, pbx_user.strip(), email.strip(), role)
        token = await users.issue_token(conn, user.id)
    return user, token


async def user(admin: Admin, ext: str) -> User:
    async with admin.store.read() as conn:
        found = await users.user_by_ext(conn, ext)
    if found is None:
        raise NotFound(f"no employee with extension {ext}")
    return found


async def list_users(admin: Admin) -> list[UserRow]:
    async with admin.store.read() as conn:
        return await users.list_users(conn)


async def issue_token(admin: Admin, ext: str) -> tuple[User, str]:
    async with admin.writer.transaction() as (conn, _):
        found = await _existing(conn, ext)
        return found, await users.issue_token(conn, found.id)


async def revoke(admin: Admin, ext: str) -> int:
    """Revoke every token of the employee; their open sockets close within a second."""
    async with admin.writer.transaction() as (conn, _):
        return await users.revoke_tokens(conn, (await _existing(conn, ext)).id)


async def update(admin: Admin, ext: str, *, name: str | None = None,
                 role: str | None = None, email: str | None = None,
                 pbx_user: str | None = None) -> User:
    async with admin.writer.transaction() as (conn, _):
        found = await _existing(conn, ext)
        _checked(name if name is not None else found.name, ext,
                 email.strip() if email is not None else "", role or found.role)
        values = {k: v.strip() for k, v in (("name", name), ("role", role), ("email", email),
                                            ("pbx_user", pbx_user)) if v is not None}
        if not values:
            return found
        return await users.update_user(conn, found.id, **values)  # marks the change


async def _existing(conn: object, ext: str) -> User:
    found = await users.user_by_ext(conn, ext)  # type: ignore[arg-type]
    if found is None:
        raise NotFound(f"no employee with extension {ext}")
    return found


@dataclass(frozen=True, slots=True)
class ImportRow:
    line: int
    name: str
    ext: str
    pbx_user: str
    email: str
    role: str


def parse_users_csv(text: str) -> list[ImportRow]:
    """`name, ext, pbx_user, email, role` (header required; ext and name required);
    every row is checked before anything is written."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    if not {"name", "ext"} <= set(header):
        raise InvalidRequest("the CSV needs a header with at least name and ext",
                             [{"field": "line 1", "message": "no name or ext column"}])
    reader.fieldnames = header
    rows: list[ImportRow] = []
    problems: dict[str, str] = {}
    seen: set[str] = set()
    for record in reader:
        where = f"line {reader.line_num}"
        values = {k: (v or "").strip() for k, v in record.items() if k}
        role = values.get("role") or "user"
        try:
            name, ext = _checked(values.get("name", ""), values.get("ext", ""),
                                 values.get("email", ""), role)
        except InvalidRequest as exc:
            problems[where] = str(exc)
            continue
        if ext in seen:
            problems[where] = f"extension {ext} appears twice"
            continue
        seen.add(ext)
        rows.append(ImportRow(reader.line_num, name, ext, values.get("pbx_user", ""),
                              values.get("email", ""), role))
    if problems:
        raise InvalidRequest.fields(problems)
    return rows


async def import_users(admin: Admin, rows: Sequence[ImportRow]) -> list[tuple[User, bool]]:
    """Create or update each employee in one transaction; (user, created) per row."""
    out: list[tuple[User, bool]] = []
    async with admin.writer.transaction() as (conn, _):
        for row in rows:
            found = await users.user_by_ext(conn, row.ext)
            if found is None:
                created = await users.add_user(conn, row.name, row.ext, row.pbx_user,
                                               row.email, row.role)
                out.append((created, True))
            else:
                out.append((await users.update_user(
                    conn, found.id, name=row.name, pbx_user=row.pbx_user, email=row.email,
                    role=row.role), False))
    return out


async def sync_users(admin: Admin, provider: str = "") -> list[tuple[PbxAccount, User | None]]:
    """Map the PBX's accounts to employees by extension, recording each login for that
    PBX; `provider` defaults to the configured one that can list its users."""
    async with admin.store.read() as conn:
        configs = dict(await settings.provider_configs(conn))
    listing = [n for n in configs if n in SPECS and SPECS[n].capabilities.accounts]
    name = provider or (listing[0] if listing else "")
    if name not in configs:
        raise Conflict(f"{name or 'no PBX that lists its users'} is not configured")
    accounts = await SPECS[name].build(configs[name], admin.http).accounts()
    async with admin.writer.transaction() as (conn, _):
        return [(a, await users.link_account(conn, name, a.ext, a.login)) for a in accounts]
