"""One-click enrolment, the app's side (issue 8 item 5), against a real relay: strict
links, the code exchanged once, the token kept (file opt-in on a keyring-less machine),
connected as that user; used, expired, unknown and throttled codes refused with nothing
changed; no secret in the log."""

from __future__ import annotations

import logging
import os
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from PySide6.QtWidgets import QApplication

from tests.desktop.conftest import Desktop
from trubka.desktop import single
from trubka.desktop.bridge import LinkState
from trubka.desktop.enrol import BadLink, parse_link
from trubka.desktop.logs import setup_logging
from trubka.desktop.views.settings_dialog import SettingsDialog
from trubka.relay import admin

CODE = "Qm9vdHN0cmFwLWNvZGUtMTIzNDU2Nzg5"  # URL-safe, as the relay makes them


def app_link(relay: str, code: str) -> str:
    return f"trubka://enroll?relay={quote(relay, safe='')}&code={code}"


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    """The app's own file logging (with its redaction), for this test only."""
    root = logging.getLogger()
    before = list(root.handlers)
    path = setup_logging(directory=tmp_path / "logs")
    yield path
    for handler in root.handlers[:]:
        if handler not in before:
            root.removeHandler(handler)
            handler.close()


# -- the links --------------------------------------------------------------------------

def test_both_link_forms_carry_relay_and_code() -> None:
    """The page link and the app link name the same relay and code."""
    page = parse_link(f"https://relay.example.ru/trubka/enroll#{CODE}")
    app = parse_link(app_link("https://relay.example.ru/trubka", CODE))
    assert page == app
    assert (page.relay, page.code, page.host) == ("https://relay.example.ru/trubka", CODE,
                                                  "relay.example.ru")
    assert CODE not in repr(page)


@pytest.mark.parametrize("link", [
    f"ftp://relay.example.ru/enroll#{CODE}",
    f"http://relay.example.ru/enroll#{CODE}",  # plain http off this computer
    f"https://user@relay.example.ru/enroll#{CODE}",
    f"https://relay.example.ru/enroll?x=1#{CODE}",
    f"https://relay.example.ru/enrol#{CODE}",
    "https://relay.example.ru/enroll#short",
    "https://relay.example.ru/enroll#" + "a" * 200,
    "https://relay.example.ru/enroll#bad code with spaces!",
    f"https://relay.example.ru/enroll#{CODE}%00",
    f"trubka://other?relay=https%3A%2F%2Frelay.example.ru&code={CODE}",
    f"trubka://enroll?relay=javascript%3Aalert(1)&code={CODE}",
    f"trubka://enroll?relay=https%3A%2F%2Frelay.example.ru&code={CODE}&code={CODE}",
    f"trubka://enroll?relay=https%3A%2F%2Frelay.example.ru&code={CODE}&extra=1",
    f"trubka://enroll?code={CODE}",
    "",
    "tel:+79991234567",
])
def test_bad_links_refused(link: str) -> None:
    """Other schemes, hosts with user names, queries, short or odd codes: refused."""
    with pytest.raises(BadLink):
        parse_link(link)


# -- end to end, against a real relay -----------------------------------------------------

@pytest.fixture
def enrolling(pz_relay: Any) -> Any:
    """The relay with its public address set (links are made from it) and ext 100."""
    pz_relay.cli("settings", "set", "public-url", pz_relay.url)
    pz_relay.add_user("Сотрудник", "100")
    return pz_relay


def new_link(relay: Any, ext: str = "100") -> str:
    """A one-time page link, made by the relay's admin layer (`users enroll`)."""
    link: str = relay.admin(lambda a: admin.enroll(a, ext)).link
    return link


def as_app_link(page_link: str) -> str:
    relay, code = page_link.split("/enroll#")
    return app_link(relay, code)


def unused(relay: Any) -> int:
    return int(relay.sql("SELECT count(*) FROM enrollments WHERE used_at IS NULL")[0][0])


def tokens(relay: Any) -> int:
    return int(relay.sql("SELECT count(*) FROM tokens")[0][0])


def test_link_signs_in_and_connects(desktop: Desktop, enrolling: Any, qtbot: Any,
                                    log_file: Path) -> None:
    """A trubka: link on a keyring-less machine (file opt-in): the code is exchanged once,
    the token kept in the 0600 file, relay and extension filled in, connected as that
    user, "Trubka connected: ext. 100" shown; no code or token in the log."""
    link = new_link(enrolling)
    code = link.split("#")[1]
    app = desktop.make("", "", keyring=False, token_file_ok=True)
    app.start()
    first_run = app.dialogs.open[-1]
    assert isinstance(first_run, SettingsDialog)
    with qtbot.waitSignal(app.bridge.status, timeout=10_000,
                          check_params_cb=lambda s: s.state is LinkState.CONNECTED):
        app.shell.handle_request({"cmd": "url", "arg": as_app_link(link)})
    qtbot.waitUntil(lambda: app.session.me is not None, timeout=10_000)
    assert app.session.me is not None and app.session.me.ext == "100"
    assert unused(enrolling) == 0
    prefs = app.services.store.load()
    assert (prefs.relay_url, prefs.ext) == (enrolling.url, "100")
    token_file = app.services.profile / "token"
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    token = app.services.tokens.get(enrolling.url)
    assert token.startswith("trk_") and token in token_file.read_text()
    assert ("info", "Trubka connected: ext. 100") in app.notifier.history
    assert first_run.relay_url.text() == enrolling.url and first_run.ext.text() == "100"
    assert first_run.enrol_result_label.text() == "Trubka connected: ext. 100"
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = log_file.read_text()
    assert "enrolled as ext 100" in text
    assert code not in text and token not in text


@pytest.mark.parametrize(("state", "words"), [
    ("used", "already been used — ask your administrator for a new one"),
    ("expired", "has expired — ask your administrator for a new one"),
    ("unknown", "does not know this link"),
    ("throttled", "Too many attempts. Wait a minute and try again."),
])
def test_refused_codes_change_nothing(desktop: Desktop, enrolling: Any, qtbot: Any,
                                      log_file: Path, state: str, words: str) -> None:
    """A used, expired or unknown code (or too many tries) is refused with its message;
    the settings, the token and the connection stay as they were."""
    token = enrolling.add_user("Иванов", "101")
    link = new_link(enrolling, "101")
    relay, code = link.split("/enroll#")
    if state == "used":
        assert httpx.post(f"{relay}/api/v1/enroll", json={"code": code}).status_code == 200
    elif state == "expired":
        enrolling.sql("UPDATE enrollments SET expires_at = created_at")
    elif state == "unknown":
        code = "X" * 32
    app = desktop.start(desktop.make(enrolling.url, token, ext="101"))
    if state == "throttled":  # once connected: the gate then refuses this address anything
        for _ in range(10):
            httpx.post(f"{relay}/api/v1/enroll", json={"code": "W" * 32})
    settings_before = app.services.store.path.read_bytes()
    issued = tokens(enrolling)
    dialog = app.settings.open()
    with qtbot.waitSignal(app.enrolment.refused, timeout=10_000) as refused:
        app.shell.handle_request({"cmd": "enroll", "arg": app_link(relay, code)})
    assert words in refused.args[0]
    assert words in dialog.enrol_result_label.text()
    assert app.services.store.path.read_bytes() == settings_before
    assert app.services.tokens.get(enrolling.url) == ""  # nothing stored (--token)
    assert app.session.session_token == token and tokens(enrolling) == issued
    assert app.session.status.state is LinkState.CONNECTED
    assert app.session.me is not None and app.session.me.ext == "101"
    assert code not in log_file.read_text()


def test_rogue_link_shows_the_host_first(desktop: Desktop, enrolling: Any,
                                         qtbot: Any) -> None:
    """A link for another relay than the one configured names its host and asks first;
    declined, nothing is sent and nothing changes."""
    link = new_link(enrolling)
    app = desktop.make("http://127.0.0.1:9", "trk_elsewhere")  # another relay
    desktop.confirmer.answer = False
    with qtbot.waitSignal(app.enrolment.refused, timeout=5000):
        app.shell.handle_request({"cmd": "enroll", "arg": link})
    host = enrolling.url.split("//")[1]
    assert host in desktop.confirmer.questions[-1]
    assert unused(enrolling) == 1
    assert app.services.store.load().relay_url == "http://127.0.0.1:9"
    desktop.confirmer.answer = True
    with qtbot.waitSignal(app.enrolment.enrolled, timeout=10_000):
        app.shell.handle_request({"cmd": "enroll", "arg": link})
    assert app.services.store.load().relay_url == enrolling.url and unused(enrolling) == 0


def test_locked_relay_refuses_other_links(desktop: Desktop, enrolling: Any, qtbot: Any,
                                          tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """With the relay address locked by the company, a link for another relay is
    refused with a clear message; nothing is sent."""
    company = tmp_path / "xdg" / "trubka" / "trubka.ini"
    company.parent.mkdir(parents=True)
    company.write_text("relay_url = https://relay.company.ru\nlocked = relay_url\n")
    monkeypatch.setenv("XDG_CONFIG_DIRS", str(tmp_path / "xdg"))
    app = desktop.make("", "")
    with qtbot.waitSignal(app.enrolment.refused, timeout=5000) as refused:
        app.shell.handle_request({"cmd": "enroll", "arg": new_link(enrolling)})
    assert "your administrator fixed Trubka's relay to relay.company.ru" in refused.args[0]
    assert unused(enrolling) == 1 and desktop.confirmer.questions == []


def test_paste_enrolment_link_in_settings(desktop: Desktop, enrolling: Any,
                                          qtbot: Any) -> None:
    """Settings → Paste enrolment link takes the link from the clipboard and connects."""
    app = desktop.make("", "")
    app.start()
    dialog = app.dialogs.open[-1]
    assert isinstance(dialog, SettingsDialog)
    QApplication.clipboard().setText("nonsense")
    with qtbot.waitSignal(app.enrolment.refused, timeout=5000):
        dialog.enrol_button.click()
    assert "not an enrolment link" in dialog.enrol_result_label.text()
    QApplication.clipboard().setText(f"  {new_link(enrolling)}\n")
    with qtbot.waitSignal(app.bridge.status, timeout=10_000,
                          check_params_cb=lambda s: s.state is LinkState.CONNECTED):
        dialog.enrol_button.click()
    assert dialog.relay_url.text() == enrolling.url and dialog.ext.text() == "100"
    assert app.services.tokens.get(enrolling.url).startswith("trk_")  # the (fake) keyring


def test_link_from_another_launch(desktop: Desktop, enrolling: Any, qtbot: Any,
                                  tmp_path: Path) -> None:
    """`trubka trubka://enroll?…` launched while Trubka runs hands the link over."""
    link = as_app_link(new_link(enrolling))
    app = desktop.make("", "")
    app.start()
    server = single.InstanceServer(single.server_name(tmp_path / "profile"))
    assert server.listen()
    server.request.connect(app.shell.handle_request)
    result: dict[str, Any] = {}
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
           "TRUBKA_LOG_DIR": str(tmp_path / "launch-log")}
    try:
        with qtbot.waitSignal(app.enrolment.enrolled, timeout=60_000):
            thread = threading.Thread(target=lambda: result.update(proc=subprocess.run(
                [sys.executable, "-m", "trubka.desktop.cli", "--profile",
                 str(tmp_path / "profile"), link],
                capture_output=True, text=True, env=env, timeout=60, check=False)))
            thread.start()
            qtbot.waitUntil(lambda: not thread.is_alive(), timeout=60_000)
    finally:
        server.close()
    assert result["proc"].returncode == 0, result["proc"].stderr
    launch_log = (tmp_path / "launch-log" / "trubka.log").read_text()
    assert "handed url to the running instance" in launch_log
    assert link.split("code=")[1] not in launch_log


def test_log_redaction_of_enrolment_secrets() -> None:
    """Codes in page links, app links and JSON bodies, and tokens, are masked."""
    from trubka.desktop.logs import redact

    for text in (f"https://relay.example.ru/enroll#{CODE}", app_link("https://r.ru", CODE),
                 f'{{"code": "{CODE}"}}', f"code={CODE}&x=1", f"Bearer trk_{CODE}",
                 f'{{"token": "trk_{CODE}"}}'):
        assert CODE not in redact(text), text
