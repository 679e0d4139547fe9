"""`GET /api/v1/events?since=N`: one user's live frames, with replay (SPEC §9.3).

The order of steps makes the replay gap-free: subscribe to the hub first, then read the
log position and replay `seq > since` (from the hub when it has them all, else from the
durable log), then forward live frames, dropping any whose seq was already sent and
filling any gap from the log. A client that falls behind is cut off (4408) and comes
back with `since`.
"""

from __future__ import annotations

import asyncio
import json
import logging
from contextlib import suppress

from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from fastapi.responses import JSONResponse

from trubka.core.protocol import CLOSE_TOO_SLOW, hello_frame
from trubka.relay.deps import Relay, authenticate, relay_of
from trubka.relay.store import calls, users

log = logging.getLogger("trubka.relay.events")
router = APIRouter()
REPLAY_PAGE = 5000


def _since(text: str | None) -> int | None:
    if text is None or text == "":
        return None
    if not text.isdigit() or len(text) > 18:
        raise ValueError(text)
    return int(text)


@router.websocket("/api/v1/events")
async def events(websocket: WebSocket) -> None:
    relay = relay_of(websocket)
    user = await authenticate(relay, websocket.headers.get("authorization"))
    if user is None:
        await websocket.send_denial_response(
            JSONResponse({"error": "Invalid or revoked token"}, status_code=401))
        return
    ext = websocket.query_params.get("ext")
    if ext is not None and ext != user.ext:
        await websocket.send_denial_response(
            JSONResponse({"error": "This token cannot subscribe to another extension"},
                         status_code=403))
        return
    try:
        since = _since(websocket.query_params.get("since"))
    except ValueError:
        await websocket.send_denial_response(
            JSONResponse({"error": "since must be a non-negative integer"}, status_code=422))
        return
    await websocket.accept()
    subscription = relay.hub.subscribe(user.id)
    relay.metrics.clients.inc()
    log.info("ext %s connected (since=%s)", user.ext, since)
    try:
        sent = await _hello_and_replay(relay, websocket, user, since)
        await _forward(relay, websocket, subscription, sent)
    except WebSocketDisconnect:
        pass
    finally:
        subscription.close()
        relay.metrics.clients.dec()
        log.info("ext %s disconnected", user.ext)


async def _hello_and_replay(
    relay: Relay, websocket: WebSocket, user: users.User, since: int | None
) -> int:
    async with relay.store.read() as conn:
        position = await users.log_position(conn, user.id)
        in_progress = await calls.in_progress(conn, user.id)
    complete = since is None or position.trimmed_seq <= since <= position.last_seq
    hello = hello_frame(position.last_seq, user.name, user.ext, in_progress, complete)
    await websocket.send_text(json.dumps(hello, ensure_ascii=False))
    if since is not None and since < position.last_seq:
        frames = await relay.hub.replay(user.id, since, position.last_seq)
        if frames is None:  # not all in the hub: the database log has them
            frames = await _from_log(relay, user.id, since, position.last_seq)
        for _seq, text in frames:
            await websocket.send_text(text)
            relay.metrics.frames.inc()
    relay.hub.start_after(user.id, position.last_seq)
    return position.last_seq


async def _from_log(relay: Relay, user_id: int, after: int, upto: int) -> list[tuple[int, str]]:
    """Frames `after < seq <= upto` from the durable log (a page at a time)."""
    out: list[tuple[int, str]] = []
    while after < upto:
        async with relay.store.read() as conn:
            page = await users.events_after(conn, user_id, after, REPLAY_PAGE)
        page = [(seq, text) for seq, text in page if seq <= upto]
        if not page:
            break
        out.extend(page)
        after = page[-1][0]
    return out


async def _forward(relay: Relay, websocket: WebSocket, subscription, sent: int) -> None:  # type: ignore[no-untyped-def]
    user_id = subscription.user_id

    async def pump() -> None:
        nonlocal sent
        while True:
            item = await subscription.get()
            if item is None:
                await websocket.close(CLOSE_TOO_SLOW, "fell behind; reconnect with since")
                return
            seq, text = item
            if seq <= sent:
                continue
            if seq > sent + 1:
                # A frame that reached the hub late or not at all (another replica, a
                # Redis hiccup): it is committed, since seqs are handed out in commit order.
                for missing_seq, missing in await _from_log(relay, user_id, sent, seq - 1):
                    await websocket.send_text(missing)
                    relay.metrics.frames.inc()
                    sent = missing_seq
            await websocket.send_text(text)
            relay.metrics.frames.inc()
            sent = seq

    async def drain() -> None:
        while True:
            message = await websocket.receive()
            if message["type"] == "websocket.disconnect":
                return

    tasks = [asyncio.create_task(pump()), asyncio.create_task(drain())]
    try:
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        for task in done:
            with suppress(WebSocketDisconnect, RuntimeError):
                task.result()
    finally:
        for task in tasks:
            task.cancel()
        with suppress(asyncio.CancelledError, WebSocketDisconnect, RuntimeError):
            await asyncio.gather(*tasks, return_exceptions=True)
