"""Call windows: one per call the planner shows, updated and closed as the call goes, and
what their buttons do (`CallAction`)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QObject, Signal

from trubka.core.contacts import Contact
from trubka.core.model import Call, Direction, JournalEntry
from trubka.core.numbers import display, for_clipboard, try_normalize
from trubka.core.templates import expand
from trubka.desktop.dialer import Dialer
from trubka.desktop.models.journal import duration_text, when_text
from trubka.desktop.qtcompat import emit
from trubka.desktop.services import Clipboard, Notifier, Opener
from trubka.desktop.session import Session
from trubka.desktop.views.call_window import CallAction, CallWindow, Lifetimes
from trubka.desktop.views.stack import CallWindowStack

log = logging.getLogger("trubka.desktop.calls")


class CallWindows(QObject):
    """Signals:

    * `window_closed(str)`: a call's window went away (the planner never reopens it).
    * `create_contact(Contact)`: "Create contact" — a new contact with the number in it.
    * `show_contact(str)`: "Card" — show the address book on this contact's name.
    """

    window_closed = Signal(str)
    create_contact = Signal(Contact)
    show_contact = Signal(str)

    def __init__(self, session: Session, notifier: Notifier, clipboard: Clipboard,
                 opener: Opener, dialer: Dialer,
                 last_call: Callable[[str], JournalEntry | None],
                 lifetimes: Lifetimes | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.notifier = notifier
        self.clipboard = clipboard
        self.opener = opener
        self.dialer = dialer
        self.last_call = last_call
        self.fixed_lifetimes = lifetimes  # tests; otherwise from the settings
        self.windows: dict[str, CallWindow] = {}
        self.shown_log: list[tuple[str, str, str]] = []  # (call id, event, state)
        self.stack = CallWindowStack()

    def lifetimes(self) -> Lifetimes:
        if self.fixed_lifetimes is not None:
            return self.fixed_lifetimes
        return replace(Lifetimes(), ended_ms=self.session.prefs.window_seconds * 1000)

    # -- the planner's orders -------------------------------------------------------------

    def show(self, call: Call) -> None:
        last = self.last_call(call.phone)
        last_text = ""
        if last is not None:
            last_text = self.tr("Last call: {when}, {duration}").format(
                when=when_text(last.started_at), duration=duration_text(last.duration) or "—")
        prefs = self.session.prefs
        window = CallWindow(call, self.session.country, self.lifetimes(),
                            bool(prefs.crm_template), last_text)
        window.action.connect(self.on_action)
        window.closed.connect(self._closed)
        self.windows[call.id] = window
        self.stack.add(window)
        self._log("shown", call)
        if prefs.notifications and call.direction is Direction.IN:
            who = call.contact.name if call.contact else display(call.phone,
                                                                 self.session.country)
            self.notifier.info(self.tr("Incoming call"), who)

    def update(self, call: Call) -> None:
        window = self.windows.get(call.id)
        if window is not None:
            window.set_call(call)
            self.stack.relayout()  # its height may have changed
            self._log("updated", call)

    def close(self, call_id: str) -> None:
        window = self.windows.get(call_id)
        if window is not None:
            window.close()

    def journal_entry(self, entry: JournalEntry) -> None:
        """The PBX's duration for a call whose window is still open."""
        window = self.windows.get(entry.call_id)
        if window is not None and entry.duration:
            window.set_duration(entry.duration)
            self.stack.relayout()

    def ringing(self) -> list[CallWindow]:
        return [w for w in self.windows.values() if not w.call.state.is_final]

    def close_all(self) -> None:
        self.stack.close_all()

    def _closed(self, call_id: str) -> None:
        window = self.windows.pop(call_id, None)
        emit(self.window_closed, call_id)
        if window is not None:
            self._log("closed", window.call)

    def _log(self, event: str, call: Call) -> None:
        self.shown_log.append((call.id, event, call.state.value))
        log.info("window %s: call %s %s %s %s", event, call.id, call.direction.value,
                 call.state.value, call.phone or call.phone_raw)

    # -- the buttons ----------------------------------------------------------------------

    def on_action(self, action: CallAction, call: Call) -> None:
        phone = call.phone or call.phone_raw
        country, prefs, contact = self.session.country, self.session.prefs, call.contact
        log.info("action %s on call %s", action.value, call.id)
        if action is CallAction.COPY:
            self.clipboard.set_text(for_clipboard(phone, country))
        elif action is CallAction.CALL:
            self.dialer.dial(call.phone_raw or phone, "app")
        elif action is CallAction.SEARCH:
            self.opener.open(expand(prefs.search_template, phone, country))
        elif action is CallAction.CREATE:
            number = try_normalize(phone, country)
            emit(self.create_contact, Contact(None, "", phones=(number,) if number else ()))
        elif action is CallAction.CARD and contact is not None:
            emit(self.show_contact, contact.name)
        elif action is CallAction.CRM:
            if contact is not None and contact.crm_url:
                self.opener.open(contact.crm_url)
            elif prefs.crm_template:
                self.opener.open(expand(prefs.crm_template, phone, country,
                                        contact.id if contact else None,
                                        contact.name if contact else ""))
