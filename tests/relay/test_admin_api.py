"""The admin API and console pages (SPEC §9.5): administrators only, thin over the admin
layer; what each operation changes; the webhook status per PBX; test calls; imports."""

from __future__ import annotations

import asyncio
import csv
import io
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.exceptions import InvalidStatus

from tests.browsing import browser, ticket_socket
from tests.conftest import WEBHOOK_TOKEN, Relay, auth, post_json, ws_client
from tests.test_docs import walk
from trubka.relay import admin as admin_layer
from trubka.relay.app import create_app
from trubka.relay.config import RelayConfig
from trubka.relay.server import RelayServer
from trubka.relay.store.settings import SETTINGS

SAMPLE = {"ext": "100", "name": "prostiezvonki"}  # values for path parameters


def admin_routes(tmp_path: Path) -> list[tuple[str, str]]:
    """(method, path) of every console page and admin endpoint the app has, parameters
    filled in: a new one is covered without editing this test."""
    app = create_app(RelayConfig(data_dir=tmp_path / "routes"))
    out = []
    for path, route in walk(app.routes):
        if not path.startswith(("/admin", "/api/v1/admin")):
            continue
        filled = re.sub(r"\{(\w+)\}", lambda m: SAMPLE[m.group(1)], path)
        for method in sorted(getattr(route, "methods", None) or {"WEBSOCKET"}):
            if method != "HEAD":
                out.append((method, filled))
    return out


def pz(relay: Relay) -> None:
    relay.cli("provider", "set", "prostiezvonki", "--webhook-token", WEBHOOK_TOKEN)


async def test_every_admin_page_and_endpoint_refuses_users(relay: Relay, tmp_path: Path) -> None:
    """A user token or session gets 403 on every /admin page and /api/v1/admin endpoint
    (including the console feed); without credentials the API says 401."""
    token = relay.add_user("Иван", "100")
    routes = admin_routes(tmp_path)
    assert ("GET", "/admin/") in routes and ("POST", "/api/v1/admin/users") in routes
    assert ("WEBSOCKET", "/api/v1/admin/live") in routes
    async with browser(relay.url, token=token) as page, httpx.AsyncClient(
            base_url=relay.url, headers=auth(token)) as bearer:
        for method, path in routes:
            if method == "WEBSOCKET":
                for kind in ("ticket", "bearer"):
                    with pytest.raises(InvalidStatus) as refused:
                        async with ticket_socket(relay.ws_url, await page.ticket(), path=path,
                                                 headers=auth(token) if kind == "bearer"
                                                 else None):
                            pass
                    assert refused.value.response.status_code == 403, (kind, path)
                continue
            by_cookie = await page.write(method, path, {} if method != "GET" else None)
            by_token = await bearer.request(method, path, json={} if method != "GET" else None)
            assert (by_cookie.status_code, by_token.status_code) == (403, 403), (method, path)
            if path.startswith("/api/"):
                async with httpx.AsyncClient(base_url=relay.url) as anonymous:
                    assert (await anonymous.request(method, path)).status_code == 401


def test_admin_api_is_in_openapi_with_its_security(tmp_path: Path) -> None:
    """Every admin endpoint is in /openapi.json with the bearer scheme and its 403."""
    schema = create_app(RelayConfig(data_dir=tmp_path)).openapi()
    admin = {p: ops for p, ops in schema["paths"].items() if p.startswith("/api/v1/admin/")}
    assert {"/api/v1/admin/users", "/api/v1/admin/users/{ext}/enroll",
            "/api/v1/admin/providers/{name}/test-call", "/api/v1/admin/journal"} <= set(admin)
    for operations in admin.values():
        for operation in operations.values():
            assert operation["security"] == [{"bearer": []}]
            assert "403" in operation["responses"]


@pytest.fixture
def admin_token(relay: Relay) -> str:
    _, token = relay.admin(lambda a: admin_layer.add_user(a, "Админ", "900", role="admin"))
    return token


async def test_users_added_changed_enrolled_and_revoked(relay: Relay, admin_token: str) -> None:
    """The console's user operations: add (token once), list with devices connected now,
    change role, an enrolment link with its QR code, import CSV, revoke."""
    relay.cli("settings", "set", "public-url", "https://relay.example.ru")
    async with browser(relay.url, token=admin_token) as page:
        added = await page.write("POST", "/api/v1/admin/users",
                                 {"name": "Иван Петров", "ext": "100"})
        assert added.status_code == 201, added.text
        token = added.json()["token"]
        async with ws_client(relay, token) as client:
            await client.frame()
            rows = (await page.http.get("/api/v1/admin/users")).json()
            ivan = next(r for r in rows if r["ext"] == "100")
            assert (ivan["connected"], ivan["active_tokens"], ivan["role"]) == (1, 1, "user")
        patched = await page.write("PATCH", "/api/v1/admin/users/100", {"role": "admin"})
        assert patched.json()["role"] == "admin"
        link = (await page.write("POST", "/api/v1/admin/users/100/enroll", {})).json()
        assert link["link"].startswith("https://relay.example.ru/enroll#")
        assert link["qr_svg"].startswith("<svg") and "path" in link["qr_svg"]
        imported = await page.write("POST", "/api/v1/admin/users/import", {
            "csv": "name,ext,role\nПётр,101,user\nИван Петров,100,user\n"})
        assert imported.json() == {"created": ["101"], "updated": ["100"]}
        revoked = await page.write("DELETE", "/api/v1/admin/users/100")
        assert revoked.json()["revoked"] == 1
        bad = await page.write("POST", "/api/v1/admin/users", {"name": "X", "ext": "a b"})
        assert bad.status_code == 422
        missing = await page.http.get("/api/v1/admin/users/555")
        assert missing.status_code == 404
    assert relay.sql("SELECT role FROM users WHERE ext = '100'") == [("user",)]
    async with httpx.AsyncClient(base_url=relay.url) as http:
        assert (await http.get("/api/v1/me", headers=auth(token))).status_code == 401


async def hook(relay: Relay, token: str) -> httpx.Response:
    return await post_json(relay, "/hooks/prostiezvonki", {
        "cmd": "event", "type": "INCOMING", "phone": "89991234567", "user": "100",
        "callid": "c-1", "crm_token": token})


async def test_provider_status_shows_the_last_webhook_on_every_replica(
        relay: Relay, admin_token: str) -> None:
    """After a good webhook the PBX is `ok`; after one with a wrong token its last error
    says so; another relay on the same database shows it too (flushed, not per webhook);
    secrets are masked and write-only; the webhook URL is built from public-url."""
    pz(relay)
    relay.add_user("Иван", "100")
    relay.cli("settings", "set", "public-url", "https://relay.example.ru")
    async with browser(relay.url, token=admin_token) as page:
        async def status() -> dict[str, Any]:
            rows = (await page.http.get("/api/v1/admin/providers")).json()
            return next(r for r in rows if r["name"] == "prostiezvonki")

        before = await status()
        assert (before["health"], before["last_webhook_at"]) == ("waiting", None)
        assert before["webhook_url"] == "https://relay.example.ru/hooks/prostiezvonki"
        assert WEBHOOK_TOKEN not in str(before)
        assert (await hook(relay, WEBHOOK_TOKEN)).status_code == 200
        assert (await status())["health"] == "ok"
        assert (await hook(relay, "wrong")).status_code == 401
        after = await status()
        assert after["health"] == "error" and "token" in after["last_error"]
        seen_at = datetime.fromisoformat(after["last_webhook_at"])  # ISO 8601, UTC, now
        assert seen_at.utcoffset() == timedelta(0)
        assert abs(datetime.now(UTC) - seen_at) < timedelta(minutes=1)
        assert after["last_error_at"] == after["last_webhook_at"]  # the refused one
        saved = await page.write("PUT", "/api/v1/admin/providers/prostiezvonki",
                                 {"options": {"api_key": "secret-key-1234", "webhook_token": ""}})
        assert saved.status_code == 200, saved.text
        shown = {o["name"]: o["value"] for o in saved.json()["provider"]["options"]}
        assert shown["api_key"] == "***1234" and "secret-key" not in saved.text
    assert (await hook(relay, WEBHOOK_TOKEN)).status_code == 200  # webhook token kept
    stored: list[tuple[Any, ...]] = []
    for _ in range(100):  # written within one flush interval (3 s), for other replicas
        stored = relay.sql("SELECT value FROM settings WHERE key = 'webhook:prostiezvonki'")
        if stored and '"last_outcome": "ok"' in stored[0][0]:
            break
        await asyncio.sleep(0.1)
    assert '"last_outcome": "ok"' in stored[0][0] and "token" in stored[0][0]
    other = RelayServer(RelayConfig(data_dir=relay.data_dir, database_url=relay.database_url,
                                    maintenance_interval=3600)).start()
    try:
        async with httpx.AsyncClient(base_url=other.url, headers=auth(admin_token)) as http:
            rows = (await http.get("/api/v1/admin/providers")).json()
        seen = next(r for r in rows if r["name"] == "prostiezvonki")
        assert (seen["last_outcome"], seen["health"]) == ("ok", "ok")
        assert "token" in seen["last_error"]
    finally:
        other.stop()


async def test_test_call_rings_through_the_webhook_path(relay: Relay, admin_token: str) -> None:
    """*Send a test call* posts the simulator's webhook to this relay: the employee's
    socket rings, the call is under calls/live, and the PBX's status is not touched."""
    pz(relay)
    token = relay.add_user("Иван", "100")
    async with browser(relay.url, token=admin_token) as page, ws_client(relay, token) as client:
        await client.frame()
        played = await page.write("POST", "/api/v1/admin/providers/prostiezvonki/test-call",
                                  {"ext": "100", "ring_seconds": 1})
        assert played.json()["ok"] is True, played.text
        frame = await client.frame()
        assert (frame["call"]["state"], frame["call"]["phone"]) == ("ringing", "+79991234567")
        live = (await page.http.get("/api/v1/admin/calls/live")).json()
        assert [(c["user"]["ext"], c["call"]["id"]) for c in live] == [
            ("100", frame["call"]["id"])]
        ended = await client.frame(timeout=5)
        assert ended["call"]["state"] == "ended"
        assert (await page.http.get("/api/v1/admin/calls/live")).json() == []
        rows = (await page.http.get("/api/v1/admin/providers")).json()
        assert next(r for r in rows if r["name"] == "prostiezvonki")["health"] == "waiting"
        unknown = await page.write("POST", "/api/v1/admin/providers/prostiezvonki/test-call",
                                   {"ext": "555"})
        unconfigured = await page.write("POST", "/api/v1/admin/providers/zadarma/test-call",
                                        {"ext": "100"})
        assert (unknown.status_code, unconfigured.status_code) == (404, 409)


async def test_settings_are_the_one_table(relay: Relay, admin_token: str) -> None:
    """GET lists exactly store.settings.SETTINGS; PUT checks every value before writing
    any (a bad one is 422 and nothing changes)."""
    async with browser(relay.url, token=admin_token) as page:
        listed = (await page.http.get("/api/v1/admin/settings")).json()
        assert [s["key"] for s in listed] == list(SETTINGS)
        bad = await page.write("PUT", "/api/v1/admin/settings", {"values": {
            "last-digits": "9", "retention-days": "never"}})
        assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "retention-days"
        ok = await page.write("PUT", "/api/v1/admin/settings", {"values": {
            "last-digits": "9", "cors-origins": "https://crm.example.ru"}})
        values = {s["key"]: s["value"] for s in ok.json()}
        assert values["last-digits"] == "9" and values["cors-origins"] == "https://crm.example.ru"


async def test_journal_of_everyone_filters_and_exports_safe_csv(
        relay: Relay, admin_token: str) -> None:
    """The journal covers every user, filters by user and kind, and its CSV export
    defuses formula cells (a note `=HYPERLINK(…)` starts with an apostrophe)."""
    pz(relay)
    tokens = {ext: relay.add_user(name, ext) for name, ext in (("Иван", "100"), ("Пётр", "101"))}
    for ext, callid, status in (("100", "a", "success"), ("101", "b", "missed")):
        reply = await post_json(relay, "/hooks/prostiezvonki", {
            "cmd": "history", "type": "in", "phone": "89991234567", "user": ext,
            "callid": callid, "crm_token": WEBHOOK_TOKEN, "duration": 5, "link": "",
            "status": status, "start": "20261130T090000"})
        assert reply.status_code == 200, reply.text
    async with httpx.AsyncClient(base_url=relay.url, headers=auth(tokens["100"])) as desktop:
        entry = (await desktop.get("/api/v1/calls")).json()[0]
        await desktop.patch(f"/api/v1/calls/{entry['id']}", json={"note": "=HYPERLINK(1)"})
    async with browser(relay.url, token=admin_token) as page:
        everyone = (await page.http.get("/api/v1/admin/journal")).json()
        assert sorted(r["user"]["ext"] for r in everyone) == ["100", "101"]
        missed = (await page.http.get("/api/v1/admin/journal?filter=missed")).json()
        assert [r["user"]["ext"] for r in missed] == ["101"]
        one = (await page.http.get("/api/v1/admin/journal?ext=100")).json()
        assert [r["user"]["ext"] for r in one] == ["100"]
        exported = await page.http.get("/api/v1/admin/journal?format=csv")
        assert exported.headers["content-type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(exported.text)))
        assert {r["note"] for r in rows} == {"'=HYPERLINK(1)", ""}
        assert {r["phone"] for r in rows} == {"+7 999 123-45-67"}


async def test_contact_import_previews_and_merges_duplicates(
        relay: Relay, admin_token: str) -> None:
    """A preview changes nothing; the import folds a row whose number is already in the
    book into that contact (numbers added, empty fields filled) and rows sharing a
    number in the file into one."""
    text = ("name,company,phones\nРомашка,,89991234567;84950000001\n"
            "Ромашка (дубль),ООО Ромашка,+7 999 123-45-67\nЛютик,,84950000002\n")
    async with browser(relay.url, token=admin_token) as page:
        made = await page.write("POST", "/api/v1/contacts", {
            "name": "ООО Ромашка", "phones": ["84950000001"]})
        assert made.status_code == 201
        preview = (await page.write("POST", "/api/v1/admin/contacts/import",
                                    {"format": "csv", "text": text})).json()
        assert (preview["new"], preview["merged"], preview["imported"]) == (1, 1, False)
        assert relay.sql("SELECT count(*) FROM contacts")[0][0] == 1
        done = (await page.write("POST", "/api/v1/admin/contacts/import",
                                 {"format": "csv", "text": text, "preview": False})).json()
        assert (done["new"], done["merged"], done["imported"]) == (1, 1, True)
        book = (await page.http.get("/api/v1/contacts")).json()
        merged = next(c for c in book if c["id"] == made.json()["id"])
        assert merged["name"] == "ООО Ромашка" and merged["company"] == "ООО Ромашка"
        assert sorted(merged["phones"]) == ["+74950000001", "+79991234567"]
        assert len(book) == 2
        bad = await page.write("POST", "/api/v1/admin/contacts/import",
                               {"format": "csv", "text": "name,phones\n,123\n"})
        assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "line 2"
        exported = await page.http.get("/api/v1/admin/contacts/export?format=vcard")
        assert exported.text.count("BEGIN:VCARD") == 2


async def test_console_feed_follows_every_users_calls(relay: Relay, admin_token: str) -> None:
    """The console's socket opens with the calls in progress and then gets each call
    frame of any employee, tagged with whose it is."""
    pz(relay)
    relay.add_user("Иван", "100")
    async with browser(relay.url, token=admin_token) as page:
        async with ticket_socket(relay.ws_url, await page.ticket(),
                                 path="/api/v1/admin/live") as feed:
            assert await feed.frame() == {"type": "live", "calls": []}
            assert (await hook(relay, WEBHOOK_TOKEN)).status_code == 200
            frame = await feed.frame()
            assert frame["type"] == "call" and frame["user"] == {"name": "Иван", "ext": "100"}
            assert frame["call"]["state"] == "ringing"
        async with ticket_socket(relay.ws_url, await page.ticket(),
                                 path="/api/v1/admin/live") as again:
            snapshot = await again.frame()
            assert [c["call"]["phone"] for c in snapshot["calls"]] == ["+79991234567"]


async def test_console_pages_render_for_admins_only(relay: Relay, admin_token: str) -> None:
    """Without a session a page is the sign-in form; an admin's session gets the page in
    the browser's language, with its CSRF token and the security headers, and the PBX
    set-up guides."""
    async with httpx.AsyncClient(base_url=relay.url) as anonymous:
        page = await anonymous.get("/admin/users")
        assert page.status_code == 200 and 'name="token"' in page.text
        assert "Иван" not in page.text
    async with browser(relay.url, token=admin_token) as admin:
        ru = await admin.http.get("/admin/users", headers={"Accept-Language": "ru"})
        en = await admin.http.get("/admin/users", headers={"Accept-Language": "en-GB"})
        assert "Сотрудники" in ru.text and "Users" in en.text
        assert admin.csrf in ru.text
        assert ru.headers["x-frame-options"] == "DENY"
        assert "default-src 'self'" in ru.headers["content-security-policy"]
        guide = await admin.http.get("/admin/guides/prostiezvonki")
        assert guide.status_code == 200 and "/hooks/prostiezvonki" in guide.text
        assert (await admin.http.get("/admin/guides/nothing")).status_code == 404
