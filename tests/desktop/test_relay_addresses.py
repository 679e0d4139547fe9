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
    """The bridge uses the first address and keeps the list for failover."""
    bridge = RelayBridge()
    try:
        bridge.configure("https://a.example.ru https://b.example.ru", "trk_x")
        assert bridge.relay_url == "https://a.example.ru"
        assert bridge.relay_urls == ["https://a.example.ru", "https://b.example.ru"]
    finally:
        bridge.shutdown()
