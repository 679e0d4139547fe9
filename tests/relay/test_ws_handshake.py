"""Issue 10 item 7: an events-socket upgrade the WebSocket parser refuses is answered and
closed at once, never left hanging with its file descriptor open (uvicorn's
websockets-sansio protocol did not send websockets' refusal: relay/wsprotocol.py)."""

from __future__ import annotations

import socket

import pytest

from tests.conftest import Relay, ws_client

UPGRADE = ("GET /api/v1/events HTTP/1.1\r\nHost: relay\r\nUpgrade: websocket\r\n"
           "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
           "Sec-WebSocket-Version: 13\r\n")

CASES = {
    "a 9 KB header line": UPGRADE + f"X-Long: {'a' * 9000}\r\n\r\n",
    "a 70 KB header line": UPGRADE + f"X-Long: {'a' * 70_000}\r\n\r\n",
    "a 60 KB bearer token": UPGRADE + f"Authorization: Bearer {'t' * 60_000}\r\n\r\n",
    "200 headers": UPGRADE + "".join(f"X-H{i}: v\r\n" for i in range(200)) + "\r\n",
    "a 9 KB request line": UPGRADE.replace("events", "events?x=" + "q" * 9000) + "\r\n",
}


def answer(relay: Relay, request: str) -> bytes:
    """Everything the relay sends until it closes; a timeout (no answer, connection
    left open) fails the test."""
    with socket.create_connection((relay.server.host, relay.server.port), timeout=5) as s:
        s.sendall(request.encode())
        data = b""
        while chunk := s.recv(65536):
            data += chunk
        return data


@pytest.mark.parametrize("request_text", CASES.values(), ids=CASES.keys())
def test_an_unparseable_upgrade_is_answered_and_closed(relay: Relay, request_text: str) -> None:
    """Over-long header lines, too many headers, an over-long request line: a 4xx reply
    (431/414 from websockets, or 400 from the HTTP parser) and the connection closed."""
    reply = answer(relay, request_text)
    status = int(reply.split(b" ", 2)[1])
    assert status in (400, 414, 431), reply[:100]


async def test_normal_upgrades_still_work(relay: Relay) -> None:
    """The fix leaves ordinary handshakes alone: a desktop connects and is greeted."""
    token = relay.add_user("Иванов", "100")
    async with ws_client(relay, token) as desk:
        assert (await desk.frame())["type"] == "hello"
