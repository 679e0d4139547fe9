"""One-click enrolment: a link per employee, exchanged once by their app for a token."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from trubka.core.errors import Conflict, InvalidRequest
from trubka.core.model import utcnow
from trubka.relay.admin.context import Admin
from trubka.relay.admin.users import _existing
from trubka.relay.store import enrollments, settings, users
from trubka.relay.store.users import User

DEFAULT_EXPIRY = timedelta(days=7)
MAX_EXPIRY = timedelta(days=90)
_DURATION = re.compile(r"^(\d{1,4})([mhd])$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days"}


def parse_expiry(text: str) -> timedelta:
    """`30m`, `12h`, `7d` (up to 90 days)."""
    match = _DURATION.match(text.strip().lower())
    if not match:
        raise InvalidRequest("expires must look like 30m, 12h or 7d",
                             [{"field": "expires", "message": "30m, 12h or 7d"}])
    value = timedelta(**{_UNITS[match[2]]: int(match[1])})
    if not timedelta(minutes=1) <= value <= MAX_EXPIRY:
        raise InvalidRequest("expires must be between 1 minute and 90 days",
                             [{"field": "expires", "message": "1m to 90d"}])
    return value


@dataclass(frozen=True, slots=True)
class Enrollment:
    user: User
    link: str
    expires_at: datetime


def link_for(public_url: str, code: str) -> str:
    """The page behind it serves the relay's enrolment page; the code travels in the
    fragment, which browsers never send, so it stays out of every server's log."""
    return f"{public_url}/enroll#{code}"


async def public_url(admin: Admin) -> str:
    async with admin.store.read() as conn:
        url = (await settings.load(conn)).public_url
    if not url:
        raise Conflict("set the relay's public address first: trubka-relay settings set "
                       "public-url https://relay.example.ru")
    return url


async def enroll(admin: Admin, ext: str, expires: timedelta = DEFAULT_EXPIRY,
                 revoke_others: bool = False) -> Enrollment:
    """A one-time link for the employee with `ext`. Redeeming it adds a device; with
    `revoke_others`, it also signs out the employee's other devices."""
    base = await public_url(admin)
    expires_at = utcnow() + expires
    async with admin.writer.transaction() as (conn, _):
        user = await _existing(conn, ext)
        code = await enrollments.create(conn, user.id, expires_at, revoke_others)
    return Enrollment(user, link_for(base, code), expires_at)


async def enroll_many(admin: Admin, exts: list[str],
                      expires: timedelta = DEFAULT_EXPIRY) -> list[Enrollment]:
    """One link per employee, in one transaction (`users import --enroll`)."""
    base = await public_url(admin)
    expires_at = utcnow() + expires
    out = []
    async with admin.writer.transaction() as (conn, _):
        for ext in exts:
            user = await _existing(conn, ext)
            code = await enrollments.create(conn, user.id, expires_at)
            out.append(Enrollment(user, link_for(base, code), expires_at))
    return out


@dataclass(frozen=True, slots=True)
class Redeemed:
    user: User
    token: str
    relay: str


async def redeem(admin: Admin, code: str) -> Redeemed:
    """Exchange a code for a new token of its employee (once)."""
    async with admin.writer.transaction() as (conn, _):
        used = await enrollments.redeem(conn, code)
        user = await users.user_by_id(conn, used.user_id)
        token, token_id = await users.issue_token_with_id(conn, used.user_id)
        if used.revoke_others:
            await users.revoke_tokens(conn, used.user_id, keep=token_id)
        relay = (await settings.load(conn)).public_url
    return Redeemed(user, token, relay)
