"""Whether each PBX is reaching the relay: the last webhook, its outcome, the last error.

The console's first question ("is every PBX reaching the relay?") must not cost the
webhook path anything: a webhook only notes its outcome in memory here. A lifespan task
writes the notes of providers that changed to the database every few seconds (one small
row per provider, `store/hookstatus.py`), so every replica's console sees the newest
webhook whichever replica took it. The console's own test calls are not noted: they
prove the relay works, not that the PBX reaches it.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from trubka.relay.store import hookstatus
from trubka.relay.store.db import Store

FLUSH_SECONDS = 3.0
TEST_HEADER = "x-trubka-test-call"
OK = ("ok", "echo")
ERRORS = {
    "unauthorized": "wrong webhook token or signature",
    "invalid": "a request the relay cannot read (400 Invalid parameters)",
    "unconfigured": "this PBX is not configured on the relay",
    "failed": "the relay could not store it (503; the PBX retries)",
}


@dataclass
class Note:
    at: float  # seconds since the epoch, formatted when written (not per webhook)
    outcome: str
    error_at: float | None = None
    error: str = ""

    def as_dict(self) -> dict[str, object]:
        return {"last_webhook_at": _iso(self.at), "last_outcome": self.outcome,
                "last_error_at": "" if self.error_at is None else _iso(self.error_at),
                "last_error": self.error}


def _iso(at: float) -> str:
    return datetime.fromtimestamp(at, UTC).isoformat()


class WebhookStatus:
    def __init__(self) -> None:
        self._notes: dict[str, Note] = {}
        self._dirty: set[str] = set()
        # The console's test calls carry this in TEST_HEADER; nothing else knows it.
        self.test_key = secrets.token_urlsafe(16)

    def note(self, provider: str, outcome: str, test: str | None = None) -> None:
        """One webhook of `provider` ended with `outcome` (hot path: memory only)."""
        if test is not None and secrets.compare_digest(test, self.test_key):
            return
        now = time.time()
        note = self._notes.get(provider) or Note(now, outcome)
        note.at, note.outcome = now, outcome
        if outcome not in OK:
            note.error_at, note.error = now, ERRORS.get(outcome, outcome)
        self._notes[provider] = note
        self._dirty.add(provider)

    async def flush(self, store: Store) -> int:
        """Write what changed since the last flush."""
        if not self._dirty:
            return 0
        changed, self._dirty = self._dirty, set()
        rows = {name: self._notes[name].as_dict() for name in changed}
        async with store.write() as conn:
            for name, row in rows.items():
                await hookstatus.merge(conn, name, row)
        return len(rows)

    def merged(self, stored: dict[str, dict[str, object]]) -> dict[str, dict[str, object]]:
        """The stored rows (every replica's), with this process's newer notes on top."""
        out = {name: dict(row) for name, row in stored.items()}
        for name, note in self._notes.items():
            out[name] = hookstatus.newer(out.get(name, {}), note.as_dict())
        return out
