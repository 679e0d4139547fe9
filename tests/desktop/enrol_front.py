"""A loopback front for a real relay that answers `POST /api/v1/enroll` as the relay's
contract says (SPEC §9.4) and passes every other connection — REST and the events
socket — through to the relay. It stands in until the relay serves the endpoint itself,
and records every enrolment body it receives."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
from dataclasses import dataclass

from tests.desktop.proxy import pipe


@dataclass
class Code:
    token: str
    name: str
    ext: str
    expired: bool = False
    used: bool = False


class EnrolFront:
    def __init__(self, relay_port: int) -> None:
        self.relay_port = relay_port
        self.codes: dict[str, Code] = {}
        self.received: list[dict[str, object]] = []
        self.throttled = False  # answer 429, as the relay does after many wrong codes
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(50)
        self.port = self.listener.getsockname()[1]
        self._closed = False
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def add(self, code: str, token: str, name: str, ext: str, expired: bool = False) -> str:
        self.codes[code] = Code(token, name, ext, expired)
        return code

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        head = b""
        while b"\r\n\r\n" not in head and len(head) < 65536:
            chunk = client.recv(4096)
            if not chunk:
                client.close()
                return
            head += chunk
        line = head.split(b"\r\n", 1)[0].decode("latin-1")
        if line.startswith("POST /api/v1/enroll "):
            self._enroll(client, head)
        else:
            self._pass_through(client, head)

    def _enroll(self, client: socket.socket, head: bytes) -> None:
        header, _, body = head.partition(b"\r\n\r\n")
        length = next((int(h.split(b":", 1)[1]) for h in header.split(b"\r\n")
                       if h.lower().startswith(b"content-length:")), 0)
        while len(body) < length:
            body += client.recv(4096)
        data = json.loads(body)
        self.received.append(data)
        with self._lock:
            status, reply = self._answer(str(data.get("code")))
        payload = json.dumps(reply).encode()
        client.sendall(f"HTTP/1.1 {status} X\r\nContent-Type: application/json\r\n"
                       f"Content-Length: {len(payload)}\r\nConnection: close\r\n\r\n"
                       .encode() + payload)
        client.close()

    def _answer(self, code: str) -> tuple[int, dict[str, object]]:
        entry = self.codes.get(code)
        if self.throttled:
            return 429, {"error": "Too many attempts; try again later",
                         "code": "rate_limited", "retry_after": 60}
        if entry is None:
            return 404, {"error": "Unknown enrolment code", "code": "enrollment_unknown"}
        if entry.used:
            return 410, {"error": "Enrolment code already used", "code": "enrollment_used"}
        if entry.expired:
            return 410, {"error": "Enrolment code expired", "code": "enrollment_expired"}
        entry.used = True
        return 200, {"token": entry.token, "relay": self.url,
                     "user": {"name": entry.name, "ext": entry.ext}}

    def _pass_through(self, client: socket.socket, head: bytes) -> None:
        try:
            upstream = socket.create_connection(("127.0.0.1", self.relay_port), timeout=5)
        except OSError:
            client.close()
            return
        upstream.settimeout(None)
        upstream.sendall(head)
        for a, b in ((client, upstream), (upstream, client)):
            threading.Thread(target=pipe, args=(a, b), daemon=True).start()

    def close(self) -> None:
        self._closed = True
        with contextlib.suppress(OSError):
            self.listener.close()

