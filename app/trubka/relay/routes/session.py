"""Browser sign-in (SPEC §9.5): a session cookie for the console and the web client, and
the single-use tickets that open the events socket.

`POST /api/v1/session` takes a user's token (or an enrolment code, redeemed as a new
device) and sets an HttpOnly, SameSite=Strict cookie — Secure when the request came over
https, directly or through the trusted proxy's `X-Forwarded-Proto` (uvicorn's
`proxy_headers`). The token itself is never stored by the page. Writes made with the
cookie carry the session's CSRF token in `X-CSRF-Token` (deps.credential checks it).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field, model_validator

from trubka.core.errors import (
    EnrollmentExpired,
    EnrollmentUnknown,
    EnrollmentUsed,
    Forbidden,
    RateLimited,
    Unauthorized,
)
from trubka.core.model import utcnow
from trubka.relay import admin
from trubka.relay.deps import SESSION_COOKIE, CurrentCredential, Relay, relay_of
from trubka.relay.errors import NO_BEARER, responses
from trubka.relay.store import sessions, settings, users

router = APIRouter(prefix="/api/v1", tags=["browser"])
CODE_ERRORS = (EnrollmentUnknown, EnrollmentUsed, EnrollmentExpired)


class SignIn(BaseModel):
    token: Annotated[str | None, Field(min_length=1, max_length=200)] = None
    code: Annotated[str | None, Field(min_length=1, max_length=128)] = None

    @model_validator(mode="after")
    def one_of(self) -> SignIn:
        if (self.token is None) == (self.code is None):
            raise ValueError("give either token or code")
        return self


class SessionUser(BaseModel):
    name: str
    ext: str
    role: str


class SessionOut(BaseModel):
    user: SessionUser
    csrf_token: str | None = Field(
        description="send as X-CSRF-Token with every write made with the cookie")
    expires_at: datetime | None = Field(None, description="when the sign-in ends (on sign-in)")


class TicketOut(BaseModel):
    ticket: str = Field(description="open GET /api/v1/events?ticket=… with it, once")
    expires_in: int = Field(description="seconds")


def _user(user: users.User) -> SessionUser:
    return SessionUser(name=user.name, ext=user.ext, role=user.role)


async def _owner(relay: Relay, request: Request, body: SignIn) -> tuple[users.User, int]:
    """The user and device token behind a token or an enrolment code; wrong ones count
    against the client's address (through `auth_failed`, relay/gate.py: the credential
    is in the body, where the gate does not look)."""
    try:
        if body.code is not None:
            redeemed = await admin.redeem(relay.admin, body.code)
            token = redeemed.token
        else:
            token = body.token or ""
        async with relay.store.read() as conn:
            owner = await users.token_owner(conn, token)
        if owner is None:
            raise Unauthorized()
        return owner
    except (Unauthorized, *CODE_ERRORS):
        request.state.auth_failed = True
        raise


@router.post("/session", summary="Sign a browser in with a token or an enrolment code",
             responses=responses(*CODE_ERRORS, RateLimited), openapi_extra=NO_BEARER)
async def sign_in(request: Request, response: Response, body: SignIn) -> SessionOut:
    relay = relay_of(request)
    user, token_id = await _owner(relay, request, body)
    async with relay.store.write() as conn:
        cookie, csrf = await sessions.create(conn, user.id, token_id)
    lifetime = int(sessions.SESSION_LIFETIME.total_seconds())
    response.set_cookie(SESSION_COOKIE, cookie, max_age=lifetime, path="/", httponly=True,
                        samesite="strict", secure=request.url.scheme == "https")
    return SessionOut(user=_user(user), csrf_token=csrf,
                      expires_at=utcnow() + sessions.SESSION_LIFETIME)


@router.get("/session", summary="Who this browser is signed in as, and its CSRF token",
            responses=responses())
async def whoami(request: Request, credential: CurrentCredential) -> SessionOut:
    return SessionOut(user=_user(credential.user), csrf_token=credential.csrf, expires_at=None)


@router.delete("/session", status_code=204, summary="Sign this browser out (its sockets close)",
               responses=responses(Forbidden))
async def sign_out(request: Request, credential: CurrentCredential) -> Response:
    relay = relay_of(request)
    if credential.session_key is not None:
        async with relay.store.write() as conn:
            await sessions.revoke(conn, credential.session_key)
            await settings.changed(conn)  # other replicas close its sockets (watch.py)
        relay.browsers.end(credential.session_key)
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict",
                           secure=request.url.scheme == "https")
    return response


@router.post("/events/ticket", summary="A single-use ticket for the events socket",
             responses=responses(Forbidden))
async def ticket(request: Request, credential: CurrentCredential) -> TicketOut:
    relay = relay_of(request)
    async with relay.store.write() as conn:
        value = await sessions.issue_ticket(conn, credential.user.id, credential.session_key,
                                            credential.token_id)
    return TicketOut(ticket=value, expires_in=int(sessions.TICKET_LIFETIME.total_seconds()))
