"""`trubka demo` runs end to end offscreen and cleans up after itself."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.mark.slow
def test_demo_scenario_exits_when_done(tmp_path: Path) -> None:
    """`trubka demo --scenario incoming-answered --exit-when-done` shows the window, exits 0."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "TRUBKA_LOG_DIR": str(tmp_path),
           "TRUBKA_DEMO_PAUSE_SCALE": "0.05"}
    proc = subprocess.run([sys.executable, "-m", "trubka.desktop.cli", "demo", "--scenario",
                           "incoming-answered", "--exit-when-done", "--verbose"],
                          capture_output=True, text=True, env=env, timeout=90, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    log = proc.stderr
    assert re.search(r"window shown: call \w+ in ringing \+79991234567", log), log[-3000:]
    assert "window updated" in log and "window closed" in log
    assert "demo cleaned up" in log
    assert "trk_" not in (tmp_path / "trubka.log").read_text()  # no tokens in logs
    data_dir = re.search(r"data in (\S+)\)", log)
    assert data_dir and not Path(data_dir.group(1)).exists()


def test_demo_rejects_unknown_scenario(tmp_path: Path) -> None:
    """An unknown scenario name is refused with the list of valid ones."""
    from trubka.desktop.cli import main

    os.environ.setdefault("TRUBKA_LOG_DIR", str(tmp_path))
    assert main(["demo", "--scenario", "nope"]) == 2
