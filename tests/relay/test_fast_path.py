"""Webhooks go from the gate straight to their handler (`hooks.FastPath`), past the router
and FastAPI's request handling; every other request, and a webhook path the fast way does
not take (a trailing slash), reaches the router."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi.routing import APIRouter
from starlette.routing import Router

from tests.conftest import WEBHOOK_TOKEN, Relay


async def test_webhooks_skip_the_router_and_the_rest_reaches_it(
        relay: Relay, monkeypatch: pytest.MonkeyPatch) -> None:
    relay.cli("provider", "set", "prostiezvonki", "--webhook-token", WEBHOOK_TOKEN)
    relay.add_user("Anna", "101")
    seen: list[tuple[str, str]] = []
    route = Router.__call__

    async def counted(self: Router, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            seen.append((scope["method"], scope["path"]))
        await route(self, scope, receive, send)

    monkeypatch.setattr(APIRouter, "__call__", counted)
    async with httpx.AsyncClient(base_url=relay.url, timeout=10) as http:
        body = {"cmd": "event", "type": "INCOMING", "direction": "in", "ext": "101",
                "user": "101", "phone": "89991234567", "callid": "fast-1",
                "crm_token": WEBHOOK_TOKEN}
        ok = await http.post("/hooks/prostiezvonki", json=body)
        wrong = await http.post("/hooks/prostiezvonki", json={**body, "crm_token": "x"})
        slash = await http.post("/hooks/prostiezvonki/", json=body)
        health = await http.get("/healthz")
    assert ok.status_code == 200, ok.text
    assert ok.json() == {"result": "ok"}
    assert wrong.status_code == 401
    assert health.status_code == 200
    # The fast way is the real handler: the call was stored.
    assert relay.sql("SELECT provider_call_id FROM calls") == [("fast-1",)]
    assert ("POST", "/hooks/prostiezvonki") not in seen
    assert ("POST", "/hooks/prostiezvonki/") in seen and slash.status_code != 200
    assert ("GET", "/healthz") in seen
