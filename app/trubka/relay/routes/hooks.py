"""`/hooks/<provider>`: what the PBXs post. Every reply is the provider's own format.

Bad input never reaches the store: a wrong secret is 401 `{"error": "Invalid token"}`,
anything unreadable 400 `{"error": "Invalid parameters"}` (SPEC §2.1, §7). An unexpected
failure (the database gone) is 503 so the PBX retries; nothing is half-written, since
all of a webhook's changes commit together or not at all.
"""

from __future__ import annotations

import logging
import re
import time
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from starlette.datastructures import URL
from starlette.types import ASGIApp, Receive, Scope, Send

from trubka.core.errors import (
    InvalidParameters,
    InvalidToken,
    ProviderNotConfigured,
    TrubkaError,
    Unavailable,
    UnknownProvider,
)
from trubka.providers import SPECS
from trubka.providers.base import Provider, Reply, Webhook, WebhookRequest
from trubka.providers.fields import check_text
from trubka.relay.deps import Relay, relay_of
from trubka.relay.errors import error_response
from trubka.relay.hookstatus import TEST_HEADER
from trubka.relay.replay import all_bound

log = logging.getLogger("trubka.relay.hooks")
router = APIRouter(include_in_schema=True, tags=["webhooks"])


class BodyTooLarge(Exception):
    pass


# A path of printable ASCII without a space, `#`, `?` or `\`: Starlette's `url.path` is
# the ASGI scope's path itself (it escapes and re-splits any other; test_hook_request.py).
_PLAIN_PATH = re.compile(r'[!"$->@-\[\]-~]*')


def hook_request(request: Request, body: bytes) -> WebhookRequest:
    """The webhook as a provider sees it, read from the ASGI scope: what Starlette's
    `url.path`, `query_params` and `headers` give, without building those objects (60–90 µs
    of a webhook's CPU at 200/s, docs/performance.md). A path Starlette would escape is
    read as it reads it, the query left out (`request.url` reads that as UTF-8)."""
    scope = request.scope
    path: str = scope["path"]
    if not _PLAIN_PATH.fullmatch(path):
        path = URL(scope={**scope, "query_string": b""}).path
    query: bytes = scope.get("query_string", b"")
    return WebhookRequest(
        method=scope["method"],
        path=path,
        query=dict(parse_qsl(query.decode("latin-1"), keep_blank_values=True)) if query else {},
        headers={k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]},
        body=body,
    )


async def read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge
        chunks.append(chunk)
    return b"".join(chunks)


def _error(status: int, text: str) -> JSONResponse:
    """The two refusals whose bodies SPEC §2.1 fixes for PBXs, exactly so."""
    return JSONResponse({"error": text}, status_code=status)


def _refuse(error: TrubkaError) -> JSONResponse:
    return error_response(error)


async def webhook(provider: str, request: Request) -> Response:
    return await _serve(provider, request, secret_path=False)


async def webhook_secret(provider: str, secret: str, request: Request) -> Response:
    """The same webhook on a path whose last segment is the secret (the provider checks
    it, in constant time, from the request's path)."""
    return await _serve(provider, request, secret_path=True)


async def _serve(provider: str, request: Request, secret_path: bool) -> Response:
    relay = relay_of(request)
    spec = SPECS.get(provider)
    if spec is None or (secret_path and not spec.capabilities.path_secret):
        return _refuse(UnknownProvider())
    started = time.perf_counter()
    outcome = "error"
    try:
        response, outcome = await _handle(relay, provider, request)
        return response
    finally:
        relay.webhook_status.note(provider, outcome, request.headers.get(TEST_HEADER))
        relay.metrics.webhook(provider, outcome, time.perf_counter() - started)


class FastPath:
    """Webhooks straight from the gate to `_serve`, past the router, FastAPI's request
    handling and the exception middleware: a fifth of a webhook's CPU time on the relay's
    busiest path (bench/fanout.py, docs/performance.md). The routes registered below
    stay: they document the same endpoints in /openapi.json and serve the same function
    for any request this does not take (a trailing slash, another method)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in ("GET", "POST"):
            parts = scope["path"].split("/")
            if parts[1:2] == ["hooks"] and len(parts) in (3, 4) and all(parts[2:]):
                response = await _serve(parts[2], Request(scope, receive), len(parts) == 4)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _own(reply: Reply | None) -> Response | None:
    """A refusal the provider renders in its PBX's format (a SOAP fault)."""
    if reply is None:
        return None
    return Response(reply.body, status_code=reply.status, media_type=reply.content_type)


for _path, _summary, _endpoint in (
    ("/hooks/{provider}", "Webhook of a PBX (one path per provider)", webhook),
    ("/hooks/{provider}/{secret}", "Webhook of a PBX with a secret path segment (Beeline)",
     webhook_secret),
):
    for _method in ("POST", "GET"):
        router.add_api_route(
            _path, _endpoint, methods=[_method], summary=_summary,
            operation_id=f"webhook_{_method.lower()}{'_secret' if 'secret' in _path else ''}")


async def _parse(relay: Relay, provider: Provider, hook: WebhookRequest) -> Webhook:
    """The provider's reading of the webhook, refused when it carries text no store can
    hold or replays a signature with fields it does not cover (relay/replay.py)."""
    parsed = check_text(provider.parse_webhook(hook))
    if not await all_bound(relay.replay, parsed.bindings):
        raise InvalidToken()
    return parsed


async def _handle(relay: Relay, name: str, request: Request) -> tuple[Response, str]:
    try:
        body = await read_body(request, relay.config.max_body_bytes)
    except BodyTooLarge:
        log.warning("%s webhook refused: body over %d bytes", name, relay.config.max_body_bytes)
        return _error(400, "Invalid parameters"), "invalid"
    provider = await relay.registry.provider(name)
    if provider is None:
        log.warning("%s webhook refused: provider not configured", name)
        return _refuse(ProviderNotConfigured()), "unconfigured"
    hook = hook_request(request, body)
    try:
        parsed = await _parse(relay, provider, hook)
    except InvalidToken as exc:
        request.state.auth_failed = True  # counted against the address (relay/gate.py)
        log.warning("%s webhook refused: invalid token from %s", name,
                    request.client.host if request.client else "?")
        return (_own(provider.render_error(exc, hook)) or _error(401, "Invalid token"),
                "unauthorized")
    except InvalidParameters as exc:
        log.warning("%s webhook refused: invalid parameters (%s)", name, exc.detail)
        return (_own(provider.render_error(exc, hook)) or _error(400, "Invalid parameters"),
                "invalid")
    return await _act(relay, provider, request, parsed)


async def _act(relay: Relay, provider: Provider, request: Request,
               parsed: Webhook) -> tuple[Response, str]:
    """Apply an authenticated, readable webhook and render the PBX's reply."""
    name = provider.name
    if parsed.echo is not None:
        return PlainTextResponse(parsed.echo), "echo"
    if parsed.context.get("wake"):
        background = getattr(request.app.state, "background", None)
        if background is not None:
            background.wake(name)
    try:
        parsed = await provider.complete(parsed)
        if parsed.events:
            await relay.ingest.events(parsed.events)
        answer = None
        if parsed.lookup is not None:
            answer = await relay.lookups.answer(parsed.lookup.phone_raw)
    except Exception:
        log.exception("%s webhook failed", name)
        relay.metrics.failures.labels("webhook").inc()
        return _refuse(Unavailable()), "failed"
    reply = provider.render_reply(parsed, answer)
    return Response(reply.body, status_code=reply.status, media_type=reply.content_type), "ok"
