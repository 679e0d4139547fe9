"""`trubka demo`: everything on this computer, nothing to configure.

An embedded relay on a free loopback port with a temporary data dir, a demo user (ext
100), ~20 sample contacts, a fake PBX that accepts makeCall, and the SPEC §2.1 scenarios
played through the simulator. Quit removes it all.
"""

from __future__ import annotations

import asyncio
import json
import logging
import shutil
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl

import httpx
from PySide6.QtCore import QObject, QTimer, Signal

from trubka.core.display_policy import JournalCard, WindowMoment
from trubka.desktop.qtcompat import emit
from trubka.desktop.settings import Preferences

if TYPE_CHECKING:
    from trubka.desktop.app import TrubkaApp

log = logging.getLogger("trubka.desktop.demo")

WEBHOOK_TOKEN = "demo-webhook-token"
ORDER = ["incoming-answered", "incoming-missed", "outgoing-answered", "outgoing-missed",
         "smart-transfer"]

CONTACTS = [
    ("Иван Петров", "ООО «Ромашка»", "89991234567", "100", "Ждёт счёт за ноябрь"),
    ("Мария Смирнова", "ИП Смирнова", "+7 (912) 345-67-01", "101", ""),
    ("Алексей Кузнецов", "АО «Техносила»", "8 903 111-22-33", "100", "Постоянный клиент"),
    ("Ольга Васильева", "ООО «Вектор»", "+7 916 222-33-44", "102", ""),
    ("Дмитрий Соколов", "ГК «Северсталь»", "8 (925) 333-44-55", "", ""),
    ("Елена Попова", "ООО «Альфа-Трейд»", "+7 926 444-55-66", "101", "Звонить после 14:00"),
    ("Сергей Лебедев", "ЗАО «Прогресс»", "89035556677", "100", ""),
    ("Анна Козлова", "ООО «Бета»", "+7 985 666-77-88", "", ""),
    ("Николай Новиков", "ИП Новиков", "8 915 777-88-99", "102", ""),
    ("Татьяна Морозова", "ООО «Гамма»", "+7 903 888-99-00", "100", "Договор на подписи"),
    ("Андрей Волков", "АО «Дельта»", "8 917 999-00-11", "", ""),
    ("Наталья Соловьёва", "ООО «Эпсилон»", "+7 929 123-00-22", "101", ""),
    ("Павел Зайцев", "ООО «Зета»", "8 968 234-11-33", "", ""),
    ("Юлия Павлова", "ООО «Омега»", "+7 977 345-22-44", "102", ""),
    ("Михаил Семёнов", "ООО «Сигма»", "8 999 456-33-55", "100", ""),
    ("Ирина Голубева", "ООО «Лямбда»", "+7 901 567-44-66", "", "Бухгалтерия"),
    ("Владимир Виноградов", "АО «Каппа»", "8 902 678-55-77", "101", ""),
    ("Екатерина Богданова", "ООО «Тета»", "+7 904 789-66-88", "", ""),
    ("Роман Воробьёв", "ООО «Йота»", "8 906 890-77-99", "100", ""),
    ("Светлана Фёдорова", "ООО «Ипсилон»", "+7 908 901-88-00", "", "Новый клиент"),
]


class FakeProvider:
    """A tiny loopback PBX API: accepts every makeCall and remembers it."""

    def __init__(self) -> None:
        self.calls: list[dict[str, object]] = []
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) or b"{}"
                if "json" in (self.headers.get("Content-Type") or ""):
                    try:
                        body: dict[str, object] = json.loads(raw)
                    except ValueError:
                        body = {}
                else:  # crm-api posts forms: cmd=makeCall&user=...&phone=...
                    body = dict(parse_qsl(raw.decode(errors="replace")))
                command = str(body.get("cmd") or "makecall")
                reply_body: object = {"result": "ok"}
                if command == "get_dnd":
                    reply_body = {"state": "false"}
                elif command == "accounts":
                    reply_body = [{"name": "100", "realName": "Демо Сотрудник", "ext": "100"}]
                if command.lower() == "makecall":
                    provider.calls.append({k: v for k, v in body.items()
                                           if k not in ("token", "cmd")})
                log.info("demo PBX: %s %s", command, {k: v for k, v in body.items()
                                                      if k not in ("token", "cmd")})
                reply = json.dumps(reply_body, ensure_ascii=False).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, format: str, *args: object) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True,
                                       name="trubka-demo-pbx")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/crmapi/v1/makecall"

    def start(self) -> FakeProvider:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@dataclass
class Demo:
    provider_name: str = ""  # "" = the first provider spec
    pause_scale: float = 1.0
    root: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="trubka-demo-")))
    token: str = ""
    webhook_token: str = WEBHOOK_TOKEN  # what the simulated PBX signs or sends
    relay: object | None = None
    pbx: FakeProvider | None = None
    _threads: list[threading.Thread] = field(default_factory=list)
    _stopping: threading.Event = field(default_factory=threading.Event)

    @property
    def data_dir(self) -> Path:
        return self.root / "relay"

    @property
    def profile(self) -> Path:
        return self.root / "profile"

    @property
    def url(self) -> str:
        return str(self.relay.url)  # type: ignore[attr-defined]

    def start(self) -> Demo:
        from trubka.providers import SPECS

        self.provider_name = self.provider_name or next(iter(SPECS))
        from trubka.relay.config import RelayConfig
        from trubka.relay.server import RelayServer

        self.pbx = FakeProvider().start()
        self.data_dir.mkdir(parents=True)
        config = RelayConfig(data_dir=self.data_dir, maintenance_interval=3600)
        server = RelayServer(config)
        setup = SPECS[self.provider_name].demo(self.pbx.url, server.url)
        self.webhook_token = setup.sim_token
        self.token = asyncio.run(self._prepare(config, dict(setup.options)))
        self.relay = server.start()
        self._seed_contacts()
        log.info("demo relay on %s (data in %s)", self.url, self.root)
        return self

    async def _prepare(self, config: object, options: dict[str, str]) -> str:
        """The PBX and two employees, through the relay's admin layer; the demo
        employee's token."""
        from trubka.relay import admin

        async with admin.open_admin(config) as a:  # type: ignore[arg-type]
            await admin.set_provider(a, self.provider_name, options)
            _, token = await admin.add_user(a, "Демо Сотрудник", "100")
            await admin.add_user(a, "Иванов", "101")
        return token

    def _seed_contacts(self) -> None:
        with httpx.Client(base_url=self.url + "/api/v1", timeout=10,
                          headers={"Authorization": f"Bearer {self.token}"}) as http:
            for name, company, phone, responsible, note in CONTACTS:
                http.post("/contacts", json={"name": name, "company": company,
                                             "phones": [phone], "responsible_ext": responsible,
                                             "note": note}).raise_for_status()

    def play(self, scenario: str, done: Callable[[], None] | None = None) -> threading.Thread:
        """Play one scenario in the background; `done` runs (in that thread) at the end."""
        from trubka.relay import simulator

        steps = simulator.SCENARIOS[scenario]

        def run() -> None:
            try:
                asyncio.run(simulator.play(self.url, steps, simulator.CallSpec(),
                                           self.webhook_token,
                                           provider=self.provider_name,
                                           pause_scale=self.pause_scale,
                                           on_post=lambda p: log.info(
                                               "demo: %s → %s %s", scenario, p.status, p.reply)))
            except Exception:
                log.exception("demo scenario %s failed", scenario)
            if done is not None and not self._stopping.is_set():
                done()

        thread = threading.Thread(target=run, name=f"demo-{scenario}", daemon=True)
        self._threads.append(thread)
        thread.start()
        return thread

    def play_all(self, names: list[str], done: Callable[[], None] | None = None) -> None:
        """Scenarios one after another, with a pause between them."""
        def chain(index: int) -> None:
            if index >= len(names) or self._stopping.is_set():
                if done is not None:
                    done()
                return

            def next_one() -> None:
                self._stopping.wait(2 * self.pause_scale)
                chain(index + 1)

            self.play(names[index], next_one)
        chain(0)

    def driver(self, app: TrubkaApp, names: list[str], exit_when_done: bool) -> DemoDriver:
        return DemoDriver(self, app, names, exit_when_done)

    def stop(self) -> None:
        self._stopping.set()
        if self.relay is not None:
            self.relay.stop()  # type: ignore[attr-defined]
        if self.pbx is not None:
            self.pbx.stop()
        shutil.rmtree(self.root, ignore_errors=True)
        log.info("demo cleaned up")


def demo_preferences(url: str, pause_scale: float, language: str) -> Preferences:
    """The demo user's settings: ext 100, windows for both directions, no questions."""
    seconds = max(1, round(10 * min(1.0, pause_scale)))
    return replace(Preferences(), relay_url=url, ext="100",
                   incoming=WindowMoment.START.value, outgoing=WindowMoment.START.value,
                   journal_card=JournalCard.NEVER.value, window_seconds=seconds,
                   confirm_links=False, language=language)


class DemoDriver(QObject):
    """Plays the scenarios once the app is connected; with `exit_when_done`, quits once
    they have played and their windows closed. Signal `finished()`: the last scenario
    ended (emitted from the scenario thread, delivered on the GUI thread)."""

    finished = Signal()

    def __init__(self, demo: Demo, app: TrubkaApp, names: list[str],
                 exit_when_done: bool) -> None:
        super().__init__(app)
        self.demo, self.app, self.names = demo, app, names
        self._waited_ms = 0
        self._timer = QTimer(self, interval=200)
        self._timer.timeout.connect(self._check_windows)
        if exit_when_done:
            self.finished.connect(self._timer.start)

    def begin(self) -> None:
        if self.app.session.status.state.value == "connected":
            self.demo.play_all(self.names, lambda: emit(self.finished))
        else:
            QTimer.singleShot(100, self.begin)

    def _check_windows(self) -> None:
        self._waited_ms += 200
        if not self.app.calls.windows or self._waited_ms > 60_000:
            self._timer.stop()
            self.app.quit()
