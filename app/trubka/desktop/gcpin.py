"""Python's cyclic garbage collector, run on the GUI thread only.

CPython collects reference cycles in whichever thread crosses the allocation threshold.
The app allocates most on its asyncio thread (the bridge) and, in the demo and the tests,
on an embedded relay's threads; a collection there frees the Qt objects caught in cycles
from the wrong thread while the GUI thread may be inside Qt with them: a segfault (once in
CI, in a desktop test; `bench/gc_threads.py` crashes that way in under a second).
`pin(qapp)` turns automatic collection off and runs the same generational collections from
a timer on the GUI thread, the remedy discussed in napari/napari#1029 and adopted by NeXpy
(nexpy/nexpy#300). Reference counting still frees everything outside cycles at once, on
whatever thread drops it.
"""

from __future__ import annotations

import gc

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QTimer

CHECK_MS = 500  # between two looks at the allocation counts (Qt makes it a coarse timer)

_collector: GuiThreadCollector | None = None


class GuiThreadCollector(QObject):
    """Collects on the GUI thread what the interpreter would have collected anywhere."""

    def __init__(self, parent: QObject, interval_ms: int = CHECK_MS) -> None:
        super().__init__(parent)
        threshold = gc.get_threshold()
        self.threshold = threshold if threshold[0] > 0 else (700, 10, 10)
        self.collections = [0, 0, 0]  # per generation (diagnostics, tests)
        self._timer = QTimer(self, interval=interval_ms)
        self._timer.timeout.connect(self.check)

    def start(self) -> None:
        gc.disable()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        gc.enable()

    def check(self) -> int | None:
        """Collect what the interpreter would collect now; the generation, or None."""
        generation = generation_due(gc.get_count(), self.threshold)
        if generation is not None:
            gc.collect(generation)
            self.collections[generation] += 1
        return generation


def generation_due(counts: tuple[int, int, int],
                   threshold: tuple[int, int, int]) -> int | None:
    """The oldest generation whose count passed its threshold, each older one looked at
    only when the younger one's has (CPython's rule); None when generation 0's has not."""
    generation = None
    for gen in range(3):
        if counts[gen] <= threshold[gen]:
            break
        generation = gen
    return generation


def pin(qapp: QCoreApplication) -> GuiThreadCollector:
    """From now on, while `qapp` lives, cycles are collected on its thread only.
    Idempotent; call it on the GUI thread."""
    global _collector
    if _collector is not None and shiboken6.isValid(_collector):
        return _collector
    _collector = GuiThreadCollector(qapp)
    _collector.destroyed.connect(_resume)  # the QApplication went: collect as before
    _collector.start()
    return _collector


def unpin() -> None:
    """Give collection back to the interpreter (tests)."""
    global _collector
    if _collector is not None and shiboken6.isValid(_collector):
        _collector.destroyed.disconnect(_resume)
        _collector.stop()
        _collector.deleteLater()
    _collector = None
    gc.enable()


def _resume(*_args: object) -> None:
    gc.enable()
