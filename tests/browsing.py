"""Helpers for tests that act as a browser towards the relay: a signed-in session (cookie
and CSRF token), tickets, and socket handshakes with an Origin."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

import httpx
from websockets.asyncio.client import connect

from tests.conftest import Client


class Browser:
    """An httpx client holding a session cookie, sending the CSRF token on writes."""

    def __init__(self, base_url: str) -> None:
        self.http = httpx.AsyncClient(base_url=base_url, timeout=10)
        self.csrf = ""
        self.user: dict[str, Any] = {}

    async def sign_in(self, **credential: str) -> httpx.Response:
        reply = await self.http.post("/api/v1/session", json=credential)
        if reply.status_code == 200:
            self.csrf = reply.json()["csrf_token"]
            self.user = reply.json()["user"]
        return reply

    async def write(self, method: str, path: str, body: object = None,
                    csrf: bool = True) -> httpx.Response:
        headers = {"X-CSRF-Token": self.csrf} if csrf else {}
        return await self.http.request(method, path, json=body, headers=headers)

    async def ticket(self) -> str:
        reply = await self.write("POST", "/api/v1/events/ticket")
        assert reply.status_code == 200, reply.text
        return str(reply.json()["ticket"])

    async def aclose(self) -> None:
        await self.http.aclose()


@contextlib.asynccontextmanager
async def browser(base_url: str, **credential: str) -> AsyncIterator[Browser]:
    session = Browser(base_url)
    try:
        if credential:
            reply = await session.sign_in(**credential)
            assert reply.status_code == 200, reply.text
        yield session
    finally:
        await session.aclose()


@contextlib.asynccontextmanager
async def ticket_socket(ws_url: str, ticket: str, origin: str | None = None,
                        path: str = "/api/v1/events", headers: dict[str, str] | None = None,
                        **params: str) -> AsyncIterator[Client]:
    """A socket as a browser opens it: `?ticket=` and the page's Origin."""
    query = "&".join(f"{k}={v}" for k, v in {"ticket": ticket, **params}.items())
    async with connect(f"{ws_url}{path}?{query}", origin=origin,  # type: ignore[arg-type]
                       additional_headers=headers, open_timeout=5) as ws:
        yield Client(ws)
