"""`GET /api/v1/admin/live?ticket=…`: the console's feed of every employee's calls.

It opens with a snapshot of the calls in progress, then forwards each `call` frame the
hub delivers for any employee, tagged with whose it is — the same frames the desktops
get, so the console changes as soon as their windows do. Admission is the events
socket's: an allowed `Origin`, a single-use ticket (or a bearer token), and the
administrator role; it closes when the session signs out or loses the role (4401), or
when it falls behind (4408: the page reconnects and gets a new snapshot).
"""

from __future__ import annotations

import asyncio
import json
from contextlib import suppress

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from trubka.core.errors import Forbidden, TrubkaError, Unauthorized
from trubka.core.protocol import CLOSE_TOO_SLOW, CLOSE_UNAUTHORIZED
from trubka.relay.deps import Credential, Relay, identify, relay_of
from trubka.relay.errors import error_response
from trubka.relay.hub.base import Subscription
from trubka.relay.routes.admin_schemas import LiveCallOut
from trubka.relay.store import overview
from trubka.relay.store.users import User
from trubka.relay.web.origins import origin_allowed

router = APIRouter()


class ConsoleFeed:
    """One hub subscription per employee, merged into one queue."""

    def __init__(self, relay: Relay) -> None:
        self.relay = relay
        self.queue: asyncio.Queue[tuple[User, str] | None] = asyncio.Queue()
        self.subs: list[Subscription] = []
        self.tasks: list[asyncio.Task[None]] = []
        self.revoked = False

    async def start(self) -> None:
        async with self.relay.store.read() as conn:
            everyone = await overview.everyone(conn)
        for user in everyone:
            sub = self.relay.hub.subscribe(user.id)
            self.subs.append(sub)
            self.tasks.append(asyncio.create_task(self._forward(user, sub)))

    async def _forward(self, user: User, sub: Subscription) -> None:
        while (item := await sub.get()) is not None:
            self.queue.put_nowait((user, item[1]))
        self.queue.put_nowait(None)  # that employee's feed fell behind

    def kick(self, revoked: bool = False) -> None:
        self.revoked = self.revoked or revoked
        self.queue.put_nowait(None)

    async def close(self) -> None:
        for sub in self.subs:
            sub.close()
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)


async def _admit(relay: Relay, websocket: WebSocket) -> Credential:
    if not origin_allowed(websocket, await relay.registry.settings()):
        raise Forbidden("This page's origin may not open the console feed")
    credential = await identify(relay, websocket, socket=True)
    if credential is None:
        raise Unauthorized()
    if not credential.user.is_admin:
        raise Forbidden("This needs an administrator")
    return credential


@router.websocket("/api/v1/admin/live")
async def live(websocket: WebSocket) -> None:
    relay = relay_of(websocket)
    try:
        credential = await _admit(relay, websocket)
    except TrubkaError as exc:
        await websocket.send_denial_response(error_response(exc))
        return
    await websocket.accept()
    feed = ConsoleFeed(relay)
    entry = (relay.browsers.add(credential.session_key, feed, credential.user.id, True)
             if credential.session_key else None)
    try:
        await feed.start()
        async with relay.store.read() as conn:
            calls = await overview.live_calls(conn)
        await websocket.send_json({"type": "live", "calls": [
            LiveCallOut.of(user, call).model_dump(mode="json") for user, call in calls]})
        await _pump(websocket, feed)
    except WebSocketDisconnect:
        pass
    finally:
        relay.browsers.discard(entry)
        await feed.close()


async def _pump(websocket: WebSocket, feed: ConsoleFeed) -> None:
    drain = asyncio.create_task(_drain(websocket, feed))
    try:
        while (item := await feed.queue.get()) is not None:
            user, text = item
            frame = json.loads(text)
            if frame.get("type") == "call":
                await websocket.send_json({"type": "call", "user": {
                    "name": user.name, "ext": user.ext}, "call": frame["call"]})
        code = CLOSE_UNAUTHORIZED if feed.revoked else CLOSE_TOO_SLOW
        with suppress(RuntimeError, WebSocketDisconnect):
            await websocket.close(code, "signed out" if feed.revoked else "reconnect")
    finally:
        drain.cancel()
        await asyncio.gather(drain, return_exceptions=True)


async def _drain(websocket: WebSocket, feed: ConsoleFeed) -> None:
    """Notice the page leaving."""
    with suppress(WebSocketDisconnect, RuntimeError):
        while (await websocket.receive())["type"] != "websocket.disconnect":
            pass
    feed.kick()
