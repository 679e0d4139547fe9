"""`trubka-relay simulate`: the Prostye Zvonki test stand, scenarios and query strings."""

from __future__ import annotations

import json
import time

import pytest

from tests.conftest import WEBHOOK_TOKEN, Relay, ws_client
from trubka.providers import prostiezvonki
from trubka.relay import simulator


@pytest.mark.parametrize(("scenario", "states", "status"), [
    ("incoming-answered", ["ringing", "answered", "ended"], "answered"),
    ("incoming-missed", ["ringing", "ended"], "missed"),
    ("outgoing-answered", ["ringing", "answered", "ended"], "answered"),
    ("outgoing-missed", ["ringing", "ended"], "missed"),
])
async def test_scenarios_reach_the_desktop(pz_relay: Relay, scenario: str, states: list[str],
                                           status: str) -> None:
    """Each named scenario, played by the CLI, yields its frames on ext 100's socket."""
    token = pz_relay.add_user("Иванов", "100")
    async with ws_client(pz_relay, token) as c:
        await c.frame()
        out = pz_relay.cli("simulate", "--relay", pz_relay.url, "--pause", "0", scenario)
        assert WEBHOOK_TOKEN not in out and '"crm_token": "***"' in out
        frames = await c.frames(len(states) + 1)
    assert [f["call"]["state"] for f in frames[:-1]] == states
    assert frames[-1]["entry"]["status"] == status


def test_smart_transfer_scenario(pz_relay: Relay) -> None:
    """The smart-transfer scenario prints the relay's answer."""
    out = pz_relay.cli("simulate", "--relay", pz_relay.url, "--pause", "0", "smart-transfer")
    assert '→ 200 {"contact_name": "", "responsible": ""}' in out


def test_history_has_real_timestamps() -> None:
    """The history carries start/end of the current time, `duration` apart."""
    call = simulator.CallSpec()
    step = simulator.SCENARIOS["incoming-missed"][-1]
    now = time.time()
    (request,) = prostiezvonki.simulate(step, call, "t", now)
    body = json.loads(request.body)
    assert body["end"] == time.strftime("%Y%m%dT%H%M%S", time.gmtime(now))
    assert body["start"] == time.strftime("%Y%m%dT%H%M%S", time.gmtime(now - 20))
    assert (body["status"], body["duration"], body["link"]) == ("missed", 20, "")


async def test_stand_query_strings(pz_relay: Relay) -> None:
    """The stand's own parameters: event=1 start, 3 answer, 2 end (ANSWER), for call 77."""
    token = pz_relay.add_user("Иванов", "100")
    start = int(time.time()) - 60
    queries = [
        "event=1&src_type=1&src_num=89991234567&dst_num=100&line=3333333&call_id=77",
        "event=3&src_num=89991234567&dst_num=100&call_id=77",
        f"event=2&src_num=89991234567&dst_num=100&call_id=77&status=ANSWER"
        f"&call_start_timestamp={start}&call_answer_timestamp={start + 10}"
        f"&timestamp={start + 55}&call_record_link=https://example.invalid/r.mp3",
    ]
    async with ws_client(pz_relay, token) as c:
        await c.frame()
        for q in queries:
            pz_relay.cli("simulate", "--relay", pz_relay.url, q)
        frames = await c.frames(4)
    assert frames[0]["call"]["line"] == "3333333"
    assert [f["call"]["state"] for f in frames[:3]] == ["ringing", "answered", "ended"]
    assert (frames[3]["entry"]["duration"], frames[3]["entry"]["recording_url"]) == (
        45, "https://example.invalid/r.mp3")


@pytest.mark.parametrize("query", ["event=9&src_num=1&dst_num=2", "event=1&src_num=1",
                                   "smart_transfer_is_required=1", "nonsense"])
def test_bad_queries_are_refused(pz_relay: Relay, query: str) -> None:
    """A query the stand would not send is refused with a reason (exit 2)."""
    pz_relay.cli("simulate", "--relay", pz_relay.url, query, expect=2)
