"""Issue 10 items 6 and 11: the REST API checks a bearer before it reads a body, bounds
every body (413 `body_too_large`), and an address that keeps failing authentication —
webhooks, the API, the events socket, enrolment codes — gets 429 until its failures age
out, while successful requests are never counted or slowed."""

from __future__ import annotations

import json
import socket
import time

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from tests.conftest import WEBHOOK_TOKEN, Relay, auth
from trubka.relay.config import RelayConfig

LIMIT = RelayConfig().max_api_body_bytes


def raw_exchange(relay: Relay, head: bytes, body: bytes = b"", timeout: float = 5.0) -> bytes:
    """Send `head` (and `body`) on a plain socket; what the relay answers before it
    closes or `timeout` passes (the test fails on a timeout: no answer is the bug)."""
    with socket.create_connection((relay.server.host, relay.server.port), timeout=timeout) as s:
        s.sendall(head + body)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
        head_end = data.find(b"\r\n\r\n")
        length = next((int(line.split(b":")[1]) for line in data[:head_end].split(b"\r\n")
                       if line.lower().startswith(b"content-length:")), 0)
        while len(data) < head_end + 4 + length:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
        return data


def status_and_body(reply: bytes) -> tuple[int, dict[str, object]]:
    head, _, body = reply.partition(b"\r\n\r\n")
    return int(head.split(b" ")[1]), json.loads(body)


def post_head(path: str, length: int, token: str | None, chunked: bool = False) -> bytes:
    lines = [f"POST {path} HTTP/1.1", "Host: relay", "Content-Type: application/json"]
    lines.append("Transfer-Encoding: chunked" if chunked else f"Content-Length: {length}")
    if token is not None:
        lines.append(f"Authorization: Bearer {token}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def test_a_wrong_bearer_is_401_before_a_byte_of_the_body_is_read(relay: Relay) -> None:
    """Headers promising 100 MB with a wrong token, and no body sent at all: the relay
    answers 401 at once (it used to read the whole body first, +230 MB of RSS)."""
    reply = raw_exchange(relay, post_head("/api/v1/contacts", 100_000_000, "trb_wrong"))
    status, body = status_and_body(reply)
    assert (status, body["code"]) == (401, "unauthorized")


def test_a_declared_body_over_the_limit_is_413_unread(relay: Relay) -> None:
    """A valid token and a Content-Length over the limit, body unsent: 413 at once."""
    token = relay.add_user("Иванов", "100")
    for path in ("/api/v1/contacts", "/api/v1/enroll", "/enroll"):
        status, body = status_and_body(raw_exchange(relay, post_head(path, LIMIT + 1, token)))
        assert (status, body["code"]) == (413, "body_too_large"), path


def test_a_streamed_body_growing_past_the_limit_is_413(relay: Relay) -> None:
    """A chunked body (no length declared) is read up to the limit, then refused."""
    token = relay.add_user("Иванов", "100")
    chunk = b"x" * 65536
    body = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(LIMIT // 65536 + 2))
    reply = raw_exchange(relay, post_head("/api/v1/contacts", 0, token, chunked=True), body)
    status, data = status_and_body(reply)
    assert (status, data["code"]) == (413, "body_too_large")


def test_bodies_within_the_limit_work_and_413_is_declared(relay: Relay) -> None:
    """The largest contact the API takes fits; /openapi.json declares 413 on the API."""
    token = relay.add_user("Иванов", "100")
    big = {"name": "Я" * 300, "note": "Ж" * 10_000, "phones": ["+7 903 111-22-33"] * 20,
           "crm_url": "https://crm.example.invalid/" + "a" * 1900}
    with httpx.Client(base_url=relay.url, headers=auth(token)) as http:
        assert len(json.dumps(big).encode()) < LIMIT
        assert http.post("/api/v1/contacts", json=big).status_code == 201
        assert "413" in http.get("/openapi.json").json()["paths"]["/api/v1/contacts"]["post"][
            "responses"]


def limit(relay: Relay, count: int, seconds: int) -> None:
    relay.cli("settings", "set", "auth-failure-limit", str(count))
    relay.cli("settings", "set", "auth-failure-window-seconds", str(seconds))


def test_repeated_wrong_tokens_get_429_and_a_good_one_waits_too(relay: Relay) -> None:
    """Three wrong bearer tokens from one address: the fourth request — even with a
    good token — is 429 with Retry-After; once the window passes the good token works."""
    token = relay.add_user("Иванов", "100")
    limit(relay, 3, 2)
    with httpx.Client(base_url=relay.url) as http:
        for _ in range(3):
            assert http.get("/api/v1/me", headers=auth("trb_wrong")).status_code == 401
        refused = http.get("/api/v1/me", headers=auth(token))
        assert refused.status_code == 429 and refused.json()["code"] == "rate_limited"
        assert 1 <= int(refused.headers["Retry-After"]) <= 2
        deadline = time.monotonic() + 5
        while http.get("/api/v1/me", headers=auth(token)).status_code == 429:
            assert time.monotonic() < deadline
            time.sleep(0.2)
        assert http.get("/api/v1/me", headers=auth(token)).status_code == 200


def test_successes_are_never_counted(relay: Relay) -> None:
    """Hundreds of good requests and webhooks under a limit of 2 pass untouched."""
    token = relay.add_user("Иванов", "100")
    relay.cli("provider", "set", "prostiezvonki", "--webhook-token", WEBHOOK_TOKEN)
    limit(relay, 2, 60)
    hook = {"cmd": "contact", "phone": "89991234567", "crm_token": WEBHOOK_TOKEN}
    with httpx.Client(base_url=relay.url) as http:
        for _ in range(100):
            assert http.get("/api/v1/me", headers=auth(token)).status_code == 200
            assert http.post("/hooks/prostiezvonki", json=hook).status_code == 200


def test_asking_without_credentials_is_not_a_failure(relay: Relay) -> None:
    """A request with no credential at all (a signed-out browser, a monitor) is 401 but
    guesses nothing: it is not counted, while a wrong cookie or ticket is."""
    token = relay.add_user("Иванов", "100")
    limit(relay, 2, 60)
    with httpx.Client(base_url=relay.url) as http:
        for _ in range(20):
            assert http.get("/api/v1/me").status_code == 401
        assert http.get("/api/v1/me", headers=auth(token)).status_code == 200
        assert http.get("/api/v1/me", params={"ticket": "nope"}).status_code == 401
        assert http.get("/api/v1/me", headers={"Cookie": "trubka_session=nope"}
                        ).status_code == 401
        assert http.get("/api/v1/me", headers=auth(token)).status_code == 429


async def test_failures_of_every_kind_count_together(relay: Relay) -> None:
    """A wrong webhook token, a wrong bearer, a refused socket handshake and a wrong
    enrolment code are one address's failures: after four, webhooks, the API, the
    socket and enrolment all answer 429."""
    token = relay.add_user("Иванов", "100")
    relay.cli("provider", "set", "prostiezvonki", "--webhook-token", WEBHOOK_TOKEN)
    limit(relay, 4, 60)
    async with httpx.AsyncClient(base_url=relay.url) as http:
        assert (await http.post("/hooks/prostiezvonki", json={"crm_token": "x"})
                ).status_code == 401
        assert (await http.get("/api/v1/calls", headers=auth("trb_x"))).status_code == 401
        with pytest.raises(InvalidStatus) as denied:
            await connect(relay.ws_url + "/api/v1/events", additional_headers=auth("trb_x"))
        assert denied.value.response.status_code == 401
        assert (await http.post("/api/v1/enroll", json={"code": "nope"})).status_code == 404
        good = {"cmd": "contact", "phone": "1", "crm_token": WEBHOOK_TOKEN}
        for reply in (await http.post("/hooks/prostiezvonki", json=good),
                      await http.get("/api/v1/me", headers=auth(token)),
                      await http.post("/api/v1/enroll", json={"code": "x"})):
            assert reply.status_code == 429, reply.text
            assert reply.json()["code"] == "rate_limited"
        with pytest.raises(InvalidStatus) as limited:
            await connect(relay.ws_url + "/api/v1/events", additional_headers=auth(token))
        assert limited.value.response.status_code == 429


async def test_beeline_wrong_path_secret_counts_though_it_answers_404(relay: Relay) -> None:
    """Beeline answers a wrong path secret 404 (not revealing the path exists); it is an
    authentication failure all the same."""
    relay.cli("provider", "set", "beeline", "--api-token", "t", "--api-url",
              "http://127.0.0.1:9/apis/portal", "--webhook-secret", "right-secret")
    limit(relay, 2, 60)
    async with httpx.AsyncClient(base_url=relay.url) as http:
        for _ in range(2):
            assert (await http.post("/hooks/beeline/guess", content=b"<x/>")).status_code == 404
        assert (await http.post("/hooks/beeline/right-secret", content=b"<x/>")
                ).status_code == 429


async def test_console_imports_take_a_whole_book(relay: Relay) -> None:
    """An admin import may be larger than an ordinary REST body (a company's address book);
    other requests of that size are still 413."""
    token = relay.add_user("Админ", "900")
    relay.cli("users", "set-role", "--ext", "900", "admin")
    rows = "".join(f"Контакт {i},+7999{i:07d}\n" for i in range(12_000))
    book = ("name,phones\n" + rows).encode()
    assert len(book) > 256 * 1024
    async with httpx.AsyncClient(base_url=relay.url, timeout=30) as http:
        big = await http.post("/api/v1/contacts", headers=auth(token), content=book,
                              params={"x": "1"})
        assert big.status_code == 413
        imported = await http.post("/api/v1/admin/contacts/import", headers=auth(token),
                                   json={"text": book.decode(), "format": "csv",
                                         "preview": True})
        assert imported.status_code == 200, imported.text[:300]
