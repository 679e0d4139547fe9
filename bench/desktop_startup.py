"""Desktop: cold start to tray (SPEC §8, target < 2 s).

    uv run --all-extras python bench/desktop_startup.py [--runs 5]

Each run is a fresh interpreter: Python start, imports, QApplication, the whole
TrubkaApp wired and its tray (or fallback window) shown, then connected to a relay.
Prints the time to "tray shown" and to "connected", min and median over the runs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

CHILD = r"""
import os, sys, time
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from trubka.desktop import qtcompat
from trubka.desktop.app import AppOptions, Services, TrubkaApp
from trubka.desktop.bridge import LinkState
from trubka.desktop.settings import Preferences, PreferenceStore, TokenStore
app = QApplication([])
qtcompat.install()
profile = Path(sys.argv[1]); store = PreferenceStore(profile)
store.save(Preferences(relay_url=sys.argv[2], ext="100", language="en"))
trubka = TrubkaApp(app, Services(profile, store, TokenStore(profile, use_keyring=False)),
                   AppOptions(token_override=sys.argv[3], show_error_boxes=False))
trubka.start()
print("TRAY", time.time(), flush=True)
def poll():
    if trubka.session.status.state is LinkState.CONNECTED:
        print("CONNECTED", time.time(), flush=True); trubka.quit()
    else:
        QTimer.singleShot(5, poll)
poll()
app.exec()
"""


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from trubka.desktop.demo import Demo

    demo = Demo(pause_scale=0).start()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    tray, connected = [], []
    try:
        for _ in range(args.runs):
            profile = tempfile.mkdtemp(prefix="trubka-start-")
            t0 = time.time()
            out = subprocess.run([sys.executable, "-c", CHILD, profile, demo.url, demo.token],
                                 capture_output=True, text=True, env=env, timeout=60,
                                 check=True).stdout
            marks = dict(line.split() for line in out.splitlines() if line[:1] in "TC")
            tray.append(float(marks["TRAY"]) - t0)
            connected.append(float(marks["CONNECTED"]) - t0)
    finally:
        demo.stop()
    for name, values in (("cold start -> tray shown", tray),
                         ("cold start -> connected", connected)):
        print(f"{name}: runs={len(values)} min={min(values) * 1000:.0f} ms "
              f"median={statistics.median(values) * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
