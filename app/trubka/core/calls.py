"""The per-call state machine: folds provider events into a `Call` and its journal entry.

PBXs retry webhooks and do not promise order: a `history` may come before its `ACCEPTED`,
an `INCOMING` may be posted again after the call ended. The rules here make every event
idempotent and order-tolerant:

* states only move forward (ringing → answered → one of the final states); an event
  that would move a call backwards changes nothing, so an ended call never rings again;
* applying the same event twice yields "no change" the second time, so the relay
  emits no second frame and writes no second journal entry;
* the journal entry of a call is one record, keyed by the call, that later events
  refine (a `history` replaces a status the relay had only inferred).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from trubka.core.model import (
    Call,
    CallEvent,
    CallState,
    Direction,
    EventKind,
    JournalEntry,
    JournalStatus,
)


@dataclass(frozen=True, slots=True)
class JournalUpdate:
    """What an event says about the call's journal entry.

    `authoritative` updates come from the PBX's own final record (a history, an end
    event with a disposition); the others are the relay's inference from the states
    it saw, and never overwrite an authoritative status.
    """

    status: JournalStatus | None
    authoritative: bool
    duration: int | None = None
    recording_url: str | None = None
    started_at: datetime | None = None  # the PBX's own start time, where it gives one


@dataclass(frozen=True, slots=True)
class Outcome:
    call: Call | None
    call_changed: bool
    journal: JournalUpdate | None = None


NOTHING = Outcome(call=None, call_changed=False)

# Events that may open a call the relay has not seen yet; the others only refine one.
_CREATING = {
    EventKind.RINGING: CallState.RINGING,
    EventKind.ANSWERED: CallState.ANSWERED,
    EventKind.ENDED: CallState.ENDED,
    EventKind.HISTORY: CallState.ENDED,
}


def apply(
    current: Call | None, event: CallEvent,
    seed: Callable[[CallState], Call] | None = None,
) -> Outcome:
    """Apply one event; `seed(state)` builds a fresh call when none exists yet."""
    if current is None:
        state = _CREATING.get(event.kind)
        if state is None or seed is None:
            return NOTHING
        fresh = seed(state)
        call = _stamp_new(fresh, event)
        return Outcome(call, True, _journal_for(None, call, event))
    handler = _HANDLERS[event.kind]
    return handler(current, event)


def _stamp_new(call: Call, event: CallEvent) -> Call:
    at = event.received_at
    started = event.started_at
    if call.state.is_final:
        if started is None and event.duration:
            started = at - timedelta(seconds=event.duration)
        return replace(call, started_at=started or at, ended_at=at)
    if call.state is CallState.ANSWERED:
        return replace(call, started_at=started or at, answered_at=event.answered_at or at)
    return replace(call, started_at=started or at)


def _fill_missing(call: Call, event: CallEvent) -> Call:
    """Details a later event may add to a call without changing its state."""
    if not call.line and event.line:
        call = replace(call, line=event.line)
    return call


def _on_ringing(call: Call, event: CallEvent) -> Outcome:
    updated = _fill_missing(call, event)
    return Outcome(updated, updated != call)


def _on_answered(call: Call, event: CallEvent) -> Outcome:
    if call.state is not CallState.RINGING:
        updated = _fill_missing(call, event)
        return Outcome(updated, updated != call)
    updated = replace(
        _fill_missing(call, event),
        state=CallState.ANSWERED,
        answered_at=event.answered_at or event.received_at,
    )
    return Outcome(updated, True)


def _on_answered_elsewhere(call: Call, event: CallEvent) -> Outcome:
    if call.state is not CallState.RINGING:
        return Outcome(call, False)
    updated = replace(
        call,
        state=CallState.ANSWERED_ELSEWHERE,
        ended_at=event.received_at,
        answered_by=event.answered_by or "",
    )
    return Outcome(updated, True)


def _on_transferred(call: Call, event: CallEvent) -> Outcome:
    if call.state.is_final:
        return Outcome(call, False)
    updated = replace(call, state=CallState.TRANSFERRED, ended_at=event.received_at)
    journal = None
    if call.state is CallState.ANSWERED:
        journal = JournalUpdate(JournalStatus.ANSWERED, authoritative=False,
                                duration=_talk_time(updated))
    return Outcome(updated, True, journal)


def _on_ended(call: Call, event: CallEvent) -> Outcome:
    if call.state.is_final:
        # A late end event with the PBX's own verdict still refines the journal.
        journal = _journal_for(call, call, event) if event.status is not None else None
        return Outcome(call, False, journal)
    updated = replace(call, state=CallState.ENDED, ended_at=event.received_at)
    return Outcome(updated, True, _journal_for(call, updated, event))


def _on_history(call: Call, event: CallEvent) -> Outcome:
    if call.state.is_final:
        return Outcome(call, False, _journal_for(call, call, event))
    updated = replace(_fill_missing(call, event), state=CallState.ENDED,
                      ended_at=event.received_at)
    return Outcome(updated, True, _journal_for(call, updated, event))


def _on_recording(call: Call, event: CallEvent) -> Outcome:
    if not event.recording_url:
        return Outcome(call, False)
    return Outcome(call, False, JournalUpdate(None, authoritative=False,
                                              recording_url=event.recording_url))


_HANDLERS: dict[EventKind, Callable[[Call, CallEvent], Outcome]] = {
    EventKind.RINGING: _on_ringing,
    EventKind.ANSWERED: _on_answered,
    EventKind.ANSWERED_ELSEWHERE: _on_answered_elsewhere,
    EventKind.TRANSFERRED: _on_transferred,
    EventKind.ENDED: _on_ended,
    EventKind.HISTORY: _on_history,
    EventKind.RECORDING: _on_recording,
}


def _journal_for(before: Call | None, after: Call, event: CallEvent) -> JournalUpdate | None:
    """The journal update an ending event implies, or None when it implies none."""
    if event.kind not in (EventKind.ENDED, EventKind.HISTORY):
        return None
    if event.status is not None:
        return JournalUpdate(event.status, authoritative=True,
                             duration=event.duration if event.duration is not None
                             else _talk_time(after),
                             recording_url=event.recording_url or None,
                             started_at=event.started_at)
    if before is not None and before.state is CallState.ANSWERED_ELSEWHERE:
        return None  # a colleague's conversation is not this employee's call
    answered = after.answered_at is not None
    return JournalUpdate(
        JournalStatus.ANSWERED if answered else JournalStatus.MISSED,
        authoritative=False,
        duration=event.duration if event.duration is not None else _talk_time(after),
        recording_url=event.recording_url or None,
    )


def _talk_time(call: Call) -> int:
    if call.answered_at is None or call.ended_at is None:
        return 0
    return max(0, int((call.ended_at - call.answered_at).total_seconds()))


def merge_journal(
    existing: JournalEntry | None,
    existing_authoritative: bool,
    update: JournalUpdate,
    seed: Callable[[JournalStatus], JournalEntry],
) -> tuple[JournalEntry, bool, bool]:
    """Fold an update into a call's journal entry.

    Returns the entry, whether it changed, and whether its status is now authoritative.
    """
    if existing is None:
        entry = seed(update.status or JournalStatus.MISSED)
        entry = replace(entry, duration=update.duration or 0,
                        recording_url=update.recording_url or "",
                        started_at=update.started_at or entry.started_at)
        return entry, True, update.authoritative and update.status is not None
    entry = existing
    authoritative = existing_authoritative
    if update.status is not None and (update.authoritative or not existing_authoritative):
        entry = replace(entry, status=update.status)
        if update.duration is not None:
            entry = replace(entry, duration=update.duration)
        if update.started_at is not None and update.authoritative:
            entry = replace(entry, started_at=update.started_at)
        authoritative = authoritative or update.authoritative
    elif update.duration is not None and not existing.duration:
        entry = replace(entry, duration=update.duration)
    if update.recording_url and update.recording_url != entry.recording_url:
        entry = replace(entry, recording_url=update.recording_url)
    return entry, entry != existing, authoritative


def journal_started_at(call: Call) -> datetime | None:
    return call.started_at


def default_direction(event: CallEvent) -> Direction:
    return event.direction or Direction.IN
