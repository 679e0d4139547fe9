"""Desktop fixtures: offscreen Qt, hand-written fakes, and a TrubkaApp wired to a real
relay on loopback with an instant reconnect policy."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import gc
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import httpx
import pytest

from trubka.desktop import gcpin, qtcompat
from trubka.desktop.app import AppOptions, Services, TrubkaApp
from trubka.desktop.bridge import LinkState, ReconnectPolicy
from trubka.desktop.settings import Preferences, PreferenceStore, TokenStore
from trubka.desktop.views.call_window import Lifetimes

FAST = ReconnectPolicy(first=0.05, minimum=0.1, maximum=0.3, factor=1.5, ping_interval=1.0,
                       ping_timeout=1.0, open_timeout=3.0)
WEBHOOK_TOKEN = "token123"


class FakeUrlOpener:
    """Records the URLs the app asked the browser to open."""

    def __init__(self) -> None:
        self.opened: list[str] = []

    def open(self, url: str) -> bool:
        self.opened.append(url)
        return True


class FakeConfirmer:
    """Answers every question with `answer`, recording the questions."""

    def __init__(self, answer: bool = True) -> None:
        self.answer = answer
        self.questions: list[str] = []

    def ask(self, title: str, question: str) -> bool:
        self.questions.append(question)
        return self.answer


class FakeKeyring:
    """An in-memory keyring backend (the `get_password`/`set_password` subset)."""

    def __init__(self) -> None:
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, user: str) -> str | None:
        return self.items.get((service, user))

    def set_password(self, service: str, user: str, password: str) -> None:
        self.items[(service, user)] = password


@dataclass
class Desktop:
    """Builds TrubkaApps against a relay; quits them all at teardown."""

    qtbot: Any
    tmp_path: Path
    opener: FakeUrlOpener = field(default_factory=FakeUrlOpener)
    confirmer: FakeConfirmer = field(default_factory=FakeConfirmer)
    apps: list[TrubkaApp] = field(default_factory=list)
    cleanup: list[Callable[[], object]] = field(default_factory=list)  # after the apps quit

    def make(self, relay_url: str, token: str, tray: bool = False,
             lifetimes: Lifetimes | None = None, profile: str = "profile",
             keyring: bool = True, options: AppOptions | None = None,
             **prefs: Any) -> TrubkaApp:
        from PySide6.QtWidgets import QApplication

        path = self.tmp_path / profile
        store = PreferenceStore(path)
        base = replace(Preferences(), relay_url=relay_url, **{"language": "en", **prefs})
        store.save(base)
        tokens = TokenStore(path, backend=FakeKeyring()) if keyring else TokenStore(
            path, use_keyring=False)
        services = Services(profile=path, store=store, tokens=tokens,
                            url_opener=self.opener, confirmer=self.confirmer,  # type: ignore[arg-type]
                            reconnect=FAST)
        options = options or AppOptions(
            lifetimes=lifetimes or Lifetimes(ended_ms=400, elsewhere_ms=400, fade_ms=0),
            tray_available=tray, show_error_boxes=False, token_override=token,
            quit_app=False)
        app = TrubkaApp(QApplication.instance(), services, options)  # type: ignore[arg-type]
        self.apps.append(app)
        return app

    def start(self, app: TrubkaApp, timeout: int = 10_000) -> TrubkaApp:
        """Start and wait until connected and the journal has loaded once."""
        app.start()
        self.qtbot.waitUntil(lambda: app.session.status.state is LinkState.CONNECTED,
                             timeout=timeout)
        self.qtbot.waitUntil(lambda: app.session.me is not None, timeout=timeout)
        return app


@pytest.fixture(autouse=True)
def _no_company_defaults(tmp_path_factory: Any, monkeypatch: Any) -> None:
    """Tests never read this machine's /etc/xdg: company defaults come from a temp dir
    (empty unless a test writes one)."""
    monkeypatch.setenv("XDG_CONFIG_DIRS", str(tmp_path_factory.mktemp("xdg")))


@pytest.fixture(autouse=True)
def _qt_runtime(qapp: Any) -> Iterator[None]:
    """As the app runs Qt: the PySide 6.12 refcount work-around, and cycles collected on
    the GUI thread only (gcpin) — given back after the test, for the tests without Qt."""
    qtcompat.install()
    gcpin.pin(qapp)
    yield
    gcpin.unpin()


@pytest.fixture
def desktop(qtbot: Any, tmp_path: Path) -> Iterator[Desktop]:
    d = Desktop(qtbot, tmp_path)
    yield d
    for app in d.apps:
        app.quit()
        app.deleteLater()
    d.apps.clear()
    for step in d.cleanup:
        step()
    qtbot.wait(20)  # let deleteLater run while QApplication is alive
    gc.collect()


def hook(relay_url: str, **body: Any) -> dict[str, Any]:
    """Post one Prostye Zvonki webhook to the relay, as the PBX would."""
    reply = httpx.post(relay_url + "/hooks/prostiezvonki",
                       json={**body, "crm_token": WEBHOOK_TOKEN}, timeout=10)
    assert reply.status_code == 200, reply.text
    return reply.json()  # type: ignore[no-any-return]


@dataclass
class Pbx:
    """Plays calls against the relay the way the Prostye Zvonki service posts them."""

    relay_url: str
    counter: int = 0

    def call_id(self) -> str:
        self.counter += 1
        return f"test-call-{self.counter}"

    def _base(self, call_id: str, direction: str, phone: str, ext: str) -> dict[str, Any]:
        return {"user": ext, "ext": ext, "phone": phone, "callid": call_id,
                "diversion": "3333333" if direction == "in" else ""}

    def ring(self, call_id: str, direction: str = "in", phone: str = "89991234567",
             ext: str = "100") -> None:
        hook(self.relay_url, cmd="event", type="INCOMING" if direction == "in" else "OUTGOING",
             direction=direction, **self._base(call_id, direction, phone, ext))

    def answer(self, call_id: str, direction: str = "in", phone: str = "89991234567",
               ext: str = "100") -> None:
        hook(self.relay_url, cmd="event", type="ACCEPTED", direction=direction,
             **self._base(call_id, direction, phone, ext))

    def end(self, call_id: str, direction: str = "in", status: str = "success",
            phone: str = "89991234567", ext: str = "100", duration: int = 50) -> None:
        hook(self.relay_url, cmd="history", type=direction, status=status, duration=duration,
             start="20261123T120000", end="20261123T120050",
             link="https://example.invalid/recording.mp3" if status == "success" else "",
             **self._base(call_id, direction, phone, ext))

    def scenario(self, name: str, phone: str = "89991234567", ext: str = "100",
                 between: Callable[[str], None] | None = None) -> str:
        """Play a SPEC §2.1 scenario; `between(step)` runs after each post."""
        call_id = self.call_id()
        direction = "in" if name.startswith("incoming") else "out"
        steps = ["ring", "answer", "end"] if name.endswith("answered") else ["ring", "end"]
        for step in steps:
            if step == "ring":
                self.ring(call_id, direction, phone, ext)
            elif step == "answer":
                self.answer(call_id, direction, phone, ext)
            else:
                self.end(call_id, direction, "success" if name.endswith("answered")
                         else "missed", phone, ext)
            if between is not None:
                between(step)
        return call_id


@pytest.fixture
def pbx(pz_relay: Any) -> Pbx:
    return Pbx(pz_relay.url)


def add_contact(relay_url: str, token: str, **fields: Any) -> dict[str, Any]:
    reply = httpx.post(relay_url + "/api/v1/contacts", json=fields, timeout=10,
                       headers={"Authorization": f"Bearer {token}"})
    assert reply.status_code == 201, reply.text
    return reply.json()  # type: ignore[no-any-return]



# Qt messages the offscreen platform prints for things it cannot do; anything else is a bug.
ALLOWED_QT_WARNINGS = ("This plugin does not support", "QSystemTrayIcon::setVisible",
                       "QSystemTrayIcon: No Icon set", "propagateSizeHints",
                       "systemTrayWindowChanged")


@pytest.fixture(autouse=True)
def _no_qt_warnings(qtlog: Any) -> Iterator[None]:
    """Fail a test on any Qt warning except the known offscreen ones (STYLE.md)."""
    from PySide6.QtCore import QtMsgType

    yield
    bad = [r.message for r in qtlog.records
           if r.type in (QtMsgType.QtWarningMsg, QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg)
           and not any(a in r.message for a in ALLOWED_QT_WARNINGS)]
    assert not bad, bad
