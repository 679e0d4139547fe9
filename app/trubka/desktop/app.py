"""Wiring, by hand: the bridge's frames go through the WindowPlanner (core) to the call
windows, the journal and the tray; the views' requests go through the bridge.

Nothing here looks anything up globally: `TrubkaApp` gets its collaborators passed in
(STYLE.md), so tests substitute a fake URL opener, confirmer, tray availability and an
instant reconnect policy.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from PySide6.QtCore import QLocale, QObject, QTimer
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

from trubka.core.display_policy import Command, Order, WindowPlanner
from trubka.core.model import Call, Direction
from trubka.core.numbers import display, for_clipboard
from trubka.core.protocol import Frame
from trubka.core.templates import expand
from trubka.desktop import qtcompat
from trubka.desktop.api import ApiError, Contact, Me
from trubka.desktop.bridge import LinkState, LinkStatus, ReconnectPolicy, RelayBridge
from trubka.desktop.dialer import Dialer
from trubka.desktop.errors import error_text
from trubka.desktop.models.contacts import ContactsModel
from trubka.desktop.models.journal import JournalModel, duration_text, when_text
from trubka.desktop.network import NetworkWatcher
from trubka.desktop.records import RecordsMixin, matches_filter
from trubka.desktop.services import Clipboard, Confirmer, Notifier, UrlOpener
from trubka.desktop.settings import (
    Preferences,
    PreferenceStore,
    TokenStore,
    log_dir,
    relay_addresses,
)
from trubka.desktop.views.call_window import CallWindow, CallWindowStack, Lifetimes
from trubka.desktop.views.dialogs import AboutBox, DialBox
from trubka.desktop.views.directory import (
    AddressBookPage,
    ContactDialog,
    DirectoryWindow,
    JournalPage,
)
from trubka.desktop.views.settings_dialog import SettingsDialog
from trubka.desktop.views.tray import Presence, TrayMenu, status_line

log = logging.getLogger("trubka.desktop.app")
VERSION = "0.1.0"


def effective_language(setting: str) -> str:
    if setting in ("ru", "en"):
        return setting
    return "ru" if QLocale.system().name().lower().startswith("ru") else "en"


@dataclass
class Services:
    """What the app needs from outside; tests pass fakes."""

    profile: Path
    store: PreferenceStore
    tokens: TokenStore
    url_opener: UrlOpener = field(default_factory=UrlOpener)
    confirmer: Confirmer = field(default_factory=Confirmer)
    reconnect: ReconnectPolicy = field(default_factory=ReconnectPolicy)
    lifetimes: Lifetimes | None = None
    tray_available: bool | None = None
    show_error_boxes: bool = True
    relay_override: str = ""
    token_override: str = ""
    scenarios: list[str] = field(default_factory=list)
    simulate: Callable[[str], None] | None = None
    on_quit: Callable[[], None] | None = None
    quit_app: bool = True  # tests keep the QApplication


class TrubkaApp(RecordsMixin, QObject):
    def __init__(self, qapp: QApplication, services: Services) -> None:
        qtcompat.install()
        super().__init__()
        self.qapp = qapp
        self.s = services
        self.prefs = services.store.load()
        if services.relay_override:
            self.prefs = replace(self.prefs, relay_url=services.relay_override)
        self.session_token = services.token_override
        self.language = effective_language(self.prefs.language)
        self.me: Me | None = None
        self.status = LinkStatus(LinkState.IDLE)
        self.planner = WindowPlanner(self.prefs.policy())
        self.windows: dict[str, CallWindow] = {}
        self.shown_log: list[tuple[str, str, str]] = []  # (call id, event, state)
        self.journal_filter = "all"
        self._live_since_reload: set[str] = set()
        self._quitting = False
        self.bridge = RelayBridge(services.reconnect, self)
        self.notifier = Notifier(self, show_boxes=services.show_error_boxes)
        self.clipboard = Clipboard(qapp.clipboard())
        self.dialer = Dialer(self.bridge, self.notifier, services.confirmer,
                             lambda: self.country, lambda: self.language,
                             lambda: self.prefs.confirm_links, self)
        self.stack = CallWindowStack()
        self.missed = 0
        self._dnd_changes = 0
        self._missed_notice = QTimer(self, singleShot=True, interval=500)
        self._missed_notice.timeout.connect(self._notify_missed)
        self._save_since = QTimer(self, singleShot=True, interval=1000)
        self._save_since.timeout.connect(self._persist_since)
        self._build_views()
        self.bridge.frame.connect(self.on_frame)
        self.bridge.status.connect(self.on_status)
        self.network = NetworkWatcher(self)
        self.network.online.connect(self.bridge.reconnect_now)

    # -- construction ---------------------------------------------------------------------

    @property
    def country(self) -> str:
        return self.prefs.default_country or (self.me.default_country if self.me else "RU")

    def _build_views(self) -> None:
        self.contacts = ContactsModel(self.country)
        self.journal = JournalModel(self.country)
        self.journal.note_edited.connect(self.save_note)
        self.book_page = AddressBookPage(self.contacts)
        self.journal_page = JournalPage(self.journal)
        self.directory = DirectoryWindow(self.book_page, self.journal_page)
        self.book_page.search_requested.connect(self.search_contacts)
        self.book_page.dial_requested.connect(lambda n: self.dialer.dial(n, "app"))
        self.book_page.save_requested.connect(self.save_contact)
        self.book_page.delete_requested.connect(self.delete_contact)
        self.journal_page.dial_requested.connect(lambda n: self.dialer.dial(n, "app"))
        self.journal_page.filter_changed.connect(self.set_journal_filter)
        self.journal_page.open_url.connect(self.s.url_opener.open)
        self.journal_page.more_requested.connect(self.load_more_journal)
        self.menu = TrayMenu(self.s.scenarios)
        available = self.s.tray_available
        if available is None:
            available = QSystemTrayIcon.isSystemTrayAvailable()
        self.presence = Presence(self.menu, available)
        self.notifier.bubble = self.presence.bubble
        self.presence.left_clicked.connect(self.left_click)
        self.menu.dial.connect(self.open_dial_box)
        self.menu.address_book.connect(lambda: self.open_directory("book"))
        self.menu.journal.connect(lambda: self.open_directory("journal"))
        self.menu.settings.connect(self.open_settings)
        self.menu.about.connect(self.open_about)
        self.menu.quit.connect(self.quit)
        self.menu.dnd_toggled.connect(self.set_dnd)
        if self.s.simulate is not None:
            self.menu.simulate.connect(self.s.simulate)
        self.dialogs: list[Any] = []

    # -- start / stop ---------------------------------------------------------------------

    def token(self) -> str:
        return self.session_token or self.s.tokens.get(self.prefs.relay_url)

    def start(self) -> None:
        self.presence.show()
        self.connect_relay()

    def connect_relay(self) -> None:
        self.planner.policy = self.prefs.policy()
        token = self.token()
        since = self.s.store.load_since(self.prefs.relay_url)
        self.bridge.configure(self.prefs.relay_url, token, self.prefs.ca_file, since)
        if not (self.prefs.relay_url and token):
            self.on_status(LinkStatus(LinkState.IDLE))
            if not self.dialogs:
                self.open_settings()  # first run: nothing works until this is filled in
            return
        self.bridge.start()

    def quit(self) -> None:
        if self._quitting:
            return
        self._quitting = True
        log.info("quitting")
        self._save_since.stop()
        self._persist_since()
        self.stack.close_all()
        self.bridge.shutdown()
        self.presence.hide()
        for w in (self.directory, *self.dialogs):
            w.close()
        # Hand every top-level Qt object back to Qt now, not to Python's final GC
        # (PySide crashes when that happens after QApplication is gone).
        for obj in (self.directory, *self.dialogs, self.menu.menu, self.stack.more,
                    self.presence.window, self.presence.tray):
            if obj is not None:
                obj.deleteLater()
        self.dialogs.clear()
        if self.s.on_quit is not None:
            self.s.on_quit()
        if self.s.quit_app:
            self.qapp.quit()

    # -- frames and status ----------------------------------------------------------------

    def on_frame(self, frame: Frame) -> None:
        if self._quitting:
            return
        for order in self.planner.feed(frame):
            self.apply(order)
        if not self._save_since.isActive():  # at most once a second, and at quit
            self._save_since.start()

    def _persist_since(self) -> None:
        self.s.store.save_since(self.prefs.relay_url, self.bridge.since)

    def apply(self, order: Order) -> None:
        if order.command is Command.SHOW and order.call is not None:
            self.show_window(order.call)
        elif order.command is Command.UPDATE and order.call is not None:
            window = self.windows.get(order.call.id)
            if window is not None:
                window.set_call(order.call)
                self.stack.relayout()  # its height may have changed
                self._log_window("updated", order.call)
        elif order.command is Command.CLOSE and order.call is not None:
            window = self.windows.get(order.call.id)
            if window is not None:
                window.close()
        elif order.command is Command.JOURNAL and order.entry is not None:
            self._live_since_reload.add(order.entry.id)
            if matches_filter(order.entry, self.journal_filter):
                self.journal.upsert(order.entry, unviewed=True)
            window = self.windows.get(order.entry.call_id)
            if window is not None and order.entry.duration:
                window.set_duration(order.entry.duration)
                self.stack.relayout()
        elif order.command is Command.MISSED:
            self.set_missed(order.count, order.entry)
        elif order.command is Command.JOURNAL_CARD and order.entry is not None:
            self.open_journal_card(order.entry)
        elif order.command is Command.CONTACTS:
            self.search_contacts(self.book_page.search.text())
        elif order.command is Command.RELOAD_JOURNAL:
            self.load_journal()

    def _log_window(self, event: str, call: Call) -> None:
        self.shown_log.append((call.id, event, call.state.value))
        log.info("window %s: call %s %s %s %s", event, call.id, call.direction.value,
                 call.state.value, call.phone or call.phone_raw)

    def show_window(self, call: Call) -> None:
        last = self.journal.last_call_with(call.phone)
        last_text = ""
        if last is not None:
            last_text = self.tr("Last call: {when}, {duration}").format(
                when=when_text(last.started_at), duration=duration_text(last.duration) or "—")
        window = CallWindow(call, self.country, self.lifetimes(), bool(self.prefs.crm_template),
                            last_text)
        window.action.connect(self.on_action)
        window.closed.connect(self._window_closed)
        self.windows[call.id] = window
        self.stack.add(window)
        self._log_window("shown", call)
        if self.prefs.notifications and call.direction is Direction.IN:
            who = call.contact.name if call.contact else display(call.phone, self.country)
            self.notifier.info(self.tr("Incoming call"), who)

    def lifetimes(self) -> Lifetimes:
        base = self.s.lifetimes or Lifetimes()
        if self.s.lifetimes is None:
            base = replace(base, ended_ms=self.prefs.window_seconds * 1000)
        return base

    def _window_closed(self, call_id: str) -> None:
        window = self.windows.pop(call_id, None)
        self.planner.window_closed(call_id)
        if window is not None:
            self._log_window("closed", window.call)

    def on_status(self, status: LinkStatus) -> None:
        if self._quitting:
            return
        was = self.status.state
        self.status = status
        host = urlsplit(self.bridge.relay_url).hostname or ""
        ext = self.me.ext if self.me else self.prefs.ext
        line = status_line(status, ext, host)
        tooltip = self.tr("Trubka — ext. {ext} — {line}").format(ext=ext or "?", line=line)
        self.presence.set_status(status, line, tooltip)
        if status.state is LinkState.CONNECTED and was is not LinkState.CONNECTED:
            self.on_connected()
        if status.state is LinkState.SIGNED_OUT and was is not LinkState.SIGNED_OUT:
            self.notifier.error(self.tr("Signed out"), error_text(
                ApiError("unauthorized"), self.language))

    def on_connected(self) -> None:
        def got_me(me: Me) -> None:
            self.me = me
            self.menu.dnd_action.setVisible(me.dnd_supported)
            if self.prefs.ext and me.ext != self.prefs.ext:
                self.notifier.error(self.tr("Wrong extension"), error_text(
                    ApiError("wrong_ext", me.ext), self.language))
            self.on_status(self.status)
            if me.dnd_supported:
                asked = self._dnd_changes

                def got_dnd(on: bool) -> None:
                    if asked == self._dnd_changes:  # no toggle raced this reply
                        self._dnd_state(on)

                self.bridge.call(lambda api: api.get_dnd(), got_dnd)

        self.bridge.call(lambda api: api.me(), got_me)
        self.load_journal()
        self.search_contacts(self.book_page.search.text())

    # -- call window actions ---------------------------------------------------------------

    def on_action(self, name: str, call: Call) -> None:
        phone = call.phone or call.phone_raw
        log.info("action %s on call %s", name, call.id)
        if name == "copy":
            self.clipboard.set_text(for_clipboard(phone, self.country))
        elif name == "call":
            self.dialer.dial(call.phone_raw or phone, "app")
        elif name == "search":
            self.s.url_opener.open(expand(self.prefs.search_template, phone, self.country))
        elif name == "create":
            self.open_contact_dialog(Contact(None, "", phones=[phone]))
        elif name == "card" and call.contact is not None:
            self.open_directory("book")
            self.book_page.search.setText(call.contact.name)
        elif name == "crm":
            contact = call.contact
            if contact is not None and contact.crm_url:
                self.s.url_opener.open(contact.crm_url)
            elif self.prefs.crm_template:
                self.s.url_opener.open(expand(
                    self.prefs.crm_template, phone, self.country,
                    contact.id if contact else None, contact.name if contact else ""))

    def open_contact_dialog(self, contact: Contact) -> ContactDialog:
        dialog = ContactDialog(contact)
        dialog.save_requested.connect(
            lambda c: self.save_contact(c, lambda _c: dialog.accept(), dialog.failed))
        self._keep(dialog)
        dialog.show()
        return dialog

    def _keep(self, widget: Any) -> None:
        """Hold a non-modal dialog while it is open; Qt deletes it once finished."""
        self.dialogs.append(widget)

        def finished(_result: int = 0) -> None:
            if widget in self.dialogs:
                self.dialogs.remove(widget)
            widget.deleteLater()

        widget.finished.connect(finished)

    # -- menu ---------------------------------------------------------------------------

    def left_click(self) -> None:
        ringing = [w for w in self.windows.values() if not w.call.state.is_final]
        if ringing:
            for w in ringing:
                w.show()
                w.raise_()
        else:
            self.open_directory("journal")

    def open_directory(self, which: str) -> None:
        self.directory.show_tab(which)
        if which == "journal":
            self.journal.mark_viewed()
            for order in self.planner.missed_viewed():
                self.apply(order)

    def open_dial_box(self) -> DialBox:
        box = DialBox(self.country)
        box.dial_requested.connect(lambda n: self.dialer.dial(n, "app"))
        self._keep(box)
        box.show()
        return box

    def open_about(self) -> AboutBox:
        details = f"relay: {self.prefs.relay_url}\nlog: {log_dir()}\nprofile: {self.s.profile}"
        box = AboutBox(VERSION, details)
        self._keep(box)
        box.show()
        return box

    def set_dnd(self, on: bool) -> None:
        self._dnd_changes += 1
        self.bridge.call(lambda api: api.set_dnd(on), self._dnd_state, self._request_failed)

    def _dnd_state(self, on: bool) -> None:
        self.presence.dnd = on
        self.menu.dnd_action.blockSignals(True)
        self.menu.dnd_action.setChecked(on)
        self.menu.dnd_action.blockSignals(False)
        self.presence.refresh(None)

    def open_settings(self) -> SettingsDialog:
        dialog = SettingsDialog(self.prefs, bool(self.token()), self.s.tokens.has_keyring,
                                str(log_dir()))
        dialog.saved.connect(self.apply_settings)
        dialog.test_requested.connect(lambda p, t: self.test_connection(p, t, dialog))
        self._keep(dialog)
        dialog.show()
        return dialog

    def apply_settings(self, prefs: Preferences, token: str, file_ok: bool) -> None:
        relay_changed = prefs.relay_url != self.prefs.relay_url or prefs.ca_file != \
            self.prefs.ca_file
        self.s.store.save(prefs)
        if prefs.start_at_login != self.prefs.start_at_login:
            from trubka.desktop.integrate import set_autostart

            log.info("start at login: %s (%s)", prefs.start_at_login,
                     set_autostart(prefs.start_at_login))
        self.prefs = prefs
        if token:
            try:
                where = self.s.tokens.set(prefs.relay_url, token, file_ok)
                log.info("token stored in the %s", where)
                self.session_token = ""
            except PermissionError:
                log.info("token kept for this session only (no keyring, no file consent)")
                self.session_token = token
        self.planner.policy = prefs.policy()
        if relay_changed or token:
            self.connect_relay()

    def test_connection(self, prefs: Preferences, token: str, dialog: SettingsDialog) -> None:
        from trubka.desktop.api import RelayApi

        token = token or self.token()

        async def probe(_api: object) -> Me:
            api = RelayApi(relay_addresses(prefs.relay_url)[0], token, prefs.ca_file)
            try:
                return await api.me()
            finally:
                await api.aclose()

        def ok(me: Me) -> None:
            if prefs.ext and me.ext != prefs.ext:
                dialog.test_result(error_text(ApiError("wrong_ext", me.ext), self.language),
                                   False)
                return
            dialog.test_result(self.tr("Connected: {name}, ext. {ext}").format(
                name=me.name, ext=me.ext), True)

        def failed(error: ApiError) -> None:
            dialog.test_result(error_text(error, self.language), False)

        # Runs on the bridge's loop but with its own client: the settings are not saved yet.
        self.bridge.call_unbound(probe, ok, failed)

    # -- requests from other launches --------------------------------------------------

    def handle_request(self, request: dict[str, str]) -> None:
        cmd = request.get("cmd")
        if cmd == "dial":
            self.dialer.dial(request.get("arg", ""), "command")
        elif cmd == "url":
            self.dialer.dial(request.get("arg", ""), "url")
        else:
            self.left_click()

