"""The admin layer's changes reach the running relay at once: frames written by another
process (the CLI) reach open sockets, revoked tokens lose their sockets, and a provider
or setting changed beside the server applies to the next request."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest
from websockets.exceptions import ConnectionClosed

from tests.conftest import WEBHOOK_TOKEN, Relay, auth, ws_client
from trubka.core.protocol import CLOSE_UNAUTHORIZED
from trubka.relay import admin


async def test_contacts_imported_through_the_cli_reach_an_open_socket(
        relay: Relay, tmp_path: Path) -> None:
    """`contacts import` run beside the server: a connected desktop gets the `contacts`
    frame within a second, without reconnecting."""
    token = relay.add_user("Иванов", "100")
    book = tmp_path / "book.csv"
    book.write_text("name,phones\nИван Петров,89991234567\n", encoding="utf-8")
    async with ws_client(relay, token) as desk:
        hello = await desk.frame()
        started = asyncio.get_running_loop().time()
        await asyncio.to_thread(relay.cli, "contacts", "import", str(book))
        frame = await desk.frame(timeout=2.0)
        assert frame == {"type": "contacts", "seq": hello["seq"] + 1, "id": None}
        assert asyncio.get_running_loop().time() - started < 1.5
        await desk.nothing()


async def test_revoked_token_loses_its_socket_within_a_second(relay: Relay) -> None:
    """`users revoke` closes the employee's open sockets (4401); another employee's stays."""
    token = relay.add_user("Иванов", "100")
    other = relay.add_user("Петров", "101")
    async with ws_client(relay, token) as desk, ws_client(relay, other) as colleague:
        await desk.frame()
        await colleague.frame()
        await asyncio.to_thread(relay.cli, "users", "revoke", "--ext", "100")
        with pytest.raises(ConnectionClosed) as closed:
            await asyncio.wait_for(desk.ws.recv(), 1.5)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == CLOSE_UNAUTHORIZED
        await colleague.nothing()
    async with httpx.AsyncClient(base_url=relay.url) as http:
        assert (await http.get("/api/v1/me", headers=auth(token))).status_code == 401


async def test_provider_set_beside_the_server_applies_to_the_next_webhook(relay: Relay) -> None:
    """The relay caches providers; a `provider set` (and --rotate) from the CLI applies to
    the very next webhook."""
    body = {"cmd": "contact", "phone": "89991234567", "crm_token": WEBHOOK_TOKEN}
    async with httpx.AsyncClient(base_url=relay.url) as http:
        assert (await http.post("/hooks/prostiezvonki", json=body)).status_code == 404
        relay.cli("provider", "set", "prostiezvonki", "--webhook-token", WEBHOOK_TOKEN)
        assert (await http.post("/hooks/prostiezvonki", json=body)).status_code == 200
        out = relay.cli("provider", "set", "prostiezvonki", "--rotate")
        fresh = out.strip().splitlines()[-1]
        assert (await http.post("/hooks/prostiezvonki", json=body)).status_code == 401
        reply = await http.post("/hooks/prostiezvonki", json={**body, "crm_token": fresh})
        assert reply.status_code == 200


async def test_settings_changed_beside_the_server_apply_at_once(relay: Relay) -> None:
    """smart-transfer off via the admin layer: the next lookup answers no responsible."""
    relay.cli("provider", "set", "prostiezvonki", "--webhook-token", WEBHOOK_TOKEN)
    relay.add_user("Иванов", "100")
    relay.cli("contacts", "import", str(_book(relay)))
    body = {"cmd": "contact", "phone": "89991234567", "crm_token": WEBHOOK_TOKEN}
    async with httpx.AsyncClient(base_url=relay.url) as http:
        assert (await http.post("/hooks/prostiezvonki", json=body)).json()["responsible"] \
            == "100"
        relay.admin(lambda a: admin.set_setting(a, "smart-transfer", "off"))
        assert (await http.post("/hooks/prostiezvonki", json=body)).json()["responsible"] == ""


def _book(relay: Relay) -> Path:
    path = relay.data_dir.parent / "book.csv"
    path.write_text("name,phones,responsible_ext\nИван,89991234567,100\n", encoding="utf-8")
    return path
