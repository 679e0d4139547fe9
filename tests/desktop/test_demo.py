"""`trubka demo` runs end to end offscreen and cleans up after itself."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

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


def test_demo_rejects_unknown_scenario(capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown scenario name is refused with the list of valid ones."""
    from trubka.desktop.cli import main

    assert main(["demo", "--scenario", "nope"]) == 2
    assert "incoming-answered" in capsys.readouterr().err


def test_demo_pieces_in_process(desktop: Any, qtbot: Any) -> None:
    """The demo: 20 contacts (89991234567 → responsible 100), Simulate ▸ plays a call,
    and the fake PBX accepts makeCall."""
    from trubka.desktop.demo import Demo

    demo = Demo(pause_scale=0.01).start()
    try:
        app = desktop.make(demo.url, demo.token, outgoing="start")
        app.menu.simulate.connect(lambda name: demo.play(name))
        desktop.start(app)
        qtbot.waitUntil(lambda: len(app.contacts.rows) == 20, timeout=5000)
        ivan = next(c for c in app.contacts.rows
                    if "+79991234567" in [p.canonical for p in c.phones])
        assert ivan.responsible_ext == "100"
        from trubka.desktop.qtcompat import emit

        emit(app.menu.simulate, "incoming-missed")
        qtbot.waitUntil(lambda: app.presence.missed == 1, timeout=10_000)
        assert any(e == "shown" for _c, e, _s in app.calls.shown_log)
        with qtbot.waitSignal(app.dialer.finished, timeout=10_000) as blocker:
            app.dialer.dial("89991234567")
        assert blocker.args[1] is None
        assert demo.pbx is not None and demo.pbx.calls[-1] == {"user": "100",
                                                               "phone": "89991234567"}
    finally:
        for a in desktop.apps:
            a.quit()
        demo.stop()
    assert not demo.root.exists()


@pytest.mark.slow
@pytest.mark.parametrize("provider", ["crm-api", "zadarma", "beeline"])
def test_demo_speaks_every_providers_format(tmp_path: Path, provider: str) -> None:
    """`trubka demo --provider NAME` posts that PBX's own webhooks (signed, on its secret
    path) and the call window follows the call to its end."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "TRUBKA_LOG_DIR": str(tmp_path),
           "TRUBKA_DEMO_PAUSE_SCALE": "0.05"}
    proc = subprocess.run([sys.executable, "-m", "trubka.desktop.cli", "demo", "--provider",
                           provider, "--scenario", "incoming-answered", "--exit-when-done",
                           "--verbose"],
                          capture_output=True, text=True, env=env, timeout=90, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert re.search(r"window shown: call \w+ in ringing \+7", proc.stderr), proc.stderr[-3000:]
    assert re.search(r"window updated: call \w+ in ended", proc.stderr), proc.stderr[-3000:]


@pytest.mark.slow
def test_tel_link_during_demo_reaches_the_demo(tmp_path: Path) -> None:
    """While `trubka demo` runs, `trubka tel:…` (a link clicked in a browser) is handed to
    the demo's app — which dials it — instead of starting a second, unconfigured app."""
    import threading

    profile = tmp_path / "profile"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "TRUBKA_LOG_DIR": str(tmp_path)}
    demo = subprocess.Popen(
        [sys.executable, "-m", "trubka.desktop.cli", "demo", "--profile", str(profile),
         "--scenario", "incoming-answered", "--exit-when-done", "--pause-scale", "1",
         "--verbose"], stderr=subprocess.PIPE, text=True, env=env)
    lines: list[str] = []
    connected = threading.Event()

    def read() -> None:
        assert demo.stderr is not None
        for line in demo.stderr:
            lines.append(line)
            if "connection: connected" in line:
                connected.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        assert connected.wait(60), "".join(lines)[-3000:]
        link = subprocess.run([sys.executable, "-m", "trubka.desktop.cli", "--profile",
                               str(profile), "tel:+7-999-123-45-67"], capture_output=True,
                              text=True, env=env, timeout=60, check=False)
        assert link.returncode == 0, link.stderr[-2000:]
        assert "handed url to the running instance" in (tmp_path / "trubka.log").read_text()
        assert demo.wait(90) == 0
    finally:
        if demo.poll() is None:
            demo.kill()
            demo.wait(10)
        reader.join(10)
        if demo.stderr is not None:
            demo.stderr.close()
    log = "".join(lines)
    assert "request from another launch: url" in log
    assert "dial +79991234567 (from url)" in log
    assert "demo PBX: makecall {'user': '100', 'phone': '79991234567'}" in log, log[-3000:]
