"""One-click enrolment (SPEC §9.4): the page behind an administrator's link, and the
exchange of its code for a token.

`GET /enroll` serves a page that reads the code from the URL's fragment (never sent to
a server, so it is in no log) and offers the `trubka://enroll?...` link; the app then
posts the code to `POST /api/v1/enroll` once. Wrong codes are throttled per client
address.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path
from typing import Annotated, TypeVar
from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse
from pydantic import BaseModel, Field

from trubka.core.errors import (
    EnrollmentExpired,
    EnrollmentUnknown,
    EnrollmentUsed,
    NotFound,
    RateLimited,
)
from trubka.relay import admin
from trubka.relay.deps import relay_of
from trubka.relay.errors import NO_BEARER, responses
from trubka.relay.store import enrollments, users
from trubka.relay.web.enroll_texts import TEXTS
from trubka.relay.web.pages import render

router = APIRouter(tags=["enrolment"], generate_unique_id_function=lambda route: route.name)
T = TypeVar("T")
CODE_ERRORS = (EnrollmentUnknown, EnrollmentUsed, EnrollmentExpired, RateLimited)


class CodeIn(BaseModel):
    code: Annotated[str, Field(min_length=1, max_length=128)]


class EnrolledUser(BaseModel):
    name: str
    ext: str


class EnrollOut(BaseModel):
    token: str = Field(description="the new device's desktop token (shown once)")
    relay: str = Field(description="the relay's public address")
    user: EnrolledUser


class EnrollStatusOut(BaseModel):
    user: EnrolledUser
    expires_at: datetime


async def _guarded(request: Request, work: Callable[[], Awaitable[T]]) -> T:
    """Run `work`; a refused code counts against the client's address like a wrong
    token (relay/gate.py throttles the address and answers 429)."""
    try:
        return await work()
    except (EnrollmentUnknown, EnrollmentUsed, EnrollmentExpired):
        request.state.auth_failed = True
        raise


# The code is the credential: no bearer (relay/errors.py declares one on /api/ else).
@router.post("/api/v1/enroll", summary="Exchange an enrolment code for a desktop token (once)",
             responses=responses(*CODE_ERRORS), openapi_extra=NO_BEARER)
async def enroll(request: Request, body: CodeIn) -> EnrollOut:
    relay = relay_of(request)
    redeemed = await _guarded(request, lambda: admin.redeem(relay.admin, body.code))
    return EnrollOut(token=redeemed.token, relay=redeemed.relay or _base(request),
                     user=EnrolledUser(name=redeemed.user.name, ext=redeemed.user.ext))


@router.post("/api/v1/enroll/status", summary="Whose enrolment code this is, without using it",
             responses=responses(*CODE_ERRORS), openapi_extra=NO_BEARER)
async def enroll_status(request: Request, body: CodeIn) -> EnrollStatusOut:
    relay = relay_of(request)

    async def look() -> EnrollStatusOut:
        async with relay.store.read() as conn:
            user_id, expires_at = await enrollments.check(conn, body.code)
            user = await users.user_by_id(conn, user_id)
        return EnrollStatusOut(user=EnrolledUser(name=user.name, ext=user.ext),
                               expires_at=expires_at)

    return await _guarded(request, look)


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


@router.get("/enroll", include_in_schema=False)
async def enroll_page(request: Request) -> HTMLResponse:
    relay = relay_of(request)
    rt = await relay.registry.settings()
    public = rt.public_url or _base(request)
    return render(request, "enroll.html", TEXTS, relay=public,
                  host=urlsplit(public).hostname or public, company=rt.company_name,
                  downloads=downloads(relay.config.downloads_dir))


def downloads(folder: Path | None) -> list[dict[str, str]]:
    """The installers an administrator put in the downloads folder, labelled."""
    if folder is None or not folder.is_dir():
        return []
    out = []
    for path in sorted(folder.iterdir()):
        label = _label(path.name)
        if label and path.is_file():
            out.append({"name": path.name, "label": label,
                        "size": f"{path.stat().st_size / 1e6:.0f} MB"})
    return out


def _label(name: str) -> str:
    lower = name.lower()
    if lower.endswith(".exe"):
        return f"Windows — {name}"
    if lower.endswith(".deb"):
        return f"Debian, Ubuntu, Astra Linux — {name}"
    return ""


@router.get("/downloads/{name}", include_in_schema=False)
async def download(request: Request, name: str) -> FileResponse:
    folder = relay_of(request).config.downloads_dir
    if folder is None or not _label(name) or "/" in name or "\\" in name or name != Path(
            name).name:
        raise NotFound("No such file")
    path = folder / name
    if not path.is_file():
        raise NotFound("No such file")
    return FileResponse(path, filename=name)

