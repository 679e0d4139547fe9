"""CORS for the API, off unless `cors-origins` lists other web origins (SPEC §9.5).

The relay's own pages need none. An origin in the list (a CRM on its own domain that
embeds Trubka) may call `/api/…` from its pages, with credentials; every other origin
gets no CORS headers, so browsers keep its pages from reading the replies. A pure ASGI
middleware that returns at once for anything but `/api/` requests with an `Origin`, so
webhooks pay one comparison.
"""

from __future__ import annotations

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from trubka.relay.web.origins import origin_of

METHODS = "GET, POST, PUT, PATCH, DELETE"
HEADERS = "Authorization, Content-Type, X-CSRF-Token"


class Cors:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/api/"):
            await self.app(scope, receive, send)
            return
        origin = Headers(scope=scope).get("origin")
        if origin is None or not await self._allowed(scope, origin):
            await self.app(scope, receive, send)
            return
        granted = {"Access-Control-Allow-Origin": origin,
                   "Access-Control-Allow-Credentials": "true", "Vary": "Origin"}
        if scope["method"] == "OPTIONS" and "access-control-request-method" in Headers(
                scope=scope):
            await send({"type": "http.response.start", "status": 204, "headers": [
                (k.lower().encode(), v.encode()) for k, v in {
                    **granted, "Access-Control-Allow-Methods": METHODS,
                    "Access-Control-Allow-Headers": HEADERS,
                    "Access-Control-Max-Age": "600"}.items()]})
            await send({"type": "http.response.body", "body": b""})
            return

        async def with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for key, value in granted.items():
                    headers[key] = value
            await send(message)

        await self.app(scope, receive, with_cors)

    @staticmethod
    async def _allowed(scope: Scope, origin: str) -> bool:
        relay = getattr(scope["app"].state, "relay", None)
        if relay is None:
            return False
        listed = (await relay.registry.settings()).cors_origins
        return origin_of(origin) in {origin_of(o) for o in listed}
