"""A relay whose webhook path is timed in four parts (`bench/fanout.py --trace`).

    python bench/relay_trace.py TRACE.json <trubka-relay arguments>

runs `trubka-relay` with three points of its webhook path timed — the gate taking and
returning each webhook request, the writer beginning each batch, each COMMIT's start and
end — and its SQLite WAL checkpoints (on aiosqlite's thread), and writes them to
TRACE.json when the relay is stopped (SIGTERM). `split()` pairs each webhook with its batch
and commit and divides its time in the relay into:

* `before`: from the gate to its batch beginning (routing, parsing, the provider's
  reading, the registry, waiting for the writer's lane);
* `statements`: the batch's BEGIN, its jobs' statements and the frames' append;
* `commit`: the COMMIT (on SQLite the fsync, with the event loop waiting for the disk);
* `after`: from the commit to the gate's return (the frames handed to the sockets'
  queues, the futures settled, the PBX's reply rendered and sent).

The hooks wrap internal functions by name, so a rename fails this script at start-up
rather than measuring nothing. Used for the "where the fan-out's p99 comes from" figures
in docs/performance.md; not a test.
"""

from __future__ import annotations

import bisect
import json
import signal
import statistics
import sys
import time
from pathlib import Path
from typing import Any

PARTS = ("before", "statements", "commit", "after")


def install(records: list[tuple[Any, ...]]) -> None:
    """Wrap the gate, the writer's batch, the store's commit report and its checkpoint to
    append to `records`: ("request", start, end), ("batch", start, jobs), ("commit", start,
    end), ("checkpoint", start, end)."""
    from trubka.relay import gate, writer
    from trubka.relay.store import db

    gate_call = gate.Gate.__call__

    async def timed_gate(self: gate.Gate, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/hooks/"):
            return await gate_call(self, scope, receive, send)
        start = time.perf_counter()
        try:
            return await gate_call(self, scope, receive, send)
        finally:
            records.append(("request", start, time.perf_counter()))

    apply = writer.EventWriter._apply

    async def timed_apply(self: writer.EventWriter, lane: Any, batch: list[Any]) -> Any:
        records.append(("batch", time.perf_counter(), len(batch)))
        return await apply(self, lane, batch)

    committed = db.Store._committed

    def timed_commit(self: db.Store, since: float) -> None:
        records.append(("commit", since, time.perf_counter()))
        committed(self, since)

    checkpoint = db.Store.checkpoint

    async def timed_checkpoint(self: db.Store) -> None:
        start = time.perf_counter()
        try:
            await checkpoint(self)
        finally:
            records.append(("checkpoint", start, time.perf_counter()))

    gate.Gate.__call__ = timed_gate  # type: ignore[method-assign]
    writer.EventWriter._apply = timed_apply  # type: ignore[method-assign]
    db.Store._committed = timed_commit  # type: ignore[method-assign]
    db.Store.checkpoint = timed_checkpoint  # type: ignore[method-assign]


def split(records: list[list[Any]], last: int | None = None) -> list[dict[str, float]]:
    """Each webhook's parts in seconds (the last `last` webhooks: a load's measured ones
    after its warm-up), paired with the first batch that began while it was in the relay
    and that batch's commit; webhooks without one (refused, no events) are left out."""
    requests = sorted((r[1], r[2]) for r in records if r[0] == "request")
    batches = sorted(r[1] for r in records if r[0] == "batch")
    commits = sorted((r[1], r[2]) for r in records if r[0] == "commit")
    commit_starts = [c[0] for c in commits]
    out = []
    for start, end in requests[-last:] if last else requests:
        b = bisect.bisect_left(batches, start)
        if b == len(batches) or batches[b] > end:
            continue
        c = bisect.bisect_left(commit_starts, batches[b])
        if c == len(commits) or commits[c][1] > end:
            continue
        began, (committing, committed) = batches[b], commits[c]
        out.append({"total": end - start, "before": began - start,
                    "statements": committing - began, "commit": committed - committing,
                    "after": end - committed})
    return out


def slow_commits(records: list[list[Any]], last: int | None = None,
                 over: float = 0.001) -> str:
    """How many commits took over `over` seconds since the last `last` webhooks began (as
    in `split`), and how many of those overlapped a WAL checkpoint."""
    requests = sorted(r[1] for r in records if r[0] == "request")
    since = requests[-last] if last and last <= len(requests) else 0.0
    commits = [(r[1], r[2]) for r in records if r[0] == "commit" and r[1] >= since]
    checkpoints = [(r[1], r[2]) for r in records if r[0] == "checkpoint" and r[2] >= since]
    slow = [c for c in commits if c[1] - c[0] > over]
    during = sum(any(s < c[1] and c[0] < e for s, e in checkpoints) for c in slow)
    longest = max((e - s for s, e in checkpoints), default=0.0)
    return (f"  commits over {over * 1000:g} ms: {len(slow)} of {len(commits)}, "
            f"{during} of them during one of {len(checkpoints)} WAL checkpoints "
            f"(the longest {longest * 1000:.1f} ms)")


def report(webhooks: list[dict[str, float]]) -> str:
    """The mean of each part (ms) for the webhooks around the median, those between the
    90th and 98th percentile of the total, and the slowest 1 %."""
    ranked = sorted(webhooks, key=lambda w: w["total"])
    n = len(ranked)
    if n < 100:
        return f"the relay's path: {n} webhooks traced, too few to split"
    bands = [("p40–60", ranked[n * 2 // 5:n * 3 // 5]),
             ("p90–98", ranked[n * 9 // 10:n * 49 // 50]),
             ("slowest 1 %", ranked[n * 99 // 100:])]
    lines = [f"the relay's path, {n} webhooks (gate → gate, ms, mean of each band):"]
    for name, band in bands:
        parts = "  ".join(f"{part} {statistics.mean(w[part] for w in band) * 1000:.3f}"
                          for part in ("total", *PARTS))
        lines.append(f"  {name:<11} {parts}")
    return "\n".join(lines)


def main() -> None:
    out = Path(sys.argv[1])
    records: list[tuple[Any, ...]] = []
    install(records)

    def stop(*_: object) -> None:
        out.write_text(json.dumps(records))
        sys.exit(0)

    # uvicorn replaces the handler while it serves and, once it has shut down, restores
    # this one and raises the signal again: the trace is written after a clean shutdown.
    signal.signal(signal.SIGTERM, stop)
    from trubka.relay.cli import main as relay

    sys.argv = ["trubka-relay", *sys.argv[2:]]
    relay()


if __name__ == "__main__":
    main()
