"""Reachability (F1, F3): the fallback window without a tray, the tray menu, and links
handed to the running instance."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QPushButton

from tests.desktop.conftest import Desktop
from trubka.desktop import single
from trubka.desktop.bridge import LinkState


def test_fallback_window_without_tray(desktop: Desktop, pz_relay: Any, qtbot: Any) -> None:
    """No system tray: a small main window shows the state and opens everything."""
    app = desktop.start(desktop.make(pz_relay.url, pz_relay.add_user("Сотрудник", "100"),
                                     tray=False))
    assert app.presence.tray is None
    window = app.presence.window
    assert window is not None and window.isVisible()
    qtbot.waitUntil(lambda: "Connected" in window.status.text(), timeout=5000)
    assert "ext. 100" in window.status.text()
    journal = next(b for b in window.findChildren(QPushButton) if b.text() == "Call journal")
    journal.click()
    assert app.directory.isVisible()
    assert app.directory.tabs.currentWidget() is app.journal_page


def test_tray_menu_with_tray(desktop: Desktop, pz_relay: Any, qtbot: Any) -> None:
    """With a tray: the menu names the state first, then Dial…, Address book, Journal, ..."""
    app = desktop.start(desktop.make(pz_relay.url, pz_relay.add_user("Сотрудник", "100"),
                                     tray=True))
    assert app.presence.tray is not None and app.presence.window is None
    texts = [a.text() for a in app.menu.menu.actions() if not a.isSeparator()]
    assert texts[0].startswith("Connected to 127.0.0.1")
    assert texts[1:4] == ["Dial…", "Address book", "Call journal"]
    assert texts[-3:] == ["Settings…", "About Trubka", "Quit"]
    assert "ext. 100" in app.presence.tray.toolTip()
    assert not app.menu.dnd_action.isVisible()  # Prostye Zvonki has no DND


def test_dial_box(desktop: Desktop, pz_relay: Any, fake_pbx: Any, qtbot: Any) -> None:
    """The tray's Dial… box formats as you type and calls on OK."""
    app = desktop.start(desktop.make(pz_relay.url, pz_relay.add_user("Сотрудник", "100")))
    box = app.shell.open_dial_box()
    box.number.setText("8 (999) 123-45-67")
    assert box.preview.text() == "+7 999 123-45-67"
    with qtbot.waitSignal(app.dialer.finished, timeout=10_000):
        box._dial()
    assert fake_pbx.requests[-1].json() == {"user": "100", "phone": "89991234567"}


def _launch(profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
           "TRUBKA_LOG_DIR": str(profile / "logs")}
    return subprocess.run([sys.executable, "-m", "trubka.desktop.cli", "--profile",
                           str(profile), *args], capture_output=True, text=True, env=env,
                          timeout=60, check=False)


def test_tel_url_reaches_running_instance(desktop: Desktop, pz_relay: Any, fake_pbx: Any,
                                          qtbot: Any, tmp_path: Path) -> None:
    """`trubka tel:...` from another process hands the link to the running instance."""
    profile = tmp_path / "profile"
    app = desktop.start(desktop.make(pz_relay.url, pz_relay.add_user("Сотрудник", "100")))
    server = single.InstanceServer(single.server_name(profile))
    assert server.listen()
    server.request.connect(app.shell.handle_request)
    try:
        import threading

        result: dict[str, Any] = {}
        thread = threading.Thread(target=lambda: result.update(
            proc=_launch(profile, "tel:+7-999-123-45-67")))
        thread.start()
        qtbot.waitUntil(lambda: not thread.is_alive(), timeout=60_000)
        assert result["proc"].returncode == 0, result["proc"].stderr
        qtbot.waitUntil(lambda: any(r.path == "/crmapi/v1/makecall"
                                    for r in fake_pbx.requests), timeout=10_000)
        assert desktop.confirmer.questions  # a link from outside asks first
        assert fake_pbx.requests[-1].json() == {"user": "100", "phone": "79991234567"}
    finally:
        server.close()
    assert app.session.status.state is LinkState.CONNECTED


def test_url_found_anywhere_in_argv() -> None:
    """A tel:/callto:/sip: URL is picked out of argv, option values left alone."""
    from trubka.desktop.cli import split_url

    assert split_url(["--profile", "tel:x", "callto:+7999"]) == (["--profile", "tel:x"],
                                                                 "callto:+7999")
    assert split_url(["-v", "sip:100@pbx"]) == (["-v"], "sip:100@pbx")


def test_dnd_where_supported(desktop: Desktop, relay: Any, fake_pbx: Any, qtbot: Any) -> None:
    """With a PBX that has DND, the menu offers it and a toggle reaches the PBX."""
    relay.cli("provider", "set", "crm-api", "--webhook-token", "token123", "--api-token",
              "crm-token", "--api-url", fake_pbx.url + "/crm")
    fake_pbx.reply("/crm", 200, {"state": "false"})
    app = desktop.start(desktop.make(relay.url, relay.add_user("Сотрудник", "100"), tray=True))
    qtbot.waitUntil(lambda: app.menu.dnd_action.isVisible(), timeout=5000)
    assert not app.menu.dnd_action.isChecked()
    app.menu.dnd_action.setChecked(True)
    qtbot.waitUntil(lambda: app.presence.dnd, timeout=5000)
    sent = [r.form() for r in fake_pbx.requests if r.path == "/crm"]
    assert {"cmd": "set_dnd", "token": "crm-token", "user": "100", "state": "true"} in sent


def test_enroll_and_link_requests() -> None:
    """`trubka enroll LINK` (either form) and a bare trubka: link become requests for the
    running instance; `trubka enroll` without a link is refused."""
    from trubka.desktop.cli import build_parser, main, request_for, split_url

    app_link = "trubka://enroll?relay=https%3A%2F%2Fr.example.ru&code=" + "a" * 32
    page_link = "https://r.example.ru/enroll#" + "a" * 32

    def request(*argv: str) -> dict[str, str] | None:
        rest, url = split_url(list(argv))
        return request_for(build_parser().parse_args(rest), url)

    assert request("enroll", app_link) == {"cmd": "enroll", "arg": app_link}
    assert request("--profile", "p", "enroll", page_link) == {"cmd": "enroll",
                                                             "arg": page_link}
    assert request(app_link) == {"cmd": "url", "arg": app_link}
    assert request("dial", "100") == {"cmd": "dial", "arg": "100"}
    assert main(["enroll"]) == 2
