"""Cycles are collected on the GUI thread only, however much another thread allocates
(gcpin: a collection on the bridge's or an embedded relay's thread frees Qt objects from
the wrong thread and crashes the app)."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import threading
import weakref
from collections.abc import Iterator
from typing import Any

import pytest

from tests.desktop.conftest import Desktop
from trubka.desktop import gcpin


class Node:
    """A weak-referenceable object in a cycle with itself: only the collector frees it."""

    def __init__(self) -> None:
        self.me = self


@pytest.fixture
def collections() -> Iterator[list[tuple[int, int]]]:
    """(thread id, generation) of every collection while the test runs."""
    seen: list[tuple[int, int]] = []

    def record(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            seen.append((threading.get_ident(), info["generation"]))

    gc.callbacks.append(record)
    yield seen
    gc.callbacks.remove(record)


def allocate_cycles(count: int = 200_000) -> weakref.ref[Node]:
    """On a new thread: one watched cycle, then `count` cyclic lists as garbage, enough to
    cross every generation's threshold many times over."""
    watched: list[weakref.ref[Node]] = []

    def run() -> None:
        watched.append(weakref.ref(Node()))
        for _ in range(count):
            garbage: list[object] = []
            garbage.append(garbage)

    thread = threading.Thread(target=run, name="allocator")
    thread.start()
    thread.join()
    return watched[0]


def test_another_threads_garbage_is_collected_on_the_gui_thread(
        qtbot: Any, collections: list[tuple[int, int]]) -> None:
    """Pinned (as the app runs): the allocating thread never collects; the GUI thread's
    timer frees its cycles soon after."""
    gui = threading.get_ident()
    assert not gc.isenabled()
    watched = allocate_cycles()
    assert watched() is not None
    assert {thread for thread, _gen in collections} <= {gui}
    qtbot.waitUntil(lambda: watched() is None, timeout=5000)
    assert collections and {thread for thread, _gen in collections} == {gui}


def test_unpinned_the_allocating_thread_collects(collections: list[tuple[int, int]]) -> None:
    """The control: without the pin the interpreter collects on the allocating thread,
    which is what the test above rules out."""
    gcpin.unpin()
    assert gc.isenabled()
    gui = threading.get_ident()
    watched = allocate_cycles()
    assert watched() is None
    assert any(thread != gui for thread, _gen in collections)


@pytest.mark.parametrize(("counts", "due"), [
    ((700, 10, 10), None), ((701, 3, 0), 0), ((701, 11, 4), 1), ((5000, 11, 11), 2),
    ((0, 50, 50), None), ((701, 2, 50), 0)])
def test_generation_due_follows_the_interpreter(counts: tuple[int, int, int],
                                                 due: int | None) -> None:
    """The oldest generation over its threshold, older ones only behind younger ones."""
    assert gcpin.generation_due(counts, (700, 10, 10)) == due


def test_check_collects_once_generation_0_is_due() -> None:
    """A look at the counts after enough allocations collects, once, and frees a cycle."""
    from PySide6.QtCore import QCoreApplication

    collector = gcpin.pin(QCoreApplication.instance())  # type: ignore[arg-type]
    gc.collect()
    assert collector.check() is None
    watched = weakref.ref(Node())
    for _ in range(collector.threshold[0] + 100):
        garbage: list[object] = []
        garbage.append(garbage)
    before = sum(collector.collections)
    assert collector.check() is not None
    assert sum(collector.collections) == before + 1 and watched() is None


def test_the_app_pins_collection(desktop: Desktop, pz_relay: Any) -> None:
    """TrubkaApp pins at construction: its bridge never collects Qt objects."""
    gcpin.unpin()
    desktop.make(pz_relay.url, pz_relay.add_user("Сотрудник", "100"))
    assert not gc.isenabled()


def test_the_cli_pins_collection_when_it_sets_up_qt() -> None:
    """The command line's QApplication set-up pins (a new interpreter: the set-up names
    the application, which the tests' shared QApplication must not take on)."""
    code = ("import gc; from trubka.desktop.cli import _qapp; "
            "print(gc.isenabled(), end=' '); _qapp(); print(gc.isenabled())")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}, timeout=60,
                          check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.split() == ["True", "False"]
