"""The display policy (SPEC §5) and the decisions that follow from it, without Qt.

`WindowPlanner` is told every frame the desktop receives and answers with commands
(show / update / close a call window, pop a journal card, count a missed call). It owns
the rules users care about most (UX.md): a window appears at the configured moment,
never twice for one call, and after a reconnect only for calls that still ring; what
ended meanwhile goes to the journal and the missed count, never to a burst of popups.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from trubka.core.model import Call, CallState, Direction, JournalEntry, JournalStatus
from trubka.core.protocol import CallFrame, ContactsFrame, Frame, Hello, JournalFrame


class WindowMoment(enum.StrEnum):
    """When a call window appears, for one direction (SPEC §5)."""

    NEVER = "never"
    START = "start"  # incoming: when the call arrives; outgoing: when the call starts
    ANSWERED = "answered"  # when the handset is lifted / the other side answers
    ENDED = "ended"  # when the conversation ends


class JournalCard(enum.StrEnum):
    """Whether the post-call journal card pops up (SPEC §5, «Звонок» event)."""

    NEVER = "never"
    IN = "in"
    OUT = "out"
    BOTH = "both"


@dataclass(frozen=True, slots=True)
class DisplayPolicy:
    incoming: WindowMoment = WindowMoment.START
    outgoing: WindowMoment = WindowMoment.NEVER
    journal_card: JournalCard = JournalCard.NEVER
    notifications: bool = False

    def moment(self, direction: Direction) -> WindowMoment:
        return self.incoming if direction is Direction.IN else self.outgoing

    def wants_window(self, call: Call) -> bool:
        """Is this call, in its current state, due for a window that is not yet shown?"""
        moment = self.moment(call.direction)
        if moment is WindowMoment.START:
            return call.state in (CallState.RINGING, CallState.ANSWERED)
        if moment is WindowMoment.ANSWERED:
            return call.state is CallState.ANSWERED
        if moment is WindowMoment.ENDED:
            # The end of a conversation: a call that was never answered had none
            # (missed calls go to the journal, not to a popup after the fact).
            return call.state is CallState.ENDED and call.answered_at is not None
        return False

    def wants_journal_card(self, entry: JournalEntry) -> bool:
        if self.journal_card is JournalCard.BOTH:
            return True
        if self.journal_card is JournalCard.IN:
            return entry.direction is Direction.IN
        if self.journal_card is JournalCard.OUT:
            return entry.direction is Direction.OUT
        return False


class Command(enum.StrEnum):
    SHOW = "show"
    UPDATE = "update"
    CLOSE = "close"
    JOURNAL_CARD = "journal_card"
    MISSED = "missed"  # the missed count changed; `count` holds the new value
    JOURNAL = "journal"  # a journal entry to add or update in the journal list
    CONTACTS = "contacts"  # the address book changed
    RELOAD_JOURNAL = "reload_journal"  # the replay was incomplete: reload over REST


@dataclass(frozen=True, slots=True)
class Order:
    command: Command
    call: Call | None = None
    entry: JournalEntry | None = None
    count: int = 0
    replayed: bool = False


def is_missed(entry: JournalEntry) -> bool:
    return entry.direction is Direction.IN and entry.status is JournalStatus.MISSED


@dataclass
class WindowPlanner:
    """Turns frames into window orders; one per connection lifetime of the app."""

    policy: DisplayPolicy = field(default_factory=DisplayPolicy)
    shown: set[str] = field(default_factory=set)  # every call that ever had a window
    open: dict[str, Call] = field(default_factory=dict)  # windows on screen now
    missed: set[str] = field(default_factory=set)  # unseen missed journal entries
    journal_seen: set[str] = field(default_factory=set)
    replay_until: int = 0  # frames up to this seq are a replay of what happened offline
    in_progress: set[str] = field(default_factory=set)  # from the last hello

    def feed(self, frame: Frame) -> list[Order]:
        if isinstance(frame, Hello):
            return self._hello(frame)
        replayed = frame.seq <= self.replay_until
        if isinstance(frame, CallFrame):
            orders = self._call(frame.call, replayed)
        elif isinstance(frame, JournalFrame):
            orders = self._journal(frame.entry, replayed)
        elif isinstance(frame, ContactsFrame):
            orders = [Order(Command.CONTACTS)]
        else:  # pragma: no cover - Frame is a closed union
            orders = []
        if replayed and frame.seq >= self.replay_until:
            orders += self._replay_done()
        return orders

    def window_closed(self, call_id: str) -> None:
        """The window went away (lifetime over, Esc, ×): it never comes back."""
        self.open.pop(call_id, None)

    def missed_viewed(self) -> list[Order]:
        self.missed.clear()
        return [Order(Command.MISSED, count=0)]

    # -- frames -------------------------------------------------------------------------

    def _hello(self, hello: Hello) -> list[Order]:
        self.in_progress = {c.id for c in hello.calls}
        orders = [self._show_or_update(call) for call in hello.calls]
        out = [o for o in orders if o is not None]
        if not hello.replay_complete:
            out.append(Order(Command.RELOAD_JOURNAL))
        previous = self.replay_until
        self.replay_until = hello.seq
        if hello.seq <= previous or not hello.replay_complete or not self.open:
            # Nothing (more) to replay, or the replay cannot be trusted: close now any
            # window whose call is no longer in progress.
            out += self._replay_done()
        return out

    def _call(self, call: Call, replayed: bool) -> list[Order]:
        if replayed and call.id in self.in_progress:
            return []  # the hello carried this call's newer state already
        if replayed and call.id not in self.open:
            return []  # offline history never pops a window
        order = self._show_or_update(call)
        return [order] if order is not None else []

    def _show_or_update(self, call: Call) -> Order | None:
        if call.id in self.open:
            self.open[call.id] = call
            return Order(Command.UPDATE, call)
        if call.id in self.shown or not self.policy.wants_window(call):
            return None
        self.shown.add(call.id)
        self.open[call.id] = call
        return Order(Command.SHOW, call)

    def _journal(self, entry: JournalEntry, replayed: bool) -> list[Order]:
        orders = [Order(Command.JOURNAL, entry=entry, replayed=replayed)]
        first = entry.id not in self.journal_seen
        self.journal_seen.add(entry.id)
        if first and is_missed(entry):
            self.missed.add(entry.id)
            orders.append(Order(Command.MISSED, entry=entry, count=len(self.missed),
                                replayed=replayed))
        if first and not replayed and self.policy.wants_journal_card(entry):
            orders.append(Order(Command.JOURNAL_CARD, entry=entry))
        return orders

    def _replay_done(self) -> list[Order]:
        stale = [cid for cid, call in self.open.items()
                 if cid not in self.in_progress and not call.state.is_final]
        for cid in stale:
            self.open.pop(cid, None)
        return [Order(Command.CLOSE, closing(cid)) for cid in stale]


def closing(call_id: str) -> Call:
    """A stand-in carrying only the id, for closing a window whose call is gone."""
    return Call(call_id, "", "", Direction.IN, CallState.ENDED, "", "", "")
