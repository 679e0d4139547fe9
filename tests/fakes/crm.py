"""A fake CRM on loopback: records every request and answers through a handler the test
gives, so tests assert the request shapes the CRM's documentation gives (paths,
parameters, auth headers) and script its answers, its slowness and its failures."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit


@dataclass
class Request:
    method: str
    path: str  # percent-decoded
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


Answer = tuple[int, Any]  # (status, JSON body, or None for an empty body)
Handler = Callable[[Request], Answer]


@dataclass
class FakeCrm:
    handler: Handler
    delay: float = 0.0  # seconds before each answer
    requests: list[Request] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)  # requests the handler refused

    def start(self) -> FakeCrm:
        fake = self

        class Http(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            wbufsize = -1  # one segment per reply: no Nagle/delayed-ACK stall of ~40 ms

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                request = Request(self.command, unquote(parts.path),
                                  dict(parse_qsl(parts.query, keep_blank_values=True)),
                                  {k.lower(): v for k, v in self.headers.items()}, body)
                fake.requests.append(request)
                if fake.delay:
                    time.sleep(fake.delay)
                try:
                    status, data = fake.handler(request)
                except Exception as exc:  # a test's assertion about the request
                    fake.failures.append(f"{request.method} {request.path}: {exc!r}")
                    status, data = 599, {"fake_error": repr(exc)}
                raw = b"" if data is None else json.dumps(data, ensure_ascii=False).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(raw)))
                    self.end_headers()
                    self.wfile.write(raw)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the relay gave up waiting (a slow CRM) or stopped

            do_GET = do_POST = do_PATCH = _handle

            def log_message(self, format: str, *args: object) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Http)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def made(self, path: str, method: str | None = None) -> list[Request]:
        return [r for r in self.requests if r.path == path
                and (method is None or r.method == method)]


def refused_url() -> str:
    """An address on loopback where nothing listens: connections are refused."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"
