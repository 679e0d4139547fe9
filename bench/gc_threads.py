"""Crash hunt: Qt widgets in reference cycles while another thread allocates cycles.

Without `trubka.desktop.gcpin` the interpreter collects on the allocating thread and frees
the widgets there while the GUI thread is inside Qt: the process dies (SIGSEGV). With the
pin every collection runs on the GUI thread. Each mode runs in fresh interpreters; the
script prints how many runs of each survived.

    uv run --extra desktop python bench/gc_threads.py --runs 3 --seconds 15
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

CHILD = """
import sys, threading, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget
app = QApplication([])
if sys.argv[1] == "pinned":
    from trubka.desktop import gcpin
    gcpin.pin(app)
stop = threading.Event()

def allocate() -> None:  # cycles: the interpreter collects where the threshold trips
    while not stop.is_set():
        for _ in range(1000):
            garbage = []
            garbage.append(garbage)
        time.sleep(0.0005)

worker = threading.Thread(target=allocate)
worker.start()
deadline, widgets = time.monotonic() + float(sys.argv[2]), 0
while time.monotonic() < deadline:
    for _ in range(20):
        widget = QWidget()
        QVBoxLayout(widget).addWidget(QLabel("caller", widget))
        timer = QTimer(widget, interval=1)
        timer.timeout.connect(widget.update)
        timer.start()
        widget.show()
        widget.me = widget  # a cycle: only the collector frees it
        widgets += 1
    app.processEvents()
stop.set()
worker.join()
print(widgets)
"""


def run(mode: str, seconds: float) -> tuple[int, float, str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    start = time.monotonic()
    proc = subprocess.run([sys.executable, "-c", CHILD, mode, str(seconds)], env=env,
                          capture_output=True, text=True, timeout=seconds + 60, check=False)
    return proc.returncode, time.monotonic() - start, proc.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args()
    for mode in ("unpinned", "pinned"):
        survived = 0
        for _ in range(args.runs):
            code, took, widgets = run(mode, args.seconds)
            survived += code == 0
            outcome = f"{widgets} widgets" if code == 0 else f"exit {code}"
            print(f"{mode:9} {outcome} after {took:.1f} s", flush=True)
        print(f"{mode:9} survived {survived} of {args.runs}", flush=True)


if __name__ == "__main__":
    main()
