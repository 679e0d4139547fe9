"""Work-arounds for PySide6 bugs, detected at run time rather than assumed by version.

PySide6 6.12.0 on Python < 3.12 returns `None` (void methods: `setText`, `show`,
`processEvents`, ...) and `True` (`SignalInstance.emit()`) without taking a reference,
so every such call lowers the refcount of `None`/`True`; after enough calls the
interpreter aborts ("none_dealloc", "bool_dealloc"). 6.11 is unaffected, and on Python
3.12+ those objects are immortal. `install()` detects the leak and makes the three
singletons effectively immortal, as 3.12 does; `emit()` also gives `True` back.
The real fix is a dependency pin (`pyside6-essentials<6.12` on Python 3.11).
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
_IMMORTAL = 1 << 40
_installed = False


def install() -> bool:
    """Detect PySide's refcount leak on None/True; if present, pin those objects.

    Returns True when the work-around was applied (or already had been)."""
    global _installed
    if _installed:
        return True
    if sys.version_info >= (3, 12):
        return False
    probe = _Probe()
    before = sys.getrefcount(None)
    for _ in range(64):
        probe.setObjectName("probe")
    if before - sys.getrefcount(None) < 32:
        return False
    for value in (None, True, False):
        # ob_refcnt is the first field of every object in a release build of CPython.
        ctypes.c_ssize_t.from_address(id(value)).value += _IMMORTAL
    _installed = True
    return True


def emit(signal: Any, *args: Any) -> None:
    """`signal.emit(*args)`, minus PySide's refcount leak where it has one."""
    global _LEAK
    if _LEAK is None:
        _LEAK = _measure()
    signal.emit(*args)
    if _LEAK != (0, 0):
        _give_back(*_LEAK)
