"""The `since` rule of the events socket (SPEC §9.3), written once for both ends.

Every frame of a user carries a seq that grows by one per frame. Whoever forwards or
receives frames — the relay's socket route, the Redis hub's reader, the desktop's
bridge — keeps the highest seq it has passed on and judges each new one:

* at or below it: a duplicate (a frame that arrived both live and in the replay) → skip;
* exactly one above: the next frame → deliver;
* further above: frames in between are missing (they reached the hub late, or another
  replica published them) → fill the gap first, then deliver.

The position only moves forward, so a late duplicate can never rewind it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Verdict(enum.Enum):
    DELIVER = "deliver"
    SKIP = "skip"
    GAP = "gap"


@dataclass(slots=True)
class SeqGate:
    """The highest seq passed on (`position`, None before the first)."""

    position: int | None = None

    def judge(self, seq: int) -> Verdict:
        """What to do with `seq`, without moving the position."""
        if self.position is None or seq == self.position + 1:
            return Verdict.DELIVER
        if seq <= self.position:
            return Verdict.SKIP
        return Verdict.GAP

    def accept(self, seq: int) -> Verdict:
        """Judge `seq` and, unless it is a duplicate, move the position to it (the
        caller delivers it — after filling the gap, for Verdict.GAP)."""
        verdict = self.judge(seq)
        if verdict is not Verdict.SKIP:
            self.position = seq
        return verdict

    def missing(self, seq: int) -> range:
        """The seqs between the position and `seq` (empty unless `seq` is a GAP)."""
        if self.position is None or seq <= self.position + 1:
            return range(0)
        return range(self.position + 1, seq)

    def advance_to(self, seq: int) -> None:
        """Move forward to `seq` (frames up to it were passed on another way, e.g. a
        replay); never backwards."""
        if self.position is None or seq > self.position:
            self.position = seq

    def reset(self, seq: int | None) -> None:
        """Start over at `seq` (the relay said its log was trimmed: replay incomplete)."""
        self.position = seq
