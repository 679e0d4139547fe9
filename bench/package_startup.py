"""The installed package: cold start of /usr/bin/trubka to the tray and to connected.

    uv run --all-extras python bench/package_startup.py [--runs 5] [--exe /usr/bin/trubka]

Install the .deb first (`sudo dpkg -i dist/trubka_*_amd64.deb`). Each run starts the
bundled app as a new process, offscreen, with a fresh profile pointing at an embedded
relay (trubka.desktop.demo.Demo, on loopback), and times from just before exec to two of
its log lines on stderr (-v):
* "connection: connecting" — logged as the relay connection starts, right after the tray
  icon (or its fallback window) is shown: "to tray";
* "connection: connected" — the socket is up and the tray dot turns green.
The file cache is warm (the package was just installed or run); no caches are dropped.
Also prints the .deb's size and its Installed-Size when --deb is given.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def one_run(exe: str, relay_url: str, token: str) -> tuple[float, float]:
    from trubka.desktop.settings import Preferences, PreferenceStore

    home = Path(tempfile.mkdtemp(prefix="trubka-pkg-start-"))
    PreferenceStore(home / ".config" / "trubka").save(
        Preferences(relay_url=relay_url, ext="100", language="en"))
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8",
           "QT_QPA_PLATFORM": "offscreen", "TRUBKA_LOG_DIR": str(home / "logs")}
    marks: dict[str, float] = {}
    t0 = time.monotonic()
    proc = subprocess.Popen([exe, "--token", token, "-v"], stderr=subprocess.PIPE, text=True,
                            env=env, stdout=subprocess.DEVNULL)
    assert proc.stderr is not None
    try:
        for line in proc.stderr:
            if "connection: connecting" in line and "tray" not in marks:
                marks["tray"] = time.monotonic() - t0
            if "connection: connected" in line:
                marks["connected"] = time.monotonic() - t0
                break
    finally:
        proc.terminate()
        proc.wait(10)
        proc.stderr.close()
    return marks["tray"], marks["connected"]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--exe", default="/usr/bin/trubka")
    parser.add_argument("--deb", type=Path, help="also report this .deb's sizes")
    args = parser.parse_args()
    from trubka.desktop.demo import Demo

    if args.deb:
        size = args.deb.stat().st_size
        installed = subprocess.run(["dpkg-deb", "--field", str(args.deb), "Installed-Size"],
                                   capture_output=True, text=True, check=True).stdout.strip()
        print(f".deb: {size / 2**20:.1f} MiB ({size} bytes); "
              f"Installed-Size: {int(installed) / 1024:.1f} MiB ({installed} KiB)")
    demo = Demo(pause_scale=0).start()
    tray, connected = [], []
    try:
        for _ in range(args.runs):
            t, c = one_run(args.exe, demo.url, demo.token)
            tray.append(t)
            connected.append(c)
    finally:
        demo.stop()
    for name, values in (("exec -> tray shown", tray), ("exec -> connected", connected)):
        print(f"{name}: runs={len(values)} "
              f"all={' '.join(f'{v * 1000:.0f}' for v in values)} ms "
              f"median={statistics.median(values) * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.exit(main())
