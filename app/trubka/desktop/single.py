"""One running instance per user, desktop session and profile (`QLocalServer`).

A second `trubka tel:+7...` or `trubka dial N` hands its request to the running instance
over a local socket (one JSON line, answered "ok") and exits; when none runs, it
becomes the instance itself.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import logging
import os
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from trubka.desktop.qtcompat import emit

log = logging.getLogger("trubka.desktop.single")


def server_name(profile: Path) -> str:
    session = (os.environ.get("XDG_SESSION_ID") or os.environ.get("WAYLAND_DISPLAY")
               or os.environ.get("DISPLAY") or os.environ.get("SESSIONNAME") or "")
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = str(os.getuid()) if hasattr(os, "getuid") else "user"
    digest = hashlib.sha256(f"{user}|{session}|{profile.resolve()}".encode()).hexdigest()
    return f"trubka-{digest[:16]}"


def send(name: str, request: dict[str, str], timeout_ms: int = 3000) -> bool:
    """Hand `request` to the running instance; False when none answers."""
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(timeout_ms):
        return False
    socket.write((json.dumps(request) + "\n").encode())
    socket.flush()
    ok = socket.waitForReadyRead(timeout_ms) and bytes(socket.readAll().data()).startswith(b"ok")
    socket.disconnectFromServer()
    return ok


class InstanceServer(QObject):
    """Signal `request(dict)`: another launch's request, `{"cmd": "dial" | "url" |
    "enroll" | "show", "arg": str}` (str values only)."""

    request = Signal(dict)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self.server.newConnection.connect(self._accept)

    def listen(self) -> bool:
        if self.server.listen(self.name):
            return True
        # A stale socket file from a crashed instance: nobody answers, so take it over.
        probe = QLocalSocket()
        probe.connectToServer(self.name)
        if probe.waitForConnected(500):
            probe.disconnectFromServer()
            return False
        QLocalServer.removeServer(self.name)
        return self.server.listen(self.name)

    def _accept(self) -> None:
        while self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()
            socket.readyRead.connect(lambda s=socket: self._read(s))

    def _read(self, socket: QLocalSocket) -> None:
        if not socket.canReadLine():
            return
        line = bytes(socket.readLine().data())
        try:
            data = json.loads(line)
        except ValueError:
            data = None
        if isinstance(data, dict) and all(isinstance(v, str) for v in data.values()):
            socket.write(b"ok\n")
            socket.flush()
            log.info("request from another launch: %s", data.get("cmd"))
            emit(self.request, data)
        else:
            socket.write(b"error\n")
        socket.disconnectFromServer()

    def close(self) -> None:
        self.server.close()
