"""The display policy and the window planner (SPEC §5, UX.md lifetime rules), no Qt."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from trubka.core.display_policy import (
    Command,
    DisplayPolicy,
    JournalCard,
    WindowMoment,
    WindowPlanner,
)
from trubka.core.model import Call, CallState, Direction, JournalEntry, JournalStatus
from trubka.core.protocol import CallFrame, Hello, JournalFrame

T = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def call(cid: str, state: CallState, direction: Direction = Direction.IN,
         answered: bool = False) -> Call:
    return Call(cid, "prostiezvonki", "p" + cid, direction, state, "+79991234567",
                "89991234567", "100", answered_at=T if answered else None)


def entry(eid: str, status: JournalStatus, direction: Direction = Direction.IN) -> JournalEntry:
    return JournalEntry(eid, "c" + eid, direction, status, "+79991234567", "89991234567")


def commands(orders: list) -> list[tuple[str, str]]:  # type: ignore[type-arg]
    return [(o.command.value, o.call.id if o.call else "") for o in orders
            if o.command in (Command.SHOW, Command.UPDATE, Command.CLOSE)]


@pytest.mark.parametrize(("moment", "state", "answered", "want"), [
    (WindowMoment.START, CallState.RINGING, False, True),
    (WindowMoment.START, CallState.ANSWERED, True, True),
    (WindowMoment.START, CallState.ENDED, False, False),
    (WindowMoment.ANSWERED, CallState.RINGING, False, False),
    (WindowMoment.ANSWERED, CallState.ANSWERED, True, True),
    (WindowMoment.ENDED, CallState.ANSWERED, True, False),
    (WindowMoment.ENDED, CallState.ENDED, True, True),
    (WindowMoment.ENDED, CallState.ENDED, False, False),
    (WindowMoment.NEVER, CallState.RINGING, False, False),
    (WindowMoment.START, CallState.ANSWERED_ELSEWHERE, False, False),
])
def test_wants_window(moment: WindowMoment, state: CallState, answered: bool,
                      want: bool) -> None:
    """Each moment of the SPEC §5 table maps to exactly the states that pop a window."""
    policy = DisplayPolicy(incoming=moment, outgoing=moment)
    for direction in Direction:
        assert policy.wants_window(call("1", state, direction, answered)) is want


def test_one_window_per_call_and_updates() -> None:
    """A call pops once, then its window is updated; after closing it never returns."""
    planner = WindowPlanner(DisplayPolicy())
    planner.feed(Hello(0, "u", "100"))
    assert commands(planner.feed(CallFrame(1, call("a", CallState.RINGING)))) == [("show", "a")]
    assert commands(planner.feed(CallFrame(2, call("a", CallState.ANSWERED, answered=True)))) \
        == [("update", "a")]
    planner.window_closed("a")
    assert commands(planner.feed(CallFrame(3, call("a", CallState.ENDED, answered=True)))) == []


def test_resume_shows_only_ringing_calls() -> None:
    """After a reconnect, only calls still in progress pop; the replay pops nothing."""
    planner = WindowPlanner(DisplayPolicy())
    planner.feed(Hello(0, "u", "100"))
    planner.feed(CallFrame(1, call("open", CallState.RINGING)))
    planner.feed(CallFrame(2, call("gone", CallState.RINGING)))
    # offline: "x" rang and was missed; "open" was answered; "gone" ended; "new" rings
    hello = Hello(9, "u", "100", [call("open", CallState.ANSWERED, answered=True),
                                  call("new", CallState.RINGING)], True)
    assert commands(planner.feed(hello)) == [("update", "open"), ("show", "new")]
    replay = [CallFrame(3, call("x", CallState.RINGING)), CallFrame(4, call("x", CallState.ENDED)),
              JournalFrame(5, entry("jx", JournalStatus.MISSED)),
              CallFrame(6, call("open", CallState.ANSWERED, answered=True)),
              CallFrame(7, call("gone", CallState.ENDED)),
              CallFrame(8, call("new", CallState.RINGING)),
              JournalFrame(9, entry("jg", JournalStatus.MISSED))]
    seen = []
    for frame in replay:
        seen += planner.feed(frame)
    assert commands(seen) == [("update", "gone")]
    assert max(o.count for o in seen if o.command is Command.MISSED) == 2
    assert not any(o.command is Command.JOURNAL_CARD for o in seen)


def test_stale_window_closed_when_replay_incomplete() -> None:
    """A window whose call vanished while away closes when the replay cannot tell more."""
    planner = WindowPlanner(DisplayPolicy())
    planner.feed(Hello(0, "u", "100"))
    planner.feed(CallFrame(1, call("a", CallState.RINGING)))
    orders = planner.feed(Hello(50, "u", "100", [], replay_complete=False))
    assert ("close", "a") in commands(orders)
    assert any(o.command is Command.RELOAD_JOURNAL for o in orders)


def test_missed_count_dedupes_and_resets() -> None:
    """A missed entry counts once, even when re-sent with a note; viewing resets it."""
    planner = WindowPlanner(DisplayPolicy())
    planner.feed(Hello(0, "u", "100"))
    planner.feed(JournalFrame(1, entry("m1", JournalStatus.MISSED)))
    planner.feed(JournalFrame(2, replace(entry("m1", JournalStatus.MISSED), note="перезвонить")))
    planner.feed(JournalFrame(3, entry("ok", JournalStatus.ANSWERED)))
    planner.feed(JournalFrame(4, entry("out", JournalStatus.MISSED, Direction.OUT)))
    assert len(planner.missed) == 1
    assert planner.missed_viewed()[0].count == 0


@pytest.mark.parametrize(("card", "direction", "want"), [
    (JournalCard.NEVER, Direction.IN, False), (JournalCard.IN, Direction.IN, True),
    (JournalCard.IN, Direction.OUT, False), (JournalCard.OUT, Direction.OUT, True),
    (JournalCard.BOTH, Direction.IN, True), (JournalCard.BOTH, Direction.OUT, True),
])
def test_journal_card(card: JournalCard, direction: Direction, want: bool) -> None:
    """The post-call card follows the third SPEC §5 setting, once per entry, live only."""
    planner = WindowPlanner(DisplayPolicy(journal_card=card))
    planner.feed(Hello(0, "u", "100"))
    orders = planner.feed(JournalFrame(1, entry("e", JournalStatus.ANSWERED, direction)))
    orders += planner.feed(JournalFrame(2, entry("e", JournalStatus.ANSWERED, direction)))
    assert sum(o.command is Command.JOURNAL_CARD for o in orders) == (1 if want else 0)
