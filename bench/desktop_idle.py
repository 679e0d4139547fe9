"""Desktop: idle RSS and idle CPU over 60 s while connected (SPEC §8: no busy polling).

    uv run --all-extras python bench/desktop_idle.py [--seconds 60]

The app runs in its own process (`trubka --relay ... --token ...`, offscreen) against
an embedded relay in this one; after it connects, its CPU time and RSS are read from
/proc (Linux) at the start and the end of the window.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks  # utime + stime


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()
    from trubka.desktop.demo import Demo

    demo = Demo(pause_scale=0).start()
    tmp = Path(tempfile.mkdtemp(prefix="trubka-idle-"))
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "TRUBKA_LOG_DIR": str(tmp / "log")}
    proc = subprocess.Popen([sys.executable, "-m", "trubka.desktop.cli", "--profile",
                             str(tmp / "profile"), "--relay", demo.url, "--token", demo.token],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        log = tmp / "log" / "trubka.log"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if log.exists() and "connection: connected" in log.read_text():
                break
            time.sleep(0.2)
        time.sleep(3)  # let the first journal and address-book loads finish
        c0, r0, t0 = cpu_seconds(proc.pid), rss_mib(proc.pid), time.monotonic()
        time.sleep(args.seconds)
        c1, r1, t1 = cpu_seconds(proc.pid), rss_mib(proc.pid), time.monotonic()
    finally:
        proc.terminate()
        proc.wait(10)
        demo.stop()
    print(f"idle over {t1 - t0:.0f} s: CPU {c1 - c0:.3f} s ({100 * (c1 - c0) / (t1 - t0):.2f} %),"
          f" RSS {r0:.1f} MiB -> {r1:.1f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
