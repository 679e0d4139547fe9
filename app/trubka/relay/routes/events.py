"""`GET /api/v1/events?since=N`: one user's live frames, with replay (SPEC §9.3).

The order of steps makes the replay gap-free: subscribe to the hub first, then read the
log position and replay `seq > since` (from the hub when it has them all, else from the
durable log), then forward live frames under the since rule (core/sequence.py): a seq
already sent is skipped, a gap is filled from the log. A client that falls behind is cut
off (4408) and comes back with `since`; a socket whose token is revoked is closed (4401).
"""

from __future__ import annotations

import asyncio
import json
import logging
from contextlib import suppress

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from trubka.core.errors import Forbidden, InvalidRequest, TrubkaError, Unauthorized
from trubka.core.protocol import CLOSE_TOO_SLOW, CLOSE_UNAUTHORIZED, hello_frame
from trubka.core.sequence import Verdict
from trubka.relay.deps import Credential, Relay, identify, relay_of
from trubka.relay.errors import error_response
from trubka.relay.hub.base import Subscription
from trubka.relay.store import calls, users
from trubka.relay.web.origins import origin_allowed

log = logging.getLogger("trubka.relay.events")
router = APIRouter()
REPLAY_PAGE = 5000


def _since(text: str | None) -> int | None:
    if text is None or text == "":
        return None
    if not text.isdigit() or len(text) > 18:
        raise InvalidRequest("since must be a non-negative integer",
                             [{"field": "since", "message": "a non-negative integer"}])
    return int(text)


async def _admit(relay: Relay, websocket: WebSocket) -> tuple[Credential, int | None]:
    """The desktop's bearer token; a browser's ticket (or cookie) from an allowed page."""
    if not origin_allowed(websocket, await relay.registry.settings()):
        raise Forbidden("This page's origin may not open the events socket "
                        "(trubka-relay settings set cors-origins)")
    credential = await identify(relay, websocket, socket=True)
    if credential is None:
        raise Unauthorized()
    ext = websocket.query_params.get("ext")
    if ext is not None and ext != credential.user.ext:
        raise Forbidden("This token cannot subscribe to another extension")
    return credential, _since(websocket.query_params.get("since"))


@router.websocket("/api/v1/events")
async def events(websocket: WebSocket) -> None:
    relay = relay_of(websocket)
    try:
        credential, since = await _admit(relay, websocket)
    except TrubkaError as exc:
        await websocket.send_denial_response(error_response(exc))
        return
    user = credential.user
    await websocket.accept()
    subscription = relay.hub.subscribe(user.id, credential.token_id)
    browser = (relay.browsers.add(credential.session_key, subscription, user.id)
               if credential.session_key else None)
    relay.metrics.clients.inc()
    relay.presence.seen(credential.token_id)
    log.info("ext %s connected (since=%s)", user.ext, since)
    try:
        await _hello_and_replay(relay, websocket, subscription, user, since)
        await _forward(relay, websocket, subscription)
    except WebSocketDisconnect:
        pass
    finally:
        subscription.close()
        relay.browsers.discard(browser)
        relay.metrics.clients.dec()
        relay.presence.seen(credential.token_id)
        log.info("ext %s disconnected", user.ext)


async def _hello_and_replay(relay: Relay, websocket: WebSocket, subscription: Subscription,
                            user: users.User, since: int | None) -> None:
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
    subscription.gate.advance_to(position.last_seq)


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


async def _pump(relay: Relay, websocket: WebSocket, subscription: Subscription) -> None:
    gate = subscription.gate
    while True:
        item = await subscription.get()
        if item is None:
            if subscription.revoked:
                await websocket.close(CLOSE_UNAUTHORIZED, "token revoked")
            else:
                await websocket.close(CLOSE_TOO_SLOW, "fell behind; reconnect with since")
            return
        seq, text = item
        missing = gate.missing(seq)
        verdict = gate.accept(seq)
        if verdict is Verdict.SKIP:
            continue
        if verdict is Verdict.GAP:
            # A frame that reached the hub late or not at all (another replica, a Redis
            # hiccup): it is committed, since seqs are handed out in commit order.
            for _seq, frame in await _from_log(relay, subscription.user_id,
                                               missing.start - 1, missing.stop - 1):
                await websocket.send_text(frame)
                relay.metrics.frames.inc()
        await websocket.send_text(text)
        relay.metrics.frames.inc()


async def _drain(websocket: WebSocket) -> None:
    """Read (and ignore) what the client sends, to notice it leaving."""
    while True:
        message = await websocket.receive()
        if message["type"] == "websocket.disconnect":
            return


async def _forward(relay: Relay, websocket: WebSocket, subscription: Subscription) -> None:
    tasks = [asyncio.create_task(_pump(relay, websocket, subscription)),
             asyncio.create_task(_drain(websocket))]
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
