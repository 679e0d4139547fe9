"""Several relay addresses in settings (replicas), tried in order."""

from __future__ import annotations

from dataclasses import replace

import pytest

from trubka.desktop.bridge import RelayBridge
from trubka.desktop.settings import Preferences, relay_addresses, validate


def test_addresses_are_split_in_order() -> None:
    """Spaces, commas and new lines separate addresses; trailing slashes are dropped."""
    assert relay_addresses(" https://a.example.ru/, https://b.example.ru\nhttps://c ") == [
        "https://a.example.ru", "https://b.example.ru", "https://c"]
    assert relay_addresses("") == []


@pytest.mark.parametrize(("text", "ok"), [
    ("https://a.example.ru https://b.example.ru", True),
    ("https://a.example.ru http://b.example.ru", False),  # plain http off this computer
    ("https://a.example.ru ftp://b", False),
    ("http://127.0.0.1:8765 http://localhost:8766", True),
])
def test_every_address_is_validated(text: str, ok: bool) -> None:
    """Each address must be acceptable on its own."""
    errors = validate(replace(Preferences(), relay_url=text, ext="100"))
    assert ("relay_url" not in errors) is ok


def test_bridge_starts_with_the_first_address(qtbot) -> None:  # type: ignore[no-untyped-def]
    """The bridge tries the first address, and the next one once that fails; the status
    signal names the address in use."""
    from tests.desktop.conftest import FAST
    from trubka.desktop.bridge import LinkState

    first, second = "http://127.0.0.1:9", "http://127.0.0.1:7"  # nothing listens there
    bridge = RelayBridge(FAST)
    seen: list[tuple[LinkState, str]] = []
    bridge.status.connect(lambda s: seen.append((s.state, s.address)))
    try:
        bridge.configure(f"{first} {second}", "trk_x")
        bridge.start()
        qtbot.waitUntil(lambda: (LinkState.RECONNECTING, second) in seen, timeout=5000)
        assert seen[0] == (LinkState.CONNECTING, first)
        assert bridge.relay_url in (first, second)  # the GUI's mirror follows the signal
    finally:
        bridge.shutdown()
