"""Desktop: frame received off the socket → call window visible (SPEC §8, target < 100 ms).

    uv run --all-extras python bench/desktop_latency.py [--calls 200]

An embedded relay (the demo's), the real TrubkaApp offscreen, one incoming call at a
time posted as Prostye Zvonki webhooks. Prints p50/p99/max in milliseconds, and the
same for webhook POST → window visible (relay included) for reference.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import httpx
from PySide6.QtWidgets import QApplication

from trubka.desktop import qtcompat
from trubka.desktop.app import AppOptions, Services, TrubkaApp
from trubka.desktop.bridge import LinkState
from trubka.desktop.demo import WEBHOOK_TOKEN, Demo
from trubka.desktop.settings import Preferences, PreferenceStore, TokenStore
from trubka.desktop.views.call_window import Lifetimes


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=200)
    args = parser.parse_args()
    qapp = QApplication(sys.argv[:1])
    qtcompat.install()
    demo = Demo(pause_scale=0).start()
    profile = Path(tempfile.mkdtemp(prefix="trubka-bench-"))
    store = PreferenceStore(profile)
    store.save(Preferences(relay_url=demo.url, ext="100", language="en"))
    app = TrubkaApp(qapp, Services(profile, store, TokenStore(profile, use_keyring=False)),
                    AppOptions(token_override=demo.token, tray_available=False,
                               show_error_boxes=False, quit_app=False,
                               lifetimes=Lifetimes(ended_ms=1, elsewhere_ms=1, fade_ms=0)))
    frame_to_visible: list[float] = []
    post_to_visible: list[float] = []
    posted = {"t": 0.0}

    def timed_show(call):  # type: ignore[no-untyped-def]
        # Connected after the call windows' own slot: runs once the window is up.
        window = app.calls.windows[call.id]
        assert window.isVisible()
        now = time.perf_counter()
        frame_to_visible.append((now - app.bridge.last_received) * 1000)
        post_to_visible.append((now - posted["t"]) * 1000)

    app.router.show.connect(timed_show)
    app.start()
    deadline = time.monotonic() + 10
    while app.session.status.state is not LinkState.CONNECTED and time.monotonic() < deadline:
        qapp.processEvents()
        time.sleep(0.01)
    http = httpx.Client(base_url=demo.url, timeout=10)
    for i in range(args.calls):
        base = {"user": "100", "ext": "100", "phone": f"8999{1000000 + i}", "callid": f"b{i}",
                "diversion": "3333333", "crm_token": WEBHOOK_TOKEN, "direction": "in"}
        before = len(frame_to_visible)
        posted["t"] = time.perf_counter()
        # Post from another thread, as the PBX would: the GUI thread stays free.
        poster = threading.Thread(target=http.post, args=("/hooks/prostiezvonki",),
                                  kwargs={"json": {"cmd": "event", "type": "INCOMING", **base}})
        poster.start()
        while len(frame_to_visible) == before:
            qapp.processEvents()
        poster.join()
        http.post("/hooks/prostiezvonki", json={"cmd": "history", "type": "in",
                                                "status": "missed", "duration": 1, **base})
        end = time.monotonic() + 2
        while app.calls.windows and time.monotonic() < end:
            qapp.processEvents()
    http.close()
    app.quit()
    demo.stop()
    for name, values in (("frame received -> window visible", frame_to_visible),
                         ("webhook POST -> window visible", post_to_visible)):
        print(f"{name}: n={len(values)} p50={statistics.median(values):.2f} ms "
              f"p99={pct(values, 0.99):.2f} ms max={max(values):.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
