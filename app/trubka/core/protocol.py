"""The relay↔desktop wire format (SPEC §9.3): JSON frames on the events WebSocket.

Both ends use these functions, so a frame the relay writes is exactly what the desktop
reads. Every frame has a `type` and, except `hello`'s own, a per-user increasing `seq`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from trubka.core.contacts import Contact
from trubka.core.model import (
    Call,
    CallState,
    Direction,
    JournalEntry,
    JournalStatus,
)

HELLO = "hello"
CALL = "call"
JOURNAL = "journal"
CONTACTS = "contacts"
FRAME_TYPES = frozenset({HELLO, CALL, JOURNAL, CONTACTS})

# Close codes the relay uses on the events socket (4000–4999 are the application's).
CLOSE_UNAUTHORIZED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_TOO_SLOW = 4408


class ProtocolError(ValueError):
    """A frame that does not follow this module's format."""


def iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def parse_iso(value: object) -> datetime | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise ProtocolError(f"not a timestamp: {value!r}")
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise ProtocolError(f"not a timestamp: {value!r}") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def call_to_dict(call: Call) -> dict[str, Any]:
    return {
        "id": call.id,
        "provider": call.provider,
        "provider_call_id": call.provider_call_id,
        "direction": call.direction.value,
        "state": call.state.value,
        "phone": call.phone,
        "phone_raw": call.phone_raw,
        "ext": call.ext,
        "line": call.line,
        "contact": call.contact.to_dict() if call.contact else None,
        "started_at": iso(call.started_at),
        "answered_at": iso(call.answered_at),
        "ended_at": iso(call.ended_at),
        "answered_by": call.answered_by,
    }


def call_from_dict(data: dict[str, Any]) -> Call:
    try:
        return Call(
            id=str(data["id"]),
            provider=str(data.get("provider") or ""),
            provider_call_id=str(data.get("provider_call_id") or ""),
            direction=Direction(data["direction"]),
            state=CallState(data["state"]),
            phone=str(data.get("phone") or ""),
            phone_raw=str(data.get("phone_raw") or ""),
            ext=str(data.get("ext") or ""),
            line=str(data.get("line") or ""),
            contact=Contact.from_dict(data.get("contact")),
            started_at=parse_iso(data.get("started_at")),
            answered_at=parse_iso(data.get("answered_at")),
            ended_at=parse_iso(data.get("ended_at")),
            answered_by=str(data.get("answered_by") or ""),
        )
    except (KeyError, ValueError, TypeError) as exc:
        raise ProtocolError(f"bad call: {exc}") from exc


def journal_to_dict(entry: JournalEntry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "call_id": entry.call_id,
        "direction": entry.direction.value,
        "status": entry.status.value,
        "phone": entry.phone,
        "phone_raw": entry.phone_raw,
        "contact": entry.contact.to_dict() if entry.contact else None,
        "started_at": iso(entry.started_at),
        "duration": entry.duration,
        "recording_url": entry.recording_url,
        "note": entry.note,
    }


def journal_from_dict(data: dict[str, Any]) -> JournalEntry:
    try:
        return JournalEntry(
            id=str(data["id"]),
            call_id=str(data["call_id"]),
            direction=Direction(data["direction"]),
            status=JournalStatus(data["status"]),
            phone=str(data.get("phone") or ""),
            phone_raw=str(data.get("phone_raw") or ""),
            contact=Contact.from_dict(data.get("contact")),
            started_at=parse_iso(data.get("started_at")),
            duration=int(data.get("duration") or 0),
            recording_url=str(data.get("recording_url") or ""),
            note=str(data.get("note") or ""),
        )
    except (KeyError, ValueError, TypeError) as exc:
        raise ProtocolError(f"bad journal entry: {exc}") from exc


def call_frame(seq: int, call: Call) -> dict[str, Any]:
    return {"type": CALL, "seq": seq, "call": call_to_dict(call)}


def journal_frame(seq: int, entry: JournalEntry) -> dict[str, Any]:
    return {"type": JOURNAL, "seq": seq, "entry": journal_to_dict(entry)}


def contacts_frame(seq: int, contact_id: int | None) -> dict[str, Any]:
    """`contact_id` None means "reload the address book" (an import, a bulk change)."""
    return {"type": CONTACTS, "seq": seq, "id": contact_id}


def hello_frame(
    seq: int, user_name: str, ext: str, calls: list[Call], replay_complete: bool
) -> dict[str, Any]:
    return {
        "type": HELLO,
        "seq": seq,
        "user": {"name": user_name, "ext": ext},
        "calls": [call_to_dict(c) for c in calls],
        "replay_complete": replay_complete,
    }


@dataclass(frozen=True, slots=True)
class Hello:
    seq: int
    user_name: str
    ext: str
    calls: list[Call] = field(default_factory=list)
    replay_complete: bool = True


@dataclass(frozen=True, slots=True)
class CallFrame:
    seq: int
    call: Call


@dataclass(frozen=True, slots=True)
class JournalFrame:
    seq: int
    entry: JournalEntry


@dataclass(frozen=True, slots=True)
class ContactsFrame:
    seq: int
    contact_id: int | None


Frame = Hello | CallFrame | JournalFrame | ContactsFrame


def parse_frame(data: object) -> Frame:
    """Decode a frame the relay sent; raises ProtocolError on anything malformed."""
    if not isinstance(data, dict):
        raise ProtocolError("a frame is a JSON object")
    kind = data.get("type")
    seq = data.get("seq")
    if not isinstance(seq, int) or isinstance(seq, bool):
        raise ProtocolError("frame without an integer seq")
    if kind == HELLO:
        user = data.get("user") or {}
        calls = data.get("calls") or []
        if not isinstance(user, dict) or not isinstance(calls, list):
            raise ProtocolError("bad hello")
        return Hello(seq, str(user.get("name") or ""), str(user.get("ext") or ""),
                     [call_from_dict(c) for c in calls], bool(data.get("replay_complete")))
    if kind == CALL:
        return CallFrame(seq, call_from_dict(data.get("call") or {}))
    if kind == JOURNAL:
        return JournalFrame(seq, journal_from_dict(data.get("entry") or {}))
    if kind == CONTACTS:
        cid = data.get("id")
        return ContactsFrame(seq, int(cid) if isinstance(cid, int) else None)
    raise ProtocolError(f"unknown frame type {kind!r}")
