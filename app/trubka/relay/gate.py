"""The relay's front door: an ASGI middleware in front of every route (issue 10 items 6, 11).

For `/api/` and `/hooks/` (HTTP and the events socket):
* an address that failed authentication `auth-failure-limit` times within
  `auth-failure-window-seconds` gets 429 before any other work is done;
* an answer of 401 (or a route's `request.state.auth_failed`, e.g. Beeline's wrong path
  secret, which it answers 404) counts one failure against the address; on the API only
  when a credential was presented (a bearer, the session cookie, a ticket): a browser or
  a monitor asking without one guesses nothing and is not slowed.
For the REST API (`/api/`, HTTP), before the route reads a byte of the body:
* a bearer token, when one is sent, is checked first: a wrong one is 401 at once;
* a declared `Content-Length` over `max_api_body_bytes` is 413, and so is a streamed
  body that grows past it (read at most once plus one chunk, then refused).
Webhooks keep their SPEC-fixed replies: their body limit is the route's (400).
A declared body over the limit elsewhere (`/enroll`, `/healthz`, …) is 413 too.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from starlette.websockets import WebSocket

from trubka.core.errors import BodyTooLarge, RateLimited, TrubkaError, Unauthorized
from trubka.relay.deps import Relay, authenticate, presented_credentials
from trubka.relay.errors import error_response

GUARDED = ("/api/", "/hooks/")


class Gate:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        relay: Relay = scope["app"].state.relay
        path: str = scope["path"]
        if not path.startswith(GUARDED):
            await self._bounded(relay, scope, receive, send)
            return
        rt = await relay.registry.settings()
        key = "auth:" + client_address(scope)
        window = float(rt.auth_failure_window_seconds)
        try:
            await relay.limiter.check(key, rt.auth_failure_limit, window)
        except RateLimited as exc:
            await refuse(exc, scope, receive, send)
            return
        status: dict[str, int] = {}

        async def watched(message: Message) -> None:
            if message["type"] in ("http.response.start", "websocket.http.response.start"):
                status["code"] = message["status"]
            await send(message)

        try:
            if scope["type"] == "http" and path.startswith("/api/"):
                await self._api(relay, scope, receive, watched)
            else:
                await self.app(scope, receive, watched)
        finally:
            refused = status.get("code") == 401 and (
                path.startswith("/hooks/") or presented_credentials(HTTPConnection(scope)))
            if refused or scope.get("state", {}).get("auth_failed"):
                await relay.limiter.failed(key, window)

    async def _api(self, relay: Relay, scope: Scope, receive: Receive, send: Send) -> None:
        """Bearer first, then the body, bounded, then the route."""
        header = _header(scope, b"authorization")
        if header is not None and await authenticate(relay, header) is None:
            await refuse(Unauthorized(), scope, receive, send)
            return
        await self._bounded(relay, scope, receive, send, read=True)

    async def _bounded(self, relay: Relay, scope: Scope, receive: Receive, send: Send,
                       read: bool = False) -> None:
        limit = relay.config.max_api_body_bytes
        if scope["path"].startswith("/api/v1/admin/") and scope["path"].endswith("/import"):
            limit = relay.config.max_import_body_bytes
        declared = _header(scope, b"content-length")
        if scope["type"] == "http" and declared is not None and (
                not declared.isdigit() or len(declared) > 18 or int(declared) > limit):
            await refuse(BodyTooLarge(), scope, receive, send)
            return
        if not read or scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        body, ended = await read_body(receive, limit)
        if body is None:
            await refuse(BodyTooLarge(), scope, receive, send)
            return
        await self.app(scope, replay(body, ended, receive), send)


async def read_body(receive: Receive, limit: int) -> tuple[bytes | None, bool]:
    """The request body, or None once it grows past `limit`; and whether the client
    disconnected while it was read."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return b"".join(chunks), True
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None, False
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks), False


def replay(body: bytes, ended: bool, receive: Receive) -> Receive:
    """A `receive` that hands the route the body already read, then the client's own."""
    pending: list[Message] = [{"type": "http.request", "body": body, "more_body": False}]
    if ended:
        pending.append({"type": "http.disconnect"})

    async def again() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return again


async def refuse(error: TrubkaError, scope: Scope, receive: Receive, send: Send) -> None:
    """The catalogue's reply; on the events socket as a denial response (an HTTP reply
    to the upgrade), or a policy close where the server cannot send one."""
    response = error_response(error)
    if scope["type"] == "http":
        await response(scope, receive, send)
        return
    websocket = WebSocket(scope, receive, send)
    if "websocket.http.response" in scope.get("extensions", {}):
        await websocket.send_denial_response(response)
    else:
        await websocket.close(1008)


def client_address(scope: Scope) -> str:
    """The client's address (the proxy's forwarded one when uvicorn trusts the proxy)."""
    client: Any = scope.get("client")
    return str(client[0]) if client else "?"


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return str(value.decode("latin-1"))
    return None
