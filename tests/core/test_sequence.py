"""The `since` rule (core.sequence): skip duplicates, deliver the next, fill gaps."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from trubka.core.sequence import SeqGate, Verdict


def test_verdicts() -> None:
    """Duplicates are skipped, the next seq delivered, a jump reported with what is missing."""
    gate = SeqGate(5)
    assert gate.accept(5) is Verdict.SKIP and gate.accept(3) is Verdict.SKIP
    assert gate.accept(6) is Verdict.DELIVER and gate.position == 6
    assert gate.missing(9) == range(7, 9)
    assert gate.accept(9) is Verdict.GAP and gate.position == 9
    assert SeqGate().accept(42) is Verdict.DELIVER


@given(st.lists(st.integers(min_value=1, max_value=40), max_size=80))
def test_each_seq_passed_on_once_in_order(arrivals: list[int]) -> None:
    """Whatever order and repetition frames arrive in, filling each gap as told passes
    every seq up to the highest exactly once, in increasing order."""
    gate = SeqGate(0)
    passed: list[int] = []
    for seq in arrivals:
        missing = list(gate.missing(seq))
        verdict = gate.accept(seq)
        if verdict is Verdict.GAP:
            passed.extend(missing)
        if verdict is not Verdict.SKIP:
            passed.append(seq)
    top = max(arrivals, default=0)
    assert passed == list(range(1, top + 1))


def test_position_never_rewinds_but_resets() -> None:
    """advance_to only moves forward; reset starts over (a trimmed log)."""
    gate = SeqGate(10)
    gate.advance_to(4)
    assert gate.position == 10
    gate.reset(None)
    assert gate.accept(3) is Verdict.DELIVER
