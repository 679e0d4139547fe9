"""The composition root: builds the objects and connects their signals, nothing else.

Frames go bridge → FrameRouter (the core WindowPlanner) → the call windows, the journal
and the address book; the views' requests go to their controllers, which talk to the
relay through the bridge. Every collaborator is passed in (STYLE.md: wire by hand), so
tests give `Services` hand-written fakes and `AppOptions` their switches.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

from trubka.core.display_policy import WindowPlanner
from trubka.desktop import gcpin, qtcompat
from trubka.desktop.bridge import ReconnectPolicy, RelayBridge
from trubka.desktop.controllers.calls import CallWindows
from trubka.desktop.controllers.connection import ConnectionController
from trubka.desktop.controllers.contacts import ContactsController
from trubka.desktop.controllers.enrolment import EnrolmentController
from trubka.desktop.controllers.frames import FrameRouter
from trubka.desktop.controllers.journal import JournalController
from trubka.desktop.controllers.settings import SettingsController
from trubka.desktop.controllers.shell import Shell, about_text
from trubka.desktop.dialer import Dialer
from trubka.desktop.models.contacts import ContactsModel
from trubka.desktop.models.journal import JournalModel
from trubka.desktop.network import NetworkWatcher
from trubka.desktop.services import Clipboard, Confirmer, Notifier, Opener, SafeOpener, UrlOpener
from trubka.desktop.session import Session, effective_language
from trubka.desktop.settings import PreferenceStore, TokenStore, log_dir
from trubka.desktop.views.call_window import Lifetimes
from trubka.desktop.views.dialogs import DialogKeeper
from trubka.desktop.views.directory import AddressBookPage, DirectoryWindow, JournalPage
from trubka.desktop.views.tray import Presence, TrayMenu

log = logging.getLogger("trubka.desktop.app")
__all__ = ["AppOptions", "Services", "TrubkaApp", "effective_language"]


@dataclass
class Services:
    """The app's collaborators in the outside world; tests pass hand-written fakes."""

    profile: Path
    store: PreferenceStore
    tokens: TokenStore
    url_opener: Opener = field(default_factory=UrlOpener)
    confirmer: Confirmer = field(default_factory=Confirmer)
    reconnect: ReconnectPolicy = field(default_factory=ReconnectPolicy)
    autostart: Callable[[bool], str] | None = None  # desktop.integrate.set_autostart


@dataclass
class AppOptions:
    """Switches for this run — the command line, the demo, tests and benchmarks."""

    relay_override: str = ""  # --relay
    token_override: str = ""  # --token / TRUBKA_TOKEN
    lifetimes: Lifetimes | None = None  # fixed window lifetimes instead of the setting
    tray_available: bool | None = None  # None: ask Qt
    show_error_boxes: bool = True
    scenarios: list[str] = field(default_factory=list)  # the demo's Simulate ▸ menu
    simulate: Callable[[str], object] | None = None
    on_quit: Callable[[], None] | None = None
    quit_app: bool = True  # tests keep the QApplication


class TrubkaApp(QObject):
    def __init__(self, qapp: QApplication, services: Services,
                 options: AppOptions | None = None) -> None:
        qtcompat.install()
        super().__init__()
        gcpin.pin(qapp)  # before the bridge's thread starts allocating
        self.qapp, self.services = qapp, services
        self.options = options = options or AppOptions()
        prefs = services.store.load()
        if options.relay_override:
            prefs = replace(prefs, relay_url=options.relay_override)
        self.session = Session(prefs, options.token_override, self)
        self.bridge = RelayBridge(services.reconnect, self)
        self.notifier = Notifier(self, show_boxes=options.show_error_boxes)
        self.dialogs = DialogKeeper()
        self._build_views()
        self._build_controllers()
        self._wire()
        self.network = NetworkWatcher(self)
        self.network.online.connect(self.bridge.reconnect_now)

    def _build_views(self) -> None:
        country = self.session.country
        self.contacts, self.journal = ContactsModel(country), JournalModel(country)
        self.book_page = AddressBookPage(self.contacts)
        self.journal_page = JournalPage(self.journal)
        self.directory = DirectoryWindow(self.book_page, self.journal_page)
        self.menu = TrayMenu(self.options.scenarios)
        tray = self.options.tray_available
        self.presence = Presence(self.menu, QSystemTrayIcon.isSystemTrayAvailable()
                                 if tray is None else tray)
        self.notifier.bubble = self.presence.bubble

    def _build_controllers(self) -> None:
        services, session, bridge, notifier = self.services, self.session, self.bridge, \
            self.notifier
        self.opener = SafeOpener(services.url_opener, notifier,
                                 lambda: session.prefs.crm_scheme_list())
        self.router = FrameRouter(WindowPlanner(session.prefs.policy()), self)
        self.dialer = Dialer(bridge, notifier, services.confirmer, session, self)
        self.connection = ConnectionController(session, bridge, services.store,
                                               services.tokens, self.presence, self.menu,
                                               notifier, self)
        self.calls = CallWindows(session, notifier, Clipboard(self.qapp.clipboard()),
                                 self.opener, self.dialer, self.journal.last_call_with,
                                 self.options.lifetimes, self)
        self.history = JournalController(session, bridge, self.journal, notifier,
                                         self.dialogs, self)
        self.book = ContactsController(session, bridge, self.contacts, self.book_page,
                                       notifier, self.dialogs, self)
        self.settings = SettingsController(session, bridge, services.store, services.tokens,
                                           self.connection.token, self.dialogs, log_dir(),
                                           services.autostart, self)
        self.enrolment = EnrolmentController(session, bridge, services.store, services.tokens,
                                             services.confirmer, notifier, self.dialogs, self)
        self.shell = Shell(session, self.directory, self.dialer, self.dialogs,
                           self.calls.ringing, self._journal_opened,
                           lambda: about_text(session, log_dir(), services.profile), self)

    def _wire(self) -> None:
        bridge, router, calls = self.bridge, self.router, self.calls
        history, book, shell, conn = self.history, self.book, self.shell, self.connection
        bridge.frame.connect(router.on_frame)
        bridge.status.connect(conn.on_status)
        bridge.position.connect(conn.on_position)
        router.show.connect(calls.show)
        router.update.connect(calls.update)
        router.close.connect(calls.close)
        router.journal_entry.connect(history.add_live)
        router.journal_entry.connect(calls.journal_entry)
        router.missed.connect(history.set_missed)
        router.journal_card.connect(history.open_card)
        router.contacts_changed.connect(book.refresh)
        router.reload_journal.connect(history.load)
        calls.window_closed.connect(router.window_closed)
        calls.create_contact.connect(book.open_dialog)
        calls.show_contact.connect(shell.show_contact)
        history.missed_changed.connect(self.presence.set_missed)
        conn.connected.connect(history.load)
        conn.connected.connect(book.refresh)
        conn.needs_setup.connect(self.settings.open_first_run)
        self.settings.relay_changed.connect(conn.connect_relay)
        self.settings.enrol_requested.connect(self.enrolment.handle)
        shell.enrol_requested.connect(self.enrolment.handle)
        self.enrolment.relay_changed.connect(conn.connect_relay)
        self.session.prefs_changed.connect(lambda p: router.set_policy(p.policy()))
        self._wire_views()

    def _wire_views(self) -> None:
        menu, shell, book, history = self.menu, self.shell, self.book, self.history
        self.journal.note_edited.connect(history.save_note)
        self.book_page.search_requested.connect(book.search)
        self.book_page.dial_requested.connect(lambda n: self.dialer.dial(n, "app"))
        self.book_page.save_requested.connect(book.save)
        self.book_page.delete_requested.connect(book.delete)
        self.journal_page.dial_requested.connect(lambda n: self.dialer.dial(n, "app"))
        self.journal_page.filter_changed.connect(history.set_filter)
        self.journal_page.open_url.connect(self.opener.open)
        self.journal_page.more_requested.connect(history.load_more)
        self.presence.left_clicked.connect(shell.left_click)
        menu.dial.connect(shell.open_dial_box)
        menu.address_book.connect(lambda: shell.open_directory("book"))
        menu.journal.connect(lambda: shell.open_directory("journal"))
        menu.settings.connect(self.settings.open)
        menu.about.connect(shell.open_about)
        menu.quit.connect(self.quit)
        menu.dnd_toggled.connect(self.connection.set_dnd)
        if self.options.simulate is not None:
            menu.simulate.connect(self.options.simulate)

    def _journal_opened(self) -> None:
        self.journal.mark_viewed()
        self.router.missed_viewed()

    # -- start / stop ---------------------------------------------------------------------

    def start(self) -> None:
        self.presence.show()
        self.connection.connect_relay()

    def quit(self) -> None:
        if self.session.quitting:
            return
        self.session.quitting = self.router.stopped = True
        log.info("quitting")
        self.connection.save_since()
        self.calls.close_all()
        self.bridge.shutdown()
        self.presence.hide()
        self.directory.close()
        self.dialogs.close_all()
        # Hand every top-level Qt object back to Qt now, not to Python's final GC
        # (PySide crashes when that happens after QApplication is gone).
        for obj in (self.directory, self.menu.menu, self.calls.stack.more,
                    self.presence.window, self.presence.tray):
            if obj is not None:
                obj.deleteLater()
        if self.options.on_quit is not None:
            self.options.on_quit()
        if self.options.quit_app:
            self.qapp.quit()
