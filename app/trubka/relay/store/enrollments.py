"""One-time enrolment codes: a link an administrator sends, exchanged once for a token.

Codes are 192 random bits, kept only as their SHA-256, single-use and expiring (OWASP's
rules for such links, research/integration-facts.md §6). Redeeming marks the code used
in the same transaction that issues the token, so two devices racing with one link get
one token between them.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from trubka.core.errors import EnrollmentExpired, EnrollmentUnknown, EnrollmentUsed
from trubka.core.model import utcnow
from trubka.relay.store.schema import enrollments

CODE_BYTES = 24  # 32 characters of base64url


def hash_code(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def plausible(code: str) -> bool:
    """A code could have been made here (length and alphabet), before any lookup."""
    return 16 <= len(code) <= 64 and all(c.isalnum() or c in "-_" for c in code)


async def create(conn: AsyncConnection, user_id: int, expires_at: datetime,
                 revoke_others: bool = False) -> str:
    code = secrets.token_urlsafe(CODE_BYTES)
    await conn.execute(enrollments.insert().values(
        user_id=user_id, code_hash=hash_code(code), created_at=utcnow(),
        expires_at=expires_at, revoke_others=revoke_others))
    return code


@dataclass(frozen=True, slots=True)
class Redeemed:
    user_id: int
    revoke_others: bool


async def _valid(conn: AsyncConnection, code: str, lock: bool = False) -> sa.Row[Any]:
    if not plausible(code):
        raise EnrollmentUnknown()
    query = sa.select(enrollments).where(enrollments.c.code_hash == hash_code(code))
    row = (await conn.execute(query.with_for_update() if lock else query)).first()
    if row is None:
        raise EnrollmentUnknown()
    if row.used_at is not None:
        raise EnrollmentUsed()
    if row.expires_at <= utcnow():
        raise EnrollmentExpired()
    return row


async def check(conn: AsyncConnection, code: str) -> tuple[int, datetime]:
    """Whose code this is and until when, without using it up (the enrolment page)."""
    row = await _valid(conn, code)
    return int(row.user_id), row.expires_at


async def redeem(conn: AsyncConnection, code: str) -> Redeemed:
    """Use `code` up; raises EnrollmentUnknown, EnrollmentUsed or EnrollmentExpired."""
    row = await _valid(conn, code, lock=True)
    result = await conn.execute(enrollments.update().where(
        enrollments.c.id == row.id, enrollments.c.used_at.is_(None)).values(used_at=utcnow()))
    if not result.rowcount:  # another replica redeemed it a moment ago
        raise EnrollmentUsed()
    return Redeemed(int(row.user_id), bool(row.revoke_others))
