"""One-click enrolment, relay side (SPEC §9.4): `users enroll` → link → the code is
exchanged once for a token; used, expired and unknown codes are refused and throttled;
the page behind the link; bulk import with links."""

from __future__ import annotations

import asyncio
import csv
import io
import logging
import stat
from pathlib import Path

import httpx
import pytest
from websockets.exceptions import ConnectionClosed

from tests.conftest import Relay, auth, ws_client
from trubka.core.protocol import CLOSE_UNAUTHORIZED

PUBLIC = "https://relay.example.ru"


def enroll_link(relay: Relay, *args: str) -> str:
    return relay.cli("users", "enroll", *args).strip().splitlines()[-1]


def code_of(link: str) -> str:
    assert link.startswith(PUBLIC + "/enroll#")
    return link.split("#", 1)[1]


@pytest.fixture
def public(relay: Relay) -> Relay:
    relay.cli("settings", "set", "public-url", PUBLIC + "/")
    return relay


async def test_link_exchanged_once_for_a_working_token(
        public: Relay, caplog: pytest.LogCaptureFixture) -> None:
    """The link's code gives a token for ext 100 and the relay's address, once; the token
    works; neither code nor token reaches a log line."""
    caplog.set_level(logging.DEBUG)
    public.add_user("Иванов Иван", "100")
    code = code_of(enroll_link(public, "--ext", "100"))
    async with httpx.AsyncClient(base_url=public.url) as http:
        status = await http.post("/api/v1/enroll/status", json={"code": code})
        assert status.json()["user"] == {"name": "Иванов Иван", "ext": "100"}
        reply = await http.post("/api/v1/enroll", json={"code": code})
        assert reply.status_code == 200, reply.text
        body = reply.json()
        assert body["relay"] == PUBLIC and body["user"] == {"name": "Иванов Иван", "ext": "100"}
        me = await http.get("/api/v1/me", headers=auth(body["token"]))
        assert me.json()["ext"] == "100"
        again = await http.post("/api/v1/enroll", json={"code": code})
        assert (again.status_code, again.json()["code"]) == (410, "enrollment_used")
    logged = caplog.text
    assert code not in logged and body["token"] not in logged


async def test_expired_and_unknown_codes_are_refused(public: Relay) -> None:
    """An expired code is 410 enrollment_expired, an unknown one 404 enrollment_unknown,
    a malformed one too; nothing is issued."""
    public.add_user("Иванов", "100")
    code = code_of(enroll_link(public, "--ext", "100", "--expires", "1m"))
    public.sql("UPDATE enrollments SET expires_at = created_at")
    async with httpx.AsyncClient(base_url=public.url) as http:
        expired = await http.post("/api/v1/enroll", json={"code": code})
        assert (expired.status_code, expired.json()["code"]) == (410, "enrollment_expired")
        for wrong in ("A" * 32, "not a code!", "x"):
            unknown = await http.post("/api/v1/enroll", json={"code": wrong})
            assert (unknown.status_code, unknown.json()["code"]) == (404, "enrollment_unknown")
        for bad in ({}, {"code": ""}, {"code": "a" * 129}, [1]):
            assert (await http.post("/api/v1/enroll", json=bad)).status_code == 422
    assert public.sql("SELECT count(*) FROM tokens")[0][0] == 1


async def test_wrong_codes_are_throttled_per_address(public: Relay) -> None:
    """After ten refused codes from one address, even a good code waits (429, Retry-After)."""
    public.add_user("Иванов", "100")
    good = code_of(enroll_link(public, "--ext", "100"))
    async with httpx.AsyncClient(base_url=public.url) as http:
        for _ in range(10):
            assert (await http.post("/api/v1/enroll", json={"code": "B" * 32})).status_code \
                == 404
        limited = await http.post("/api/v1/enroll", json={"code": good})
        assert limited.status_code == 429 and limited.json()["code"] == "rate_limited"
        assert int(limited.headers["retry-after"]) > 0


async def test_new_device_keeps_others_unless_revoke_others(public: Relay) -> None:
    """A second enrolment adds a device; with --revoke-others the old token is revoked and
    its open socket closes."""
    first = public.add_user("Иванов", "100")
    async with httpx.AsyncClient(base_url=public.url) as http:
        code = code_of(enroll_link(public, "--ext", "100"))
        second = (await http.post("/api/v1/enroll", json={"code": code})).json()["token"]
        assert (await http.get("/api/v1/me", headers=auth(first))).status_code == 200
        async with ws_client(public, first) as old:
            await old.frame()
            code = code_of(enroll_link(public, "--ext", "100", "--revoke-others"))
            third = (await http.post("/api/v1/enroll", json={"code": code})).json()["token"]
            with pytest.raises(ConnectionClosed) as closed:
                await asyncio.wait_for(old.ws.recv(), 1.5)
            assert closed.value.rcvd is not None
            assert closed.value.rcvd.code == CLOSE_UNAUTHORIZED
        for token, status in ((first, 401), (second, 401), (third, 200)):
            assert (await http.get("/api/v1/me", headers=auth(token))).status_code == status


def test_enroll_needs_public_url_and_a_user(relay: Relay,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    """Without public-url (or for an unknown extension) the command says what to do."""
    relay.add_user("Иванов", "100")
    relay.cli("users", "enroll", "--ext", "100", expect=2)
    assert "settings set public-url" in capsys.readouterr().err
    relay.cli("settings", "set", "public-url", PUBLIC)
    relay.cli("users", "enroll", "--ext", "999", expect=2)
    assert "no employee with extension 999" in capsys.readouterr().err
    relay.cli("users", "enroll", "--ext", "100", "--expires", "100d", expect=2)
    relay.cli("settings", "set", "public-url", "ftp://x", expect=2)


async def test_page_behind_the_link(public: Relay) -> None:
    """GET /enroll: the page in the browser's language, no referrer, not cached, its
    script from the relay itself; the relay's address is what the button will use."""
    public.cli("settings", "set", "company-name", "ООО «Ромашка»")
    downloads = public.data_dir / "downloads"
    downloads.mkdir(parents=True)
    (downloads / "trubka-setup-0.1.0.exe").write_bytes(b"MZ" + b"\0" * 1000)
    (downloads / "notes.txt").write_text("not offered")
    async with httpx.AsyncClient(base_url=public.url) as http:
        ru = await http.get("/enroll", headers={"Accept-Language": "ru-RU,ru;q=0.9"})
        en = await http.get("/enroll", headers={"Accept-Language": "en-US,en;q=0.9"})
        assert "Открыть в Трубке" in ru.text and "Open in Trubka" in en.text
        assert "ООО «Ромашка»" in ru.text and f'data-relay="{PUBLIC}"' in ru.text
        assert ru.headers["referrer-policy"] == "no-referrer"
        assert ru.headers["cache-control"] == "no-store"
        assert "script-src" not in ru.headers["content-security-policy"]  # default-src 'self'
        assert "trubka-setup-0.1.0.exe" in ru.text and "notes.txt" not in ru.text
        got = await http.get("/downloads/trubka-setup-0.1.0.exe")
        assert got.status_code == 200 and got.content.startswith(b"MZ")
        for name in ("notes.txt", "..%2Frelay.db", "missing.exe"):
            assert (await http.get(f"/downloads/{name}")).status_code == 404
        assert (await http.get("/static/enroll.js")).status_code == 200


def test_users_import_creates_updates_and_writes_links(public: Relay, tmp_path: Path) -> None:
    """`users import staff.csv --enroll --links-out links.csv`: new users added, existing
    ones updated, one working link each in a file only its owner can read."""
    public.add_user("Старое Имя", "100")
    staff = tmp_path / "staff.csv"
    staff.write_text("name,ext,pbx_user,email,role\nИванов Иван,100,,ivanov@example.ru,\n"
                     "Петров Пётр,101,petrov,petrov@example.ru,admin\n", encoding="utf-8")
    out = tmp_path / "links.csv"
    printed = public.cli("users", "import", str(staff), "--enroll", "--links-out", str(out))
    assert "2 employee(s)" in printed and "1 added, 1 updated" in printed
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [(r["ext"], r["name"]) for r in rows] == [("100", "Иванов Иван"),
                                                      ("101", "Петров Пётр")]
    assert all(r["link"].startswith(PUBLIC + "/enroll#") for r in rows)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    listing = public.cli("users", "list")
    assert "ivanov@example.ru" in listing and "admin" in listing and "Старое" not in listing


def test_users_import_refuses_bad_rows_whole(public: Relay, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    """A file with a bad row (no ext, a duplicate, a bad role) imports nothing."""
    staff = tmp_path / "staff.csv"
    staff.write_text("name,ext,role\nA,100,\nB,,\nC,100,\nD,102,boss\n", encoding="utf-8")
    public.cli("users", "import", str(staff), expect=2)
    err = capsys.readouterr().err
    assert "line 3" in err and "line 4" in err and "line 5" in err
    assert public.sql("SELECT count(*) FROM users")[0][0] == 0


def test_add_with_enroll_role_and_set_role(public: Relay) -> None:
    """`users add --enroll` prints a link last; roles are set at add and changed later."""
    link = public.cli("users", "add", "--name", "Админ", "--ext", "900", "--role", "admin",
                      "--enroll").strip().splitlines()[-1]
    assert link.startswith(PUBLIC + "/enroll#")
    assert public.sql("SELECT role FROM users WHERE ext = '900'") == [("admin",)]
    public.cli("users", "set-role", "--ext", "900", "user")
    assert public.sql("SELECT role FROM users WHERE ext = '900'") == [("user",)]
    public.cli("users", "set-role", "--ext", "901", "admin", expect=2)
