"""SPEC §7: a webhook is acknowledged only after it is durably stored."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.conftest import WEBHOOK_TOKEN, CliRelay, auth, run_cli
from tests.relay.test_events_socket import event, history


def test_sigkill_right_after_the_reply_loses_nothing(tmp_path: Path) -> None:
    """The relay killed with SIGKILL right after answering: the call is in the journal."""
    relay = CliRelay(tmp_path / "relay")
    run_cli(relay.data_dir, "provider", "set", "prostiezvonki", "--webhook-token",
            WEBHOOK_TOKEN)
    token = run_cli(relay.data_dir, "users", "add", "--name", "Иванов",
                    "--ext", "100").strip().splitlines()[-1]
    relay.start()
    try:
        with httpx.Client(base_url=relay.url) as http:
            assert http.post("/hooks/prostiezvonki", json=event("INCOMING", "k1")).is_success
            assert http.post("/hooks/prostiezvonki",
                             json=history("k1", "missed", duration=7)).is_success
            relay.kill()  # no graceful shutdown, no chance to flush anything
    finally:
        relay.stop()
    relay.start()
    try:
        with httpx.Client(base_url=relay.url, headers=auth(token)) as http:
            journal = http.get("/api/v1/calls").json()
        assert [(e["status"], e["duration"], e["phone"]) for e in journal] == [
            ("missed", 7, "+79991234567")]
    finally:
        relay.stop()
