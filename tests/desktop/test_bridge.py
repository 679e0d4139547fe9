"""The bridge's pure parts: events URL with `since`, and the backoff with jitter."""

from __future__ import annotations

import itertools

from trubka.desktop.bridge import ReconnectPolicy, events_url


def test_events_url() -> None:
    """http→ws, https→wss, a path prefix kept, `since` appended when known."""
    assert events_url("http://127.0.0.1:8765", None) == "ws://127.0.0.1:8765/api/v1/events"
    assert events_url("https://relay.example.ru/trubka/", 42) == (
        "wss://relay.example.ru/trubka/api/v1/events?since=42")


def test_backoff_grows_with_jitter_and_is_capped() -> None:
    """The first delay is a random fraction; later ones grow, jittered ±20 %, up to the cap."""
    policy = ReconnectPolicy(first=1.0, minimum=2.0, maximum=60.0, factor=1.7)
    delays = list(itertools.islice(policy.delays(), 30))
    assert 0 <= delays[0] <= 1.0
    assert 1.6 <= delays[1] <= 2.4
    assert all(d <= 60.0 * 1.2 for d in delays)
    assert min(delays[-5:]) >= 60.0 * 0.8  # reached the cap and stays there
    again = list(itertools.islice(policy.delays(), 30))
    assert again != delays  # jitter: two clients do not reconnect in lockstep
