"""The call model shared by the relay, the providers and the desktop app.

Plain frozen dataclasses and enums: no Qt, no web framework, no I/O. Providers turn
webhooks into `CallEvent`s; the relay folds them into `Call`s (see `calls.py`) and
`JournalEntry`s; the desktop receives both over the socket (see `protocol.py`).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import UTC, datetime

from trubka.core.contacts import Contact


class Direction(enum.StrEnum):
    IN = "in"
    OUT = "out"


class CallState(enum.StrEnum):
    RINGING = "ringing"
    ANSWERED = "answered"
    ENDED = "ended"
    ANSWERED_ELSEWHERE = "answered_elsewhere"
    TRANSFERRED = "transferred"

    @property
    def is_final(self) -> bool:
        return self in _FINAL_STATES


_FINAL_STATES = frozenset(
    {CallState.ENDED, CallState.ANSWERED_ELSEWHERE, CallState.TRANSFERRED}
)


class JournalStatus(enum.StrEnum):
    ANSWERED = "answered"
    MISSED = "missed"
    CANCELLED = "cancelled"
    BUSY = "busy"
    NOT_AVAILABLE = "not_available"
    NOT_ALLOWED = "not_allowed"
    NOT_FOUND = "not_found"
    FAILED = "failed"


class EventKind(enum.StrEnum):
    """What a provider says happened to a call, in provider-neutral words."""

    RINGING = "ringing"  # an extension's phone rings (incoming) or it dials out (outgoing)
    ANSWERED = "answered"  # the conversation started
    ANSWERED_ELSEWHERE = "answered_elsewhere"  # a colleague picked up a group call
    TRANSFERRED = "transferred"  # handed over to another employee
    ENDED = "ended"  # the call is over; `status` says how, if the provider knows
    RECORDING = "recording"  # a recording became available after the end
    HISTORY = "history"  # the provider's final record: status, duration, recording


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class CallEvent:
    """One normalised provider event about one call leg of one employee.

    `user` and `ext` identify the employee as the PBX names them (a login, an
    extension, a key); the relay maps them to a relay user. `provider_call_id`
    correlates the events of one call at the PBX. A PBX that sends no call id sets
    `same_call_within`: `provider_call_id` is then a stable key (caller and callee), and
    a sighting of it less than that many seconds after the previous one is the same
    call; the relay, which remembers sightings, picks the call's id.
    """

    provider: str
    provider_call_id: str
    kind: EventKind
    direction: Direction | None = None
    ext: str | None = None
    user: str | None = None
    phone_raw: str | None = None
    line: str | None = None
    status: JournalStatus | None = None
    duration: int | None = None
    recording_url: str | None = None
    started_at: datetime | None = None
    answered_at: datetime | None = None
    received_at: datetime = field(default_factory=utcnow)
    answered_by: str | None = None
    same_call_within: int | None = None


@dataclass(frozen=True, slots=True)
class Call:
    """One employee's view of one call, as the relay keeps it and sends it."""

    id: str
    provider: str
    provider_call_id: str
    direction: Direction
    state: CallState
    phone: str
    phone_raw: str
    ext: str
    line: str = ""
    contact: Contact | None = None
    started_at: datetime | None = None
    answered_at: datetime | None = None
    ended_at: datetime | None = None
    answered_by: str = ""


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """The record of a finished call in one employee's journal."""

    id: str
    call_id: str
    direction: Direction
    status: JournalStatus
    phone: str
    phone_raw: str
    contact: Contact | None = None
    started_at: datetime | None = None
    duration: int = 0
    recording_url: str = ""
    note: str = ""
