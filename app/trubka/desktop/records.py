"""The journal and the address book side of the app: loading, paging, notes, contacts.

A mixin of `TrubkaApp` (it uses the app's bridge, models and notifier). Strings use the
"TrubkaApp" translation context, as `self.tr` in the app does.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication

from trubka.core.model import Direction, JournalEntry
from trubka.core.numbers import display
from trubka.desktop.api import ApiError, Contact
from trubka.desktop.errors import error_text
from trubka.desktop.models.journal import duration_text
from trubka.desktop.views.directory import JournalCard

log = logging.getLogger("trubka.desktop.app")
JOURNAL_PAGE = 50


def matches_filter(entry: JournalEntry, name: str) -> bool:
    """The journal's filters (all / missed / in / out), as the relay applies them."""
    if name == "missed":
        return entry.status.value == "missed"
    if name in ("in", "out"):
        return entry.direction.value == name
    return True


class RecordsMixin:
    if TYPE_CHECKING:  # provided by TrubkaApp
        bridge: Any
        journal: Any
        contacts: Any
        notifier: Any
        presence: Any
        prefs: Any
        book_page: Any
        language: str
        country: str
        journal_filter: str
        missed: int
        _missed_notice: Any
        _live_since_reload: set[str]

        def _keep(self, widget: Any) -> None: ...

    def set_missed(self, count: int, entry: JournalEntry | None = None) -> None:
        self.missed = count
        self.presence.set_missed(count)
        if count and entry is not None and self.prefs.notifications:
            self._missed_notice.start()  # one notice for a burst (e.g. after a reconnect)

    def _notify_missed(self) -> None:
        if self.missed:
            self.notifier.info(
                QCoreApplication.translate("TrubkaApp", "Missed calls"),
                QCoreApplication.translate("TrubkaApp", "{n} missed calls").format(n=self.missed),
            )

    def load_journal(self) -> None:
        """Reload a page over REST, keeping entries that arrive live meanwhile."""
        wanted = self.journal_filter
        self._live_since_reload: set[str] = set()

        def loaded(rows: list[JournalEntry]) -> None:
            if wanted != self.journal_filter:
                return
            live = [
                e
                for e in self.journal.rows
                if e.id in self._live_since_reload and matches_filter(e, wanted)
            ]
            self.journal.set_rows([*rows, *live])

        self.bridge.call(
            lambda api: api.journal(wanted, JOURNAL_PAGE), loaded, self._request_failed
        )

    def load_more_journal(self) -> None:
        before = self.journal.rows[-1].id if self.journal.rows else None
        self.bridge.call(
            lambda api: api.journal(self.journal_filter, JOURNAL_PAGE, before),
            self.journal.extend,
            self._request_failed,
        )

    def set_journal_filter(self, name: str) -> None:
        self.journal_filter = name
        self.load_journal()

    def save_note(self, entry: JournalEntry, note: str) -> None:
        self.bridge.call(
            lambda api: api.set_note(entry.id, note), self.journal.upsert, self._request_failed
        )

    def open_journal_card(self, entry: JournalEntry) -> None:
        who = entry.contact.name if entry.contact else display(entry.phone, self.country)
        arrow = "↙" if entry.direction is Direction.IN else "↗"
        card = JournalCard(entry, f"{arrow} {who} · {duration_text(entry.duration)}")
        card.note_saved.connect(self.save_note)
        self._keep(card)
        card.show()

    # -- contacts ------------------------------------------------------------------------

    def search_contacts(self, query: str) -> None:
        self.bridge.call(
            lambda api: api.contacts(query, 100), self.contacts.set_rows, self._request_failed
        )

    def save_contact(
        self,
        contact: Contact,
        on_saved: Callable[[Contact], None] | None = None,
        on_failed: Callable[[str], None] | None = None,
    ) -> None:
        def saved(c: Contact) -> None:
            log.info("contact %s saved", c.id)
            self.search_contacts(self.book_page.search.text())
            if on_saved:
                on_saved(c)

        def failed(error: ApiError) -> None:
            text = error_text(error, self.language)
            if on_failed:
                on_failed(text)
            else:
                self.notifier.error(
                    QCoreApplication.translate("TrubkaApp", "Contact not saved"), text
                )

        self.bridge.call(lambda api: api.save_contact(contact), saved, failed)

    def delete_contact(self, contact_id: int) -> None:
        self.bridge.call(
            lambda api: api.delete_contact(contact_id),
            lambda _r: self.search_contacts(self.book_page.search.text()),
            self._request_failed,
        )

    def _request_failed(self, error: ApiError) -> None:
        if error.kind != "unauthorized":
            self.notifier.error(
                QCoreApplication.translate("TrubkaApp", "Trubka"), error_text(error, self.language)
            )
