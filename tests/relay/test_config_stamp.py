"""The SQLite relay's configuration stamp (store/db.py `config_stamp`, relay/registry.py): a
store that commits a configuration change touches it, whichever process that store is in,
and a relay reads the configuration's version only when the stamp moved — so a change
beside the server applies to the next request without a database read per request."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from trubka.relay import registry as registry_module
from trubka.relay.app import build_relay, close_relay
from trubka.relay.config import RelayConfig
from trubka.relay.registry import ProviderRegistry
from trubka.relay.store import settings
from trubka.relay.store.db import Store
from trubka.relay.store.schema import settings as settings_table


@pytest.fixture
async def stores(tmp_path: Path) -> AsyncIterator[tuple[Store, Store]]:
    """Two stores on one SQLite file: the relay's and another process's (the CLI's)."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'relay.db'}"
    relay, beside = await Store.open(url), await Store.open(url)
    yield relay, beside
    for store in (relay, beside):
        await store.close()


class CountingStore:
    """Counts the registry's reads of the configuration's version."""

    def __init__(self, store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
        self.reads = 0
        peek = store.peek

        def counted(statement: str, *params: object) -> object:
            self.reads += 1
            return peek(statement, *params)

        monkeypatch.setattr(store, "peek", counted)


async def set_smart_transfer(store: Store, value: str) -> None:
    async with store.write() as conn:
        await settings.put(conn, "smart-transfer", value)


async def test_a_change_beside_the_relay_is_read_at_the_next_request_and_only_then(
        stores: tuple[Store, Store], monkeypatch: pytest.MonkeyPatch) -> None:
    relay, beside = stores
    monkeypatch.setattr(registry_module, "SAME_REQUEST_SECONDS", 0.0)  # each call a request
    reads = CountingStore(relay, monkeypatch)
    async with httpx.AsyncClient() as http:
        registry = ProviderRegistry(relay, http)
        assert (await registry.settings()).smart_transfer is True
        assert reads.reads == 1
        for _ in range(5):  # nothing changed: a stat each, no read
            assert (await registry.settings()).smart_transfer is True
        assert reads.reads == 1

        await set_smart_transfer(beside, "off")
        assert (await registry.settings()).smart_transfer is False
        assert reads.reads == 2
        await registry.settings()
        assert reads.reads == 2

        await set_smart_transfer(beside, "on")  # two changes in a row differ too
        assert (await registry.settings()).smart_transfer is True
        await set_smart_transfer(beside, "off")
        assert (await registry.settings()).smart_transfer is False
        assert reads.reads == 4


async def test_a_stamp_removed_and_made_again_is_followed(
        stores: tuple[Store, Store], monkeypatch: pytest.MonkeyPatch) -> None:
    """The relay keeps the stamp open; once it is removed, the new one is the one asked."""
    relay, beside = stores
    monkeypatch.setattr(registry_module, "SAME_REQUEST_SECONDS", 0.0)
    async with httpx.AsyncClient() as http:
        registry = ProviderRegistry(relay, http)
        await set_smart_transfer(beside, "off")
        assert (await registry.settings()).smart_transfer is False
        assert beside.stamp is not None
        beside.stamp.unlink()
        assert (await registry.settings()).smart_transfer is False
        await set_smart_transfer(beside, "on")  # a new stamp, another inode
        assert (await registry.settings()).smart_transfer is True


async def test_the_stamp_is_private_and_moves_only_for_committed_changes(
        stores: tuple[Store, Store]) -> None:
    _, beside = stores
    assert beside.stamp is not None and beside.config_stamp() == 0  # none yet
    await set_smart_transfer(beside, "off")
    first = beside.config_stamp()
    assert first and stat.S_IMODE(os.stat(beside.stamp).st_mode) == 0o600

    with pytest.raises(RuntimeError):
        async with beside.write() as conn:
            await settings.put(conn, "smart-transfer", "on")
            raise RuntimeError("rolled back")
    assert beside.config_stamp() == first
    async with beside.write() as conn:  # a write that changes no configuration
        await conn.execute(settings_table.delete().where(settings_table.c.key == "x"))
    assert beside.config_stamp() == first


async def test_a_stamp_that_cannot_be_touched_costs_a_warning_not_the_change(
        stores: tuple[Store, Store], monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    """Another user's stamp: the change commits; relay/watch.py's poll still sees it."""
    relay, beside = stores

    def refused(*_args: object, **_kwargs: object) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "utime", refused)
    with caplog.at_level(logging.WARNING, logger="trubka.relay.store"):
        await set_smart_transfer(beside, "off")
    assert "cannot touch" in caplog.text
    async with relay.read() as conn:
        assert (await settings.load(conn)).smart_transfer is False



async def test_the_relay_makes_the_stamp_as_it_starts_and_then_only_fstats_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A database without a stamp (new, or from before it): the relay makes its own as it
    starts, so the check on each webhook is a `fstat`, not a failed `open` (an exception
    per webhook) until the first configuration change."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'relay.db'}"
    older = await Store.open(url)  # a store that only reads does not make it
    assert older.stamp is not None and not older.stamp.exists()
    await older.close()

    relay = await build_relay(RelayConfig(data_dir=tmp_path))
    try:
        stamp = relay.store.stamp
        assert stamp is not None and stamp.exists()
        assert stat.S_IMODE(os.stat(stamp).st_mode) == 0o600
        opened: list[object] = []
        real_open = os.open

        def counted(path: object, *args: object, **kwargs: object) -> int:
            opened.append(path)
            return real_open(path, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(os, "open", counted)
        first = relay.store.config_stamp()
        assert first and all(relay.store.config_stamp() == first for _ in range(5))
        assert opened.count(stamp) <= 1  # opened once, then asked by its descriptor
    finally:
        await close_relay(relay)
