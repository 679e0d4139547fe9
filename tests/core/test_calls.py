"""The per-call state machine: idempotent, order-tolerant, one journal entry per call."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from trubka.core.calls import JournalUpdate, apply, merge_journal
from trubka.core.model import (
    Call,
    CallEvent,
    CallState,
    Direction,
    EventKind,
    JournalEntry,
    JournalStatus,
)

T0 = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


def ev(kind: EventKind, at: int = 0, **kw: object) -> CallEvent:
    return CallEvent("prostiezvonki", "c1", kind, received_at=T0 + timedelta(seconds=at),
                     **kw)  # type: ignore[arg-type]


def seed(state: CallState) -> Call:
    return Call("id1", "prostiezvonki", "c1", Direction.IN, state, "+79991234567",
                "89991234567", "100")


def run(events: list[CallEvent]) -> tuple[Call | None, list[CallState], JournalEntry | None]:
    """Fold events like the relay does; return the call, emitted states, journal entry."""
    call: Call | None = None
    emitted: list[CallState] = []
    entry: JournalEntry | None = None
    authoritative = False
    for event in events:
        outcome = apply(call, event, seed)
        if outcome.call is None:
            continue
        call = outcome.call
        if outcome.call_changed:
            emitted.append(call.state)
        if outcome.journal is not None:
            entry, _, authoritative = merge_journal(
                entry, authoritative, outcome.journal,
                lambda s: JournalEntry("j1", "id1", Direction.IN, s, "", ""))
    return call, emitted, entry


ANSWERED_FLOW = [
    ev(EventKind.RINGING, 0, direction=Direction.IN),
    ev(EventKind.ANSWERED, 5),
    ev(EventKind.HISTORY, 55, status=JournalStatus.ANSWERED, duration=50,
       recording_url="https://example.invalid/r.mp3"),
]


def test_answered_call_moves_forward_and_journals_once() -> None:
    """ringing → answered → ended, and the history becomes the journal entry."""
    call, emitted, entry = run(ANSWERED_FLOW)
    assert emitted == [CallState.RINGING, CallState.ANSWERED, CallState.ENDED]
    assert call is not None and call.answered_at == T0 + timedelta(seconds=5)
    assert entry is not None
    assert (entry.status, entry.duration, entry.recording_url) == (
        JournalStatus.ANSWERED, 50, "https://example.invalid/r.mp3")


def test_retried_events_change_nothing() -> None:
    """Every event posted twice: the same frames, the same single journal entry."""
    doubled = [e for e in ANSWERED_FLOW for _ in range(2)]
    assert run(doubled)[1:] == run(ANSWERED_FLOW)[1:]


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))))
def test_any_order_ends_ended_with_the_history_status(order: tuple[int, ...]) -> None:
    """Whatever the order, the call ends ended, never rings again after the history,
    and the journal says what the PBX's history says."""
    events = [ANSWERED_FLOW[i] for i in order]
    call, emitted, entry = run(events)
    assert call is not None and call.state is CallState.ENDED
    assert emitted[-1] is CallState.ENDED
    assert emitted.count(CallState.ENDED) == 1
    history_at = order.index(2)
    assert run(events[: history_at + 1])[1] == emitted  # nothing after the history emits
    assert entry is not None and entry.status is JournalStatus.ANSWERED


def test_event_after_history_does_not_revive_the_call() -> None:
    """A late INCOMING after the history is ignored (no second popup)."""
    call, emitted, _ = run([*ANSWERED_FLOW, ev(EventKind.RINGING, 60)])
    assert call is not None and call.state is CallState.ENDED
    assert emitted == [CallState.RINGING, CallState.ANSWERED, CallState.ENDED]


def test_missed_call_inferred_then_confirmed() -> None:
    """An end without a status is journaled as missed; the history refines it."""
    _, _, entry = run([ev(EventKind.RINGING), ev(EventKind.ENDED, 20)])
    assert entry is not None and entry.status is JournalStatus.MISSED
    _, _, entry = run([ev(EventKind.RINGING), ev(EventKind.ENDED, 20),
                       ev(EventKind.HISTORY, 21, status=JournalStatus.BUSY, duration=0)])
    assert entry is not None and entry.status is JournalStatus.BUSY


def test_inferred_status_never_overrides_history() -> None:
    """A history's status stands even if an end event without status comes later."""
    _, _, entry = run([ev(EventKind.RINGING), ev(EventKind.ANSWERED, 1),
                       ev(EventKind.HISTORY, 30, status=JournalStatus.CANCELLED, duration=3),
                       ev(EventKind.ENDED, 31)])
    assert entry is not None and entry.status is JournalStatus.CANCELLED


def test_answered_elsewhere_only_from_ringing() -> None:
    """A colleague's pickup closes a ringing leg, and is not this employee's journal."""
    call, emitted, entry = run([ev(EventKind.RINGING),
                                ev(EventKind.ANSWERED_ELSEWHERE, 3, answered_by="Петров (101)"),
                                ev(EventKind.ENDED, 30)])
    assert call is not None and call.state is CallState.ANSWERED_ELSEWHERE
    assert call.answered_by == "Петров (101)"
    assert emitted == [CallState.RINGING, CallState.ANSWERED_ELSEWHERE]
    assert entry is None


def test_history_alone_creates_an_ended_call() -> None:
    """A history with no events before it (app offline, events lost) still journals."""
    call, emitted, entry = run([ev(EventKind.HISTORY, 100, status=JournalStatus.MISSED,
                                   duration=20, direction=Direction.IN)])
    assert emitted == [CallState.ENDED]
    assert call is not None and call.started_at == T0 + timedelta(seconds=80)
    assert entry is not None and entry.status is JournalStatus.MISSED


def test_recording_attaches_to_the_entry() -> None:
    """A recording that arrives after the end lands on the same entry."""
    _, _, entry = run([ev(EventKind.RINGING), ev(EventKind.ANSWERED, 1),
                       ev(EventKind.ENDED, 30, status=JournalStatus.ANSWERED, duration=29),
                       ev(EventKind.RECORDING, 70, recording_url="https://x.invalid/r")])
    assert entry is not None
    assert (entry.status, entry.recording_url) == (JournalStatus.ANSWERED, "https://x.invalid/r")


def test_transfer_of_a_conversation_journals_answered() -> None:
    """An answered call handed to a colleague is answered in this employee's journal."""
    call, _, entry = run([ev(EventKind.RINGING), ev(EventKind.ANSWERED, 1),
                          ev(EventKind.TRANSFERRED, 9)])
    assert call is not None and call.state is CallState.TRANSFERRED
    assert entry is not None and entry.status is JournalStatus.ANSWERED


def test_events_that_cannot_open_a_call_are_ignored() -> None:
    """A stray recording or transfer for an unknown call creates nothing."""
    for kind in (EventKind.RECORDING, EventKind.TRANSFERRED, EventKind.ANSWERED_ELSEWHERE):
        assert apply(None, ev(kind), seed).call is None


def test_merge_keeps_longer_duration_and_recording() -> None:
    """An inferred update fills gaps but never erases what is known."""
    base = JournalEntry("j", "c", Direction.IN, JournalStatus.ANSWERED, "", "", duration=40,
                        recording_url="https://r.invalid/1")
    entry, changed, auth = merge_journal(base, True, JournalUpdate(JournalStatus.MISSED, False,
                                                                    duration=0), lambda s: base)
    assert (entry, changed, auth) == (base, False, True)
    entry, changed, _ = merge_journal(replace(base, duration=0), False,
                                      JournalUpdate(None, False, duration=12), lambda s: base)
    assert changed and entry.duration == 12
