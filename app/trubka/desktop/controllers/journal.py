"""The call journal: pages loaded over REST, entries arriving live, notes, the missed
count and its one notice per burst, the post-call card."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal

from trubka.core.model import Direction, JournalEntry
from trubka.core.numbers import display
from trubka.desktop.bridge import RelayBridge
from trubka.desktop.errors import failure_reporter
from trubka.desktop.models.journal import JournalModel, duration_text
from trubka.desktop.qtcompat import emit
from trubka.desktop.services import Notifier
from trubka.desktop.session import Session
from trubka.desktop.views.dialogs import DialogKeeper
from trubka.desktop.views.directory import JournalCard

log = logging.getLogger("trubka.desktop.journal")
JOURNAL_PAGE = 50


def matches_filter(entry: JournalEntry, name: str) -> bool:
    """The journal's filters (all / missed / in / out), as the relay applies them."""
    if name == "missed":
        return entry.status.value == "missed"
    if name in ("in", "out"):
        return entry.direction.value == name
    return True


class JournalController(QObject):
    """Signal `missed_changed(int)`: the number of missed calls not yet seen."""

    missed_changed = Signal(int)

    def __init__(self, session: Session, bridge: RelayBridge, model: JournalModel,
                 notifier: Notifier, dialogs: DialogKeeper,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.bridge = bridge
        self.model = model
        self.notifier = notifier
        self.dialogs = dialogs
        self.filter = "all"
        self.missed = 0
        self.page_size = JOURNAL_PAGE
        self._live_since_reload: set[str] = set()
        self._failed = failure_reporter(notifier, lambda: session.language)
        self._missed_notice = QTimer(self, singleShot=True, interval=500)
        self._missed_notice.timeout.connect(self._notify_missed)

    def load(self) -> None:
        """Reload a page over REST, keeping entries that arrive live meanwhile."""
        wanted = self.filter
        self._live_since_reload = set()

        def loaded(rows: list[JournalEntry]) -> None:
            if wanted != self.filter:
                return
            live = [e for e in self.model.rows
                    if e.id in self._live_since_reload and matches_filter(e, wanted)]
            self.model.set_rows([*rows, *live])

        size = self.page_size
        self.bridge.call(lambda api: api.journal(wanted, size), loaded, self._failed)

    def load_more(self) -> None:
        before = self.model.rows[-1].id if self.model.rows else None
        wanted, size = self.filter, self.page_size
        self.bridge.call(lambda api: api.journal(wanted, size, before), self.model.extend,
                         self._failed)

    def set_filter(self, name: str) -> None:
        self.filter = name
        self.load()

    def add_live(self, entry: JournalEntry) -> None:
        self._live_since_reload.add(entry.id)
        if matches_filter(entry, self.filter):
            self.model.upsert(entry, unviewed=True)

    def save_note(self, entry: JournalEntry, note: str) -> None:
        self.bridge.call(lambda api: api.set_note(entry.id, note), self.model.upsert,
                         self._failed)

    def set_missed(self, count: int, entry: object = None) -> None:
        self.missed = count
        emit(self.missed_changed, count)
        if count and entry is not None and self.session.prefs.notifications:
            self._missed_notice.start()  # one notice for a burst (e.g. after a reconnect)

    def _notify_missed(self) -> None:
        if self.missed:
            self.notifier.info(self.tr("Missed calls"),
                               self.tr("%n missed call(s)", "", self.missed))

    def open_card(self, entry: JournalEntry) -> JournalCard:
        who = entry.contact.name if entry.contact else display(entry.phone,
                                                               self.session.country)
        arrow = "↙" if entry.direction is Direction.IN else "↗"
        card = JournalCard(entry, f"{arrow} {who} · {duration_text(entry.duration)}")
        card.note_saved.connect(self.save_note)
        self.dialogs.keep(card)
        card.show()
        return card
