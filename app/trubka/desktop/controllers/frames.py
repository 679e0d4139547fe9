"""Frames in, orders out: the WindowPlanner (core) decides; this announces each order as
a typed signal, so every controller subscribes to exactly what it handles."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from trubka.core.display_policy import Command, DisplayPolicy, Order, WindowPlanner
from trubka.core.model import Call, JournalEntry
from trubka.core.protocol import Frame
from trubka.desktop.qtcompat import emit


class FrameRouter(QObject):
    """Signals, one per planner command:

    * `show(Call)`: pop a window for this call.
    * `update(Call)`: the call changed; update its window if one is open.
    * `close(str)`: close the window of this call id.
    * `journal_entry(JournalEntry)`: a journal entry arrived live.
    * `missed(int, object)`: the missed count, and the entry that changed it (or None).
    * `journal_card(JournalEntry)`: open the post-call card.
    * `contacts_changed()`: the address book changed on the relay.
    * `reload_journal()`: the journal must be read again (e.g. after a gap).
    """

    show = Signal(Call)
    update = Signal(Call)
    close = Signal(str)
    journal_entry = Signal(JournalEntry)
    missed = Signal(int, object)
    journal_card = Signal(JournalEntry)
    contacts_changed = Signal()
    reload_journal = Signal()

    def __init__(self, planner: WindowPlanner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.planner = planner
        self.stopped = False

    def on_frame(self, frame: Frame) -> None:
        if not self.stopped:
            self._dispatch(self.planner.feed(frame))

    def missed_viewed(self) -> None:
        """The journal was opened: the missed calls count as seen."""
        self._dispatch(self.planner.missed_viewed())

    def window_closed(self, call_id: str) -> None:
        self.planner.window_closed(call_id)

    def set_policy(self, policy: DisplayPolicy) -> None:
        self.planner.policy = policy

    def _dispatch(self, orders: list[Order]) -> None:
        for order in orders:
            command, call, entry = order.command, order.call, order.entry
            if command is Command.SHOW and call is not None:
                emit(self.show, call)
            elif command is Command.UPDATE and call is not None:
                emit(self.update, call)
            elif command is Command.CLOSE and call is not None:
                emit(self.close, call.id)
            elif command is Command.JOURNAL and entry is not None:
                emit(self.journal_entry, entry)
            elif command is Command.MISSED:
                emit(self.missed, order.count, entry)
            elif command is Command.JOURNAL_CARD and entry is not None:
                emit(self.journal_card, entry)
            elif command is Command.CONTACTS:
                emit(self.contacts_changed)
            elif command is Command.RELOAD_JOURNAL:
                emit(self.reload_journal)
