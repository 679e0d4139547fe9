"""The events WebSocket (SPEC §9.3): hello, replay with `since`, retention, isolation."""

from __future__ import annotations

import httpx
import pytest
from websockets.exceptions import InvalidStatus

from tests.conftest import WEBHOOK_TOKEN, Relay, ws_client


def event(kind: str, callid: str, ext: str = "100", phone: str = "89991234567",
          direction: str = "in") -> dict[str, object]:
    return {"cmd": "event", "type": kind, "direction": direction, "user": ext, "ext": ext,
            "phone": phone, "callid": callid, "crm_token": WEBHOOK_TOKEN}


def history(callid: str, status: str = "missed", ext: str = "100",
            duration: int = 20) -> dict[str, object]:
    return {"cmd": "history", "type": "in", "user": ext, "ext": ext, "phone": "89991234567",
            "callid": callid, "crm_token": WEBHOOK_TOKEN, "start": "20230908T015640",
            "duration": duration, "link": "", "status": status}


async def post(relay: Relay, *bodies: dict[str, object]) -> None:
    async with httpx.AsyncClient(base_url=relay.url) as http:
        for b in bodies:
            reply = await http.post("/hooks/prostiezvonki", json=b)
            assert reply.status_code == 200, reply.text


async def test_reconnect_with_since_gets_exactly_the_missed_frames_once(pz_relay: Relay) -> None:
    """Frames posted while a client was away arrive once, in order, after its hello."""
    token = pz_relay.add_user("Иванов", "100")
    await post(pz_relay, event("INCOMING", "a"))
    async with ws_client(pz_relay, token) as c:
        hello = await c.frame()
        assert hello["seq"] == 1 and [x["state"] for x in hello["calls"]] == ["ringing"]
    await post(pz_relay, event("ACCEPTED", "a"), history("a", "success", duration=30),
               event("INCOMING", "b"))
    async with ws_client(pz_relay, token, since=1) as c:
        hello = await c.frame()
        assert hello["replay_complete"] is True and hello["seq"] == 5
        assert [x["id"] for x in hello["calls"]] != []
        frames = await c.frames(4)
        assert [f["seq"] for f in frames] == [2, 3, 4, 5]
        assert [f["type"] for f in frames] == ["call", "call", "journal", "call"]
        assert [f["call"]["state"] for f in frames if f["type"] == "call"] == [
            "answered", "ended", "ringing"]
        await c.nothing()
        await post(pz_relay, history("b"))
        live = await c.frames(2)
        assert [f["seq"] for f in live] == [6, 7]
    async with ws_client(pz_relay, token, since=7) as c:
        assert (await c.frame())["replay_complete"] is True
        await c.nothing()


async def test_since_older_than_retention_says_so(pz_relay: Relay) -> None:
    """After the log was trimmed, a stale `since` gets replay_complete false."""
    token = pz_relay.add_user("Иванов", "100")
    await post(pz_relay, event("INCOMING", "a"), history("a"), event("INCOMING", "b"))
    # age the first two frames
    pz_relay.sql("update events set created_at = '2000-01-01 00:00:00' where seq <= 2")
    pz_relay.cli("settings", "set", "event-retention-hours", "1")
    assert "trimmed 2 event(s)" in pz_relay.cli("maintain")
    async with ws_client(pz_relay, token, since=0) as c:
        hello = await c.frame()
        assert hello["replay_complete"] is False
        frames = await c.frames(2)  # what is still kept comes anyway
        assert [f["seq"] for f in frames] == [3, 4]
    async with ws_client(pz_relay, token, since=2) as c:
        assert (await c.frame())["replay_complete"] is True
    async with ws_client(pz_relay, token, since=99) as c:  # a log this relay never wrote
        assert (await c.frame())["replay_complete"] is False


async def test_users_see_only_their_own_calls(pz_relay: Relay) -> None:
    """Ext 101's socket gets nothing of ext 100's call; another ext is refused."""
    token_100 = pz_relay.add_user("Иванов", "100")
    token_101 = pz_relay.add_user("Петров", "101")
    async with ws_client(pz_relay, token_100) as mine, ws_client(pz_relay, token_101) as other:
        await mine.frame()
        await other.frame()
        await post(pz_relay, event("INCOMING", "x"))
        assert (await mine.frame())["call"]["ext"] == "100"
        await other.nothing()
    with pytest.raises(InvalidStatus) as refused:
        async with ws_client(pz_relay, token_101, ext="100"):
            pass
    assert refused.value.response.status_code == 403


@pytest.mark.parametrize("token", ["", "trk_wrong", "x" * 500])
async def test_bad_tokens_get_401_at_handshake(pz_relay: Relay, token: str) -> None:
    """A bad or revoked token is refused with HTTP 401, which stops reconnect loops."""
    with pytest.raises(InvalidStatus) as refused:
        async with ws_client(pz_relay, token):
            pass
    assert refused.value.response.status_code == 401


async def test_revoked_token_is_refused(pz_relay: Relay) -> None:
    """`users revoke` takes effect on the next connection."""
    token = pz_relay.add_user("Иванов", "100")
    assert "revoked 1 token(s)" in pz_relay.cli("users", "revoke", "--ext", "100")
    with pytest.raises(InvalidStatus) as refused:
        async with ws_client(pz_relay, token):
            pass
    assert refused.value.response.status_code == 401


async def test_bad_since_is_refused(pz_relay: Relay) -> None:
    """`since` must be a non-negative integer."""
    token = pz_relay.add_user("Иванов", "100")
    with pytest.raises(InvalidStatus) as refused:
        async with ws_client(pz_relay, token, since="-1"):  # type: ignore[arg-type]
            pass
    assert refused.value.response.status_code == 422
