"""Work-arounds for PySide6 bugs, detected at run time rather than assumed by version.

PySide6 6.12.0 on Python < 3.12 returns `True` from `SignalInstance.emit()` without
taking a reference, so every emit from Python lowers the refcount of `True`; after
enough emits the interpreter aborts ("bool_dealloc"). `emit()` below measures the
leak once and gives the references back. Harmless where the bug is absent.
"""

from __future__ import annotations

import ctypes
import sys
from typing import Any

from PySide6.QtCore import QObject, Signal


class _Probe(QObject):
    ping = Signal()


def _measure() -> tuple[int, int]:
    probe = _Probe()
    rounds = 20
    t, f = sys.getrefcount(True), sys.getrefcount(False)
    for _ in range(rounds):
        probe.ping.emit()
    dt, df = sys.getrefcount(True) - t, sys.getrefcount(False) - f
    _give_back(-dt, -df)  # repair what the probe took
    return -dt // rounds if dt < 0 else 0, -df // rounds if df < 0 else 0


def _give_back(true_refs: int, false_refs: int) -> None:
    for value, count in ((True, true_refs), (False, false_refs)):
        for _ in range(max(0, count)):
            ctypes.pythonapi.Py_IncRef(ctypes.py_object(value))


_LEAK: tuple[int, int] | None = None


def emit(signal: Any, *args: Any) -> None:
    """`signal.emit(*args)`, minus PySide's refcount leak where it has one."""
    global _LEAK
    if _LEAK is None:
        _LEAK = _measure()
    signal.emit(*args)
    if _LEAK != (0, 0):
        _give_back(*_LEAK)
