"""The least a *durable* relay can cost here: a third baseline for bench/fanout.py
(`--peer durable`).

The bare `websockets` baseline forwards a message from memory; the relay must not send a
frame before the event is committed (SPEC: a webhook is acknowledged only once durably
stored, and a desktop resumes by the frames' seq). This peer does exactly what that
contract forces and nothing else: it takes each event as an HTTP POST on a kept-alive
connection (`POST /pub/<ext>`, as the relay's PBX webhooks come), appends it to a SQLite
table in WAL mode with `synchronous=FULL` and commits (the relay's settings: the fsync
included), sends it to the employee's WebSocket subscribers (`ws://…/u/<ext>`) and replies
`200`. No PBX body to parse, no call state, no journal — so the relay's latency against
this peer's, measured in the same run, is what the relay itself adds, and this peer's
against the bare baseline is what the durable commit costs on this disk.

It runs on uvloop, as `trubka-relay serve` does where uvloop is installed (the relay extra).

    python bench/durable_peer.py WS_PORT HTTP_PORT DATABASE   # prints "ready"
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import sys
from pathlib import Path

from fanout import Subscribers  # this script's directory is on sys.path
from websockets.asyncio.server import serve


async def serve_durable(ws_port: int, http_port: int, path: Path) -> None:
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("CREATE TABLE IF NOT EXISTS frames"
                " (seq INTEGER PRIMARY KEY, employee TEXT, payload TEXT)")
    subscribers = Subscribers()  # the bare baseline's fan-out, the same code

    async def publisher(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.closing(writer):
            while request := await reader.readline():
                employee = request.split(b" ")[1].rsplit(b"/", 1)[-1].decode()
                length = 0
                while (header := await reader.readline()) not in (b"\r\n", b""):
                    if header[:15].lower() == b"content-length:":
                        length = int(header[15:])
                payload = (await reader.readexactly(length)).decode()
                db.execute("BEGIN IMMEDIATE")
                db.execute("INSERT INTO frames (employee, payload) VALUES (?, ?)",
                           (employee, payload))
                db.execute("COMMIT")  # inline, as the relay's writer commits
                await subscribers.send(employee, payload)
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")

    async with serve(subscribers.hold, "127.0.0.1", ws_port, max_queue=None, ping_interval=None), \
            await asyncio.start_server(publisher, "127.0.0.1", http_port):
        print("ready", flush=True)
        await asyncio.Future()


def command(ws_port: int, http_port: int, database: Path) -> list[str]:
    return [sys.executable, __file__, str(ws_port), str(http_port), str(database)]


def main() -> None:
    ws_port, http_port, database = int(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])
    try:
        import uvloop
    except ImportError:  # the relay falls back to asyncio's loop the same way
        asyncio.run(serve_durable(ws_port, http_port, database))
    else:
        uvloop.run(serve_durable(ws_port, http_port, database))


if __name__ == "__main__":
    main()
