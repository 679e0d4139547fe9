"""A fake PBX API on loopback that records every request and answers as told.

Stands in for Prostye Zvonki's makecall URL, a crm_api endpoint, and so on: tests assert
on the recorded method, path, headers and body, and script the replies (status, body).
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes

    def json(self) -> object:
        return json.loads(self.body)

    def form(self) -> dict[str, str]:
        return dict(parse_qsl(self.body.decode()))


@dataclass
class Scripted:
    status: int = 200
    body: bytes = b'{"result": "ok"}'
    content_type: str = "application/json"


@dataclass
class FakePbx:
    requests: list[Recorded] = field(default_factory=list)
    replies: dict[str, Scripted] = field(default_factory=dict)  # path -> reply
    default: Scripted = field(default_factory=Scripted)
    received: threading.Event = field(default_factory=threading.Event)

    def reply(self, path: str, status: int = 200, body: object = None,
              content_type: str = "application/json") -> None:
        raw = body if isinstance(body, bytes) else json.dumps(body).encode() if body is not None \
            else b""
        self.replies[path] = Scripted(status, raw, content_type)

    def start(self) -> FakePbx:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                fake.requests.append(Recorded(
                    self.command, parts.path, dict(parse_qsl(parts.query)),
                    {k.lower(): v for k, v in self.headers.items()}, body))
                scripted = fake.replies.get(parts.path, fake.default)
                self.send_response(scripted.status)
                self.send_header("Content-Type", scripted.content_type)
                self.send_header("Content-Length", str(len(scripted.body)))
                self.end_headers()
                self.wfile.write(scripted.body)
                fake.received.set()

            do_GET = do_POST = do_PUT = do_DELETE = _handle

            def log_message(self, format: str, *args: object) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
