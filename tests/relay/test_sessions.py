"""Browser sign-in (SPEC §9.5): the session cookie, CSRF on cookie writes, single-use
tickets for the events socket, the Origin check, and signing out."""

from __future__ import annotations

import asyncio
import logging

import httpx
import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus

from tests.browsing import browser, ticket_socket
from tests.conftest import Relay, auth
from trubka.core.protocol import CLOSE_UNAUTHORIZED
from trubka.relay.config import RelayConfig
from trubka.relay.server import RelayServer


async def test_sign_in_sets_a_protected_cookie_and_returns_the_user(relay: Relay) -> None:
    """A token gives an HttpOnly, SameSite=Strict cookie (Secure only over https, as the
    trusted proxy's X-Forwarded-Proto says) and the user; the cookie then authenticates."""
    token = relay.add_user("Иван Петров", "100")
    async with httpx.AsyncClient(base_url=relay.url) as http:
        reply = await http.post("/api/v1/session", json={"token": token})
        assert reply.status_code == 200, reply.text
        assert reply.json()["user"] == {"name": "Иван Петров", "ext": "100", "role": "user"}
        cookie = reply.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=strict" in cookie and "secure" not in cookie
        assert token not in reply.text and token not in reply.headers["set-cookie"]
        me = await http.get("/api/v1/me")
        assert me.json()["ext"] == "100"
        behind_tls = await http.post("/api/v1/session", json={"token": token},
                                     headers={"X-Forwarded-Proto": "https"})
        assert "; secure" in behind_tls.headers["set-cookie"].lower()


async def test_wrong_tokens_are_refused_and_throttled(relay: Relay) -> None:
    """A malformed body is 422 and not a failure; a wrong token is 401 without a cookie;
    ten from one address make the next wait, a right token included."""
    token = relay.add_user("Иван", "100")
    async with httpx.AsyncClient(base_url=relay.url) as http:
        for _ in range(4):
            for bad in ({}, {"token": token, "code": "x"}, {"token": ""}):
                assert (await http.post("/api/v1/session", json=bad)).status_code == 422
        for _ in range(10):
            wrong = await http.post("/api/v1/session", json={"token": "trk_wrong"})
            assert wrong.status_code == 401 and "set-cookie" not in wrong.headers
        limited = await http.post("/api/v1/session", json={"token": token})
        assert limited.status_code == 429


async def test_enrolment_code_signs_in_once(relay: Relay) -> None:
    """An enrolment link's code signs a browser in as a new device of its employee, once."""
    relay.add_user("Иван", "100")
    relay.cli("settings", "set", "public-url", "https://relay.example.ru")
    code = relay.cli("users", "enroll", "--ext", "100").strip().splitlines()[-1].split("#")[1]
    async with browser(relay.url, code=code) as page:
        assert page.user["ext"] == "100"
        assert (await page.http.get("/api/v1/me")).json()["ext"] == "100"
        again = await page.sign_in(code=code)
        assert (again.status_code, again.json()["code"]) == (410, "enrollment_used")
    assert relay.sql("SELECT count(*) FROM tokens")[0][0] == 2


async def test_cookie_writes_need_the_csrf_token(relay: Relay) -> None:
    """A cookie-authenticated write without (or with a wrong) X-CSRF-Token is 403 and
    changes nothing; with it, it works; the desktop's bearer writes need none."""
    token = relay.add_user("Иван", "100")
    contact = {"name": "ООО Ромашка", "phones": ["89991234567"]}
    async with browser(relay.url, token=token) as page:
        for headers in ({}, {"X-CSRF-Token": "wrong"}):
            refused = await page.http.post("/api/v1/contacts", json=contact, headers=headers)
            assert (refused.status_code, refused.json()["code"]) == (403, "csrf_failed")
        assert relay.sql("SELECT count(*) FROM contacts")[0][0] == 0
        assert (await page.write("POST", "/api/v1/contacts", contact)).status_code == 201
        assert (await page.write("DELETE", "/api/v1/session", csrf=False)).status_code == 403
        assert (await page.http.get("/api/v1/contacts")).status_code == 200  # reads need none
    async with httpx.AsyncClient(base_url=relay.url, headers=auth(token)) as desktop:
        assert (await desktop.post("/api/v1/contacts", json=contact)).status_code == 201


async def test_a_ticket_opens_one_socket_once_and_expires(relay: Relay) -> None:
    """A ticket opens the events socket once (with since); used again, or after it
    expired, it is 401; the socket never takes the cookie itself."""
    token = relay.add_user("Иван", "100")
    async with browser(relay.url, token=token) as page:
        ticket = await page.ticket()
        async with ticket_socket(relay.ws_url, ticket, since="0") as client:
            hello = await client.frame()
            assert hello["type"] == "hello" and hello["user"]["ext"] == "100"
        with pytest.raises(InvalidStatus) as used:
            async with ticket_socket(relay.ws_url, ticket):
                pass
        assert used.value.response.status_code == 401
        late = await page.ticket()
        relay.sql("UPDATE tickets SET expires_at = '2000-01-01 00:00:00' WHERE used_at IS NULL")
        with pytest.raises(InvalidStatus) as expired:
            async with ticket_socket(relay.ws_url, late):
                pass
        assert expired.value.response.status_code == 401
        cookie = page.http.cookies["trubka_session"]
        with pytest.raises(InvalidStatus) as cookie_only:
            async with ticket_socket(relay.ws_url, "",
                                     headers={"Cookie": f"trubka_session={cookie}"}):
                pass
        assert cookie_only.value.response.status_code == 401


async def test_a_ticket_is_single_use_across_replicas(relay: Relay) -> None:
    """Two relays on one database race for the same ticket: exactly one socket opens."""
    token = relay.add_user("Иван", "100")
    other = RelayServer(RelayConfig(data_dir=relay.data_dir, database_url=relay.database_url,
                                    maintenance_interval=3600)).start()
    try:
        async with browser(relay.url, token=token) as page:
            ticket = await page.ticket()

            async def attempt(ws_url: str) -> int:
                try:
                    async with ticket_socket(ws_url, ticket) as client:
                        await client.frame()
                        return 101
                except InvalidStatus as exc:
                    return exc.response.status_code

            results = await asyncio.gather(attempt(relay.ws_url), attempt(other.ws_url))
        assert sorted(results) == [101, 401]
    finally:
        other.stop()


async def test_foreign_origins_cannot_open_the_socket(relay: Relay) -> None:
    """A handshake from another site's page is 403 even with a good ticket (or token);
    the relay's own origin, its public-url and cors-origins are allowed."""
    token = relay.add_user("Иван", "100")
    async with browser(relay.url, token=token) as page:
        with pytest.raises(InvalidStatus) as foreign:
            async with ticket_socket(relay.ws_url, await page.ticket(), "https://evil.example"):
                pass
        assert foreign.value.response.status_code == 403
        with pytest.raises(InvalidStatus) as with_token:
            async with ticket_socket(relay.ws_url, "", "https://evil.example", headers=auth(token)):
                pass
        assert with_token.value.response.status_code == 403
        async with ticket_socket(relay.ws_url, await page.ticket(), relay.url) as own:
            assert (await own.frame())["type"] == "hello"
        relay.cli("settings", "set", "cors-origins", "https://crm.example.ru")
        relay.cli("settings", "set", "public-url", "https://relay.example.ru")
        for origin in ("https://crm.example.ru", "https://relay.example.ru"):
            async with ticket_socket(relay.ws_url, await page.ticket(), origin) as allowed:
                assert (await allowed.frame())["type"] == "hello"
        relay.cli("settings", "set", "cors-origins", "javascript:alert(1)", expect=2)


async def test_signing_out_ends_the_session_and_its_sockets(
        relay: Relay, caplog: pytest.LogCaptureFixture) -> None:
    """DELETE /api/v1/session closes the session's sockets (4401) and the cookie stops
    working; no token, cookie or ticket reaches a line the relay logs."""
    caplog.set_level(logging.DEBUG)
    token = relay.add_user("Иван", "100")
    async with browser(relay.url, token=token) as page:
        ticket = await page.ticket()
        cookie = page.http.cookies["trubka_session"]
        async with ticket_socket(relay.ws_url, ticket) as client:
            await client.frame()
            assert (await page.write("DELETE", "/api/v1/session")).status_code == 204
            with pytest.raises(ConnectionClosed) as closed:
                await asyncio.wait_for(client.ws.recv(), 3)
            assert closed.value.rcvd is not None
            assert closed.value.rcvd.code == CLOSE_UNAUTHORIZED
        page.http.cookies.set("trubka_session", cookie)
        assert (await page.http.get("/api/v1/me")).status_code == 401
    async with httpx.AsyncClient(base_url=relay.url) as http:
        assert (await http.get("/api/v1/me", headers=auth(token))).status_code == 200
    logged = "\n".join(r.getMessage() for r in caplog.records
                        if r.name.startswith(("trubka", "uvicorn")))  # the relay's own
    assert "ext 100 connected" in logged
    for secret in (token, cookie, ticket):
        assert secret not in logged


async def test_revoking_the_device_ends_its_browser_session(relay: Relay) -> None:
    """`users revoke` ends the sessions made from the employee's tokens: the cookie is
    401 and the session's socket closes."""
    token = relay.add_user("Иван", "100")
    async with browser(relay.url, token=token) as page:
        async with ticket_socket(relay.ws_url, await page.ticket()) as client:
            await client.frame()
            relay.cli("users", "revoke", "--ext", "100")
            with pytest.raises(ConnectionClosed):
                await asyncio.wait_for(client.ws.recv(), 3)
        assert (await page.http.get("/api/v1/me")).status_code == 401


async def test_cors_is_off_unless_origins_are_listed(relay: Relay) -> None:
    """Without cors-origins no other origin gets CORS headers (a preflight is refused by
    the browser); a listed origin gets them, with credentials, and the CSRF header."""
    token = relay.add_user("Иван", "100")
    crm = "https://crm.example.ru"
    preflight = {"Origin": crm, "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "content-type,x-csrf-token"}
    async with httpx.AsyncClient(base_url=relay.url) as http:
        closed = await http.options("/api/v1/contacts", headers=preflight)
        assert "access-control-allow-origin" not in closed.headers
        relay.cli("settings", "set", "cors-origins", crm + " https://other.example.ru")
        opened = await http.options("/api/v1/contacts", headers=preflight)
        assert opened.status_code == 204
        assert opened.headers["access-control-allow-origin"] == crm
        assert opened.headers["access-control-allow-credentials"] == "true"
        assert "X-CSRF-Token" in opened.headers["access-control-allow-headers"]
        read = await http.get("/api/v1/me", headers={"Origin": crm, **auth(token)})
        assert read.headers["access-control-allow-origin"] == crm
        evil = await http.get("/api/v1/me", headers={"Origin": "https://evil.example",
                                                     **auth(token)})
        assert "access-control-allow-origin" not in evil.headers
        hook = await http.post("/hooks/prostiezvonki", json={}, headers={"Origin": crm})
        assert "access-control-allow-origin" not in hook.headers
