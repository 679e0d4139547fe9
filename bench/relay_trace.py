"""A relay whose webhook path is timed in four parts (`bench/fanout.py --trace`).

    python bench/relay_trace.py TRACE.json [--spans MODULE:FUNCTION,...] <trubka-relay arguments>

runs `trubka-relay` with three points of its webhook path timed — the gate taking and
returning each webhook request, the writer beginning each batch, each COMMIT's start and
end — its SQLite WAL checkpoints (on aiosqlite's thread), what each commit did to the
write-ahead log (began it anew, made its file longer, neither), and its garbage collections,
and writes them to TRACE.json when the relay is stopped (SIGTERM). Each point is taken on
two clocks: the wall clock and the event loop thread's CPU time. `split()` pairs each
webhook with its batch and commit and divides its time in the relay into:

* `before`: from the gate to its batch beginning (routing, parsing, the provider's
  reading, the registry, waiting for the writer's lane);
* `statements`: the batch's BEGIN, its jobs' statements and the frames' append;
* `commit`: the COMMIT (on SQLite the fsync, with the event loop waiting for the disk);
* `after`: from the commit to the gate's return (the frames handed to the sockets'
  queues, the futures settled, the PBX's reply rendered and sent).

A part whose wall time is well above its CPU time is one in which the loop's thread was
off the CPU: asleep in the COMMIT's fsync, or waiting for a core or the GIL. `--spans`
also times each call of the functions named (`trubka.relay.store.calls:take_leg`,
`trubka.relay.writer:Outbox.flush`, …; `spans_report()`): the CPU time each step of the
path costs at the load's own rate, where the caches are as cold as the load leaves them.

The hooks wrap internal functions by name, so a rename fails this script at start-up
rather than measuring nothing. Used for the "where the fan-out's p99 comes from" figures
in docs/performance.md; not a test.
"""

from __future__ import annotations

import bisect
import gc
import importlib
import inspect
import json
import os
import signal
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

PARTS = ("before", "statements", "commit", "after")


def install(records: list[tuple[Any, ...]], spans: Sequence[str] = ()) -> None:
    """Wrap the gate, the writer's batch and flush, the store's commit report and its
    checkpoint, and follow the garbage collector, to append to `records`: ("request",
    start, end, cpu start, cpu end), ("batch", start, jobs, cpu), ("commit", start, end,
    cpu start, cpu end), ("checkpoint", start, end), ("gc", start, end, generation); and
    time each function of `spans` (`wrap_span`). Times are `perf_counter`'s, CPU times the
    calling thread's (`thread_time`: the event loop's)."""
    from trubka.relay import gate, writer
    from trubka.relay.store import db

    gate_call = gate.Gate.__call__

    async def timed_gate(self: gate.Gate, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/hooks/"):
            return await gate_call(self, scope, receive, send)
        start, cpu = time.perf_counter(), time.thread_time()
        try:
            return await gate_call(self, scope, receive, send)
        finally:
            records.append(("request", start, time.perf_counter(), cpu, time.thread_time()))

    apply = writer.EventWriter._apply

    async def timed_apply(self: writer.EventWriter, lane: Any, batch: list[Any]) -> Any:
        records.append(("batch", time.perf_counter(), len(batch), time.thread_time()))
        return await apply(self, lane, batch)

    flush = writer.Outbox.flush
    flushed: list[float] = []  # the loop's CPU time when the batch's frames were appended

    async def timed_flush(self: writer.Outbox) -> None:
        await flush(self)
        flushed.append(time.thread_time())  # the COMMIT follows at once

    committed = db.Store._committed
    log_header: dict[str, Any] = {}  # SQLite: the WAL's file and its checkpoint sequence

    def timed_commit(self: db.Store, since: float) -> None:
        records.append(("commit", since, time.perf_counter(),
                        flushed.pop() if flushed else float("nan"), time.thread_time()))
        flushed.clear()
        if self.stamp is not None:
            began, grew = wal_change(self.stamp, log_header)
            if began:
                records.append(("restart", since))
            if grew:
                records.append(("grew", since))
        committed(self, since)

    checkpoint = db.Store.checkpoint

    async def timed_checkpoint(self: db.Store) -> None:
        start = time.perf_counter()
        try:
            await checkpoint(self)
        finally:
            records.append(("checkpoint", start, time.perf_counter()))

    collecting: list[float] = []

    def timed_gc(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collecting[:] = [time.perf_counter()]
        elif collecting:
            records.append(("gc", collecting.pop(), time.perf_counter(), info["generation"]))

    gc.callbacks.append(timed_gc)
    gate.Gate.__call__ = timed_gate  # type: ignore[method-assign]
    writer.EventWriter._apply = timed_apply  # type: ignore[method-assign]
    writer.Outbox.flush = timed_flush  # type: ignore[method-assign]
    db.Store._committed = timed_commit  # type: ignore[method-assign]
    db.Store.checkpoint = timed_checkpoint  # type: ignore[method-assign]
    for target in spans:
        wrap_span(records, target)


def wal_change(stamp: Path, seen: dict[str, Any]) -> tuple[bool, bool]:
    """Whether the commit just made began the write-ahead log anew — its header's
    checkpoint sequence (bytes 12–16) moved — and whether it made the log's file longer.
    A commit that begins the log after a completed checkpoint writes the header and, with
    `synchronous=FULL`, waits for a second fsync for it; one that extends the file has its
    fsync also commit the file system's new blocks (docs/performance.md)."""
    if "fd" not in seen:
        wal = str(stamp).removesuffix("-config") + "-wal"
        try:
            seen["fd"] = os.open(wal, os.O_RDONLY | os.O_CLOEXEC)
        except OSError:
            return False, False
    header, size = os.pread(seen["fd"], 4, 12), os.fstat(seen["fd"]).st_size
    began = "header" in seen and header != seen["header"]
    grew = "size" in seen and size > seen["size"]
    seen["header"], seen["size"] = header, size
    return began, grew


def wrap_span(records: list[tuple[Any, ...]], target: str) -> None:
    """Time each call of the function `module:Qualified.name` (a coroutine function's
    until it returns): ("span", target, start, end, cpu start, cpu end). Where its
    callers look it up: a module attribute or a class's, not a name imported elsewhere."""
    module, _, qualname = target.partition(":")
    owner: Any = importlib.import_module(module)
    *path, name = qualname.split(".")
    for part in path:
        owner = getattr(owner, part)
    found = inspect.getattr_static(owner, name)
    static = isinstance(found, staticmethod)
    original = found.__func__ if static else getattr(owner, name)

    def note(start: float, cpu: float) -> None:
        records.append(("span", target, start, time.perf_counter(), cpu, time.thread_time()))

    if inspect.iscoroutinefunction(original):
        async def wrapped(*args: Any, **kwargs: Any) -> Any:
            start, cpu = time.perf_counter(), time.thread_time()
            try:
                return await original(*args, **kwargs)
            finally:
                note(start, cpu)
    else:
        def wrapped(*args: Any, **kwargs: Any) -> Any:  # type: ignore[misc]
            start, cpu = time.perf_counter(), time.thread_time()
            try:
                return original(*args, **kwargs)
            finally:
                note(start, cpu)
    setattr(owner, name, staticmethod(wrapped) if static else wrapped)


def split(records: list[list[Any]], last: int | None = None) -> list[dict[str, float]]:
    """Each webhook's parts in seconds (the last `last` webhooks: a load's measured ones
    after its warm-up), paired with the first batch that began while it was in the relay
    and that batch's commit; webhooks without one (refused, no events) are left out. Each
    part also as the event loop thread's CPU time (`cpu_before` …): where a part's wall
    time is well above its CPU time, the thread was off the CPU — waiting for the disk,
    for the GIL, or for a core."""
    requests = sorted(tuple(r[1:]) for r in records if r[0] == "request")
    batches = sorted(tuple(r[1:]) for r in records if r[0] == "batch")
    commits = sorted(tuple(r[1:]) for r in records if r[0] == "commit")
    batch_starts = [b[0] for b in batches]
    commit_starts = [c[0] for c in commits]
    out = []
    for start, end, *cpu in requests[-last:] if last else requests:
        b = bisect.bisect_left(batch_starts, start)
        if b == len(batches) or batches[b][0] > end:
            continue
        c = bisect.bisect_left(commit_starts, batches[b][0])
        if c == len(commits) or commits[c][1] > end:
            continue
        (began, jobs, *batch_cpu), (committing, committed, *commit_cpu) = batches[b], commits[c]
        parts = {"total": end - start, "before": began - start,
                 "statements": committing - began, "commit": committed - committing,
                 "after": end - committed, "jobs": jobs}
        if cpu and batch_cpu and commit_cpu:
            marks = (cpu[0], batch_cpu[0], *commit_cpu, cpu[1])
            parts.update({f"cpu_{part}": b - a for part, a, b in zip(
                PARTS, marks[:-1], marks[1:], strict=True)})
            parts["cpu_total"] = cpu[1] - cpu[0]
        out.append(parts)
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


def log_writes(records: list[list[Any]], last: int | None = None) -> str:
    """The commits since the last `last` webhooks began (as in `split`) by what they did
    to the write-ahead log — began it anew (two fsyncs: the header's, then the commit's),
    made its file longer, or neither — with the median wall time of each kind."""
    requests = sorted(r[1] for r in records if r[0] == "request")
    since = requests[-last] if last and last <= len(requests) else 0.0
    began = {r[1] for r in records if r[0] == "restart" and r[1] >= since}
    grew = {r[1] for r in records if r[0] == "grew" and r[1] >= since} - began
    commits = [(r[1], r[2] - r[1]) for r in records if r[0] == "commit" and r[1] >= since]
    kinds = {"began the log anew": [t for s, t in commits if s in began],
             "grew its file": [t for s, t in commits if s in grew],
             "neither": [t for s, t in commits if s not in began and s not in grew]}
    shown = ", ".join(
        f"{kind} {len(took)}" + (f" ({statistics.median(took) * 1000:.3f} ms)" if took else "")
        for kind, took in kinds.items())
    return f"  the {len(commits)} commits, by what they did to the WAL (median wall): {shown}"


def report(webhooks: list[dict[str, float]]) -> str:
    """The mean of each part (ms) for the webhooks around the median, those between the
    90th and 98th percentile of the total, and the slowest 1 % — wall time, and where the
    trace has it the loop thread's CPU time — with the mean jobs in their batches."""
    ranked = sorted(webhooks, key=lambda w: w["total"])
    n = len(ranked)
    if n < 100:
        return f"the relay's path: {n} webhooks traced, too few to split"
    bands = [("p40–60", ranked[n * 2 // 5:n * 3 // 5]),
             ("p90–98", ranked[n * 9 // 10:n * 49 // 50]),
             ("slowest 1 %", ranked[n * 99 // 100:])]
    lines = [f"the relay's path, {n} webhooks (gate → gate, ms, mean of each band):"]
    for name, band in bands:
        for clock, prefix in (("wall", ""), ("cpu", "cpu_")):
            if f"{prefix}total" not in band[0]:
                continue
            parts = "  ".join(
                f"{part} {statistics.mean(w[prefix + part] for w in band) * 1000:.3f}"
                for part in ("total", *PARTS))
            jobs = f"  jobs {statistics.mean(w['jobs'] for w in band):.2f}" if not prefix else ""
            lines.append(f"  {name if not prefix else '':<11} {clock:<4} {parts}{jobs}")
    return "\n".join(lines)


def spans_report(records: list[list[Any]], last: int | None = None) -> str:
    """Each `--spans` function over the last `last` webhooks: calls per webhook, the
    median call's wall and CPU time, and its CPU time per webhook (all calls summed)."""
    requests = sorted(r[1] for r in records if r[0] == "request")
    if not requests:
        return "spans: no webhooks traced"
    measured = requests[-last:] if last else requests
    calls: dict[str, list[tuple[float, float]]] = {}
    for r in records:
        if r[0] == "span" and r[2] >= measured[0]:
            calls.setdefault(r[1], []).append((r[3] - r[2], r[5] - r[4]))
    lines = [f"spans over {len(measured)} webhooks (µs): calls per webhook, the median "
             "call's wall and CPU time, CPU time per webhook"]
    for target, times in calls.items():
        lines.append(f"  {target:<58} {len(times) / len(measured):5.2f}  "
                     f"wall {statistics.median(t[0] for t in times) * 1e6:7.1f}  "
                     f"cpu {statistics.median(t[1] for t in times) * 1e6:7.1f}  "
                     f"per webhook {sum(t[1] for t in times) / len(measured) * 1e6:7.1f}")
    return "\n".join(lines)


def collections(records: list[list[Any]], last: int | None = None) -> str:
    """The garbage collections while the last `last` webhooks were served."""
    requests = sorted(r[1] for r in records if r[0] == "request")
    since = requests[-last] if last and last <= len(requests) else 0.0
    found = [r for r in records if r[0] == "gc" and r[2] >= since]
    by_generation = ", ".join(
        f"generation {g}: {sum(r[3] == g for r in found)}" for g in range(3))
    longest = max((r[2] - r[1] for r in found), default=0.0)
    return (f"  garbage collections meanwhile: {by_generation} "
            f"(the longest {longest * 1000:.1f} ms)")


def main() -> None:
    out = Path(sys.argv[1])
    relay_args = sys.argv[2:]
    spans: list[str] = []
    if relay_args[:1] == ["--spans"]:
        spans, relay_args = relay_args[1].split(","), relay_args[2:]
    records: list[tuple[Any, ...]] = []
    install(records, spans)

    def stop(*_: object) -> None:
        out.write_text(json.dumps(records))
        sys.exit(0)

    # uvicorn replaces the handler while it serves and, once it has shut down, restores
    # this one and raises the signal again: the trace is written after a clean shutdown.
    signal.signal(signal.SIGTERM, stop)
    from trubka.relay.cli import main as relay

    sys.argv = ["trubka-relay", *relay_args]
    relay()


if __name__ == "__main__":
    main()
