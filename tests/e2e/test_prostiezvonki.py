"""SPEC §2.1 end to end: the relay started by its own CLI, the test stand's posts over real
HTTP, desktop clients on real WebSockets."""

from __future__ import annotations

import json

import httpx

from tests.conftest import DATA, CliRelay, auth, run_cli, ws_client

PZ = DATA / "prostiezvonki"


def stand_posts(scenario: str, call_id: str) -> list[dict[str, object]]:
    """The recorded posts of one SPEC §2.1 example, with a call id of this test's own
    (the examples share one id; a real PBX gives each call its own)."""
    lines = (PZ / f"{scenario}.jsonl").read_text().splitlines()
    posts = [json.loads(line) for line in lines if line.strip()]
    for post in posts:
        if "callid" in post:
            post["callid"] = call_id
    return posts


async def test_every_spec_example_reaches_the_right_socket(cli_relay: CliRelay) -> None:
    """Each §2.1 example yields its call and journal frames, in order, normalised and with
    the contact attached, on every device of ext 100 and on no other user's socket."""
    token_100 = run_cli(cli_relay.data_dir, "users", "add", "--name", "Иванов Иван",
                        "--ext", "100").strip().splitlines()[-1]
    token_101 = run_cli(cli_relay.data_dir, "users", "add", "--name", "Петров Пётр",
                        "--ext", "101").strip().splitlines()[-1]
    async with httpx.AsyncClient(base_url=cli_relay.url, timeout=10) as http:
        created = await http.post("/api/v1/contacts", headers=auth(token_100), json={
            "name": "ООО Ромашка", "company": "Ромашка", "phones": ["8 (999) 123-45-67"],
            "responsible_ext": "100"})
        assert created.status_code == 201, created.text
        contact_id = created.json()["id"]

        async with ws_client(cli_relay, token_100) as desk, \
                ws_client(cli_relay, token_100) as laptop, \
                ws_client(cli_relay, token_101) as other:
            hello = await desk.frame()
            assert hello["type"] == "hello" and hello["user"] == {"name": "Иванов Иван",
                                                                   "ext": "100"}
            assert hello["calls"] == [] and hello["replay_complete"] is True
            await laptop.frame()
            await other.frame()
            expected = {
                "incoming-answered": (["ringing", "answered", "ended"], "in", "answered", 50),
                "incoming-missed": (["ringing", "ended"], "in", "missed", 20),
                "outgoing-answered": (["ringing", "answered", "ended"], "out", "answered", 50),
                "outgoing-missed": (["ringing", "ended"], "out", "missed", 20),
            }
            last_seq = hello["seq"]
            for n, (scenario, (states, direction, status, duration)) in enumerate(
                    expected.items()):
                for post in stand_posts(scenario, f"16596854274079071{n:02d}"):
                    reply = await http.post("/hooks/prostiezvonki", json=post)
                    assert reply.status_code == 200, reply.text
                for device in (desk, laptop):
                    frames = await device.frames(len(states) + 1)
                    assert [f["type"] for f in frames] == ["call"] * len(states) + ["journal"]
                    assert [f["call"]["state"] for f in frames[:-1]] == states
                    seqs = [f["seq"] for f in frames]
                    assert seqs == list(range(last_seq + 1, last_seq + len(frames) + 1))
                    call = frames[0]["call"]
                    assert call["direction"] == direction
                    assert call["phone"] == "+79991234567"
                    assert call["phone_raw"] == "89991234567"
                    assert call["ext"] == "100"
                    assert call["line"] == ("3333333" if direction == "in" else "")
                    assert call["contact"]["id"] == contact_id
                    assert call["contact"]["name"] == "ООО Ромашка"
                    entry = frames[-1]["entry"]
                    assert entry["call_id"] == call["id"]
                    assert (entry["status"], entry["duration"]) == (status, duration)
                    assert entry["direction"] == direction
                    assert entry["contact"]["id"] == contact_id
                    link = "https://example.invalid/recording.mp3" if status == "answered" else ""
                    assert entry["recording_url"] == link
                last_seq = seqs[-1]
            await other.nothing()

        # Smart transfer (SPEC §2.1): the responsible employee's extension.
        lookup = stand_posts("smart-transfer", "")[0]
        reply = await http.post("/hooks/prostiezvonki", json=lookup)
        assert reply.status_code == 200
        assert reply.json() == {"contact_name": "ООО Ромашка", "responsible": "100"}

        journal = await http.get("/api/v1/calls", headers=auth(token_100))
        assert [e["status"] for e in journal.json()] == ["missed", "answered", "missed",
                                                        "answered"]
        assert (await http.get("/api/v1/calls", headers=auth(token_101))).json() == []
