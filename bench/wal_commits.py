"""A durable SQLite commit's wall time by what it writes: how many pages, and into a new
write-ahead log or one whose file was grown beforehand (docs/performance.md).

The relay's SQLite settings (WAL, `synchronous=FULL`, the checkpoint off the writer: a
passive one each second from a second connection on a thread of its own), commits paced
at `--rate` for `--seconds`, each inserting one row into each of five tables with a
random indexed key (two pages a table: the table's and the index's). Two comparisons,
alternated over `--runs` rounds, each on a fresh database:

* pages: one table against five per commit (about 2 against 10 pages, a new call's
  webhook writes 10.65: bench/wal_pages.py);
* the log: a new one against one whose file was grown to `--reserve-mb` of zeros before
  SQLite opened it (the relay does not reserve it: tried and dropped,
  docs/performance.md). A passive checkpoint beside a writer that does not pause seldom
  completes, so the log is seldom begun anew and a new one grows while the load lasts.

Each commit is also told by what it did to the log — made its file longer, wrote within
it, or began it anew after a completed checkpoint (a second fsync, for the header) —
with the median wall time of each kind.

    uv run --all-extras python bench/wal_commits.py [--rate 200] [--seconds 3] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import tempfile
import threading
import time
from pathlib import Path


def fresh(directory: Path, tables: int, reserve_mb: int) -> tuple[sqlite3.Connection, Path]:
    path = directory / f"commits-{time.monotonic_ns()}.db"
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    for t in range(tables):
        db.execute(f"CREATE TABLE t{t} (id INTEGER PRIMARY KEY, k TEXT)")
        db.execute(f"CREATE INDEX i{t} ON t{t} (k)")
        db.execute("BEGIN")
        db.executemany(f"INSERT INTO t{t} (k) VALUES (?)",
                       [(os.urandom(16).hex(),) for _ in range(20_000)])
        db.execute("COMMIT")
    db.close()  # the last connection: SQLite checkpoints and deletes the log
    if reserve_mb:
        with open(f"{path}-wal", "xb") as wal:  # zeros SQLite reads as no frames at all
            for _ in range(reserve_mb):
                wal.write(bytes(1 << 20))
            wal.flush()
            os.fsync(wal.fileno())
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA synchronous=FULL")
    db.execute("PRAGMA wal_autocheckpoint=0")
    return db, path


def paced(db: sqlite3.Connection, path: Path, tables: int, rate: int, seconds: float
          ) -> list[tuple[float, str]]:
    """Each commit's wall time and what it did to the log: began it anew after a
    completed checkpoint ("anew": the header's checkpoint sequence moved, a second fsync),
    made its file longer ("grew"), or neither. The checkpoint runs as the relay's does: a
    passive one each second on a thread of its own, beside the writer (the relay's bound
    on the log, `WAL_BOUND_FRAMES`, is not reached in a few seconds at 200/s)."""
    stop = threading.Event()

    def checkpoints() -> None:
        checkpointer = sqlite3.connect(path, isolation_level=None)
        while not stop.wait(1.0):
            checkpointer.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        checkpointer.close()

    thread = threading.Thread(target=checkpoints)
    thread.start()
    db.execute("BEGIN IMMEDIATE")  # the log's file exists from the first commit on
    db.execute("INSERT INTO t0 (k) VALUES ('first')")
    db.execute("COMMIT")
    log = os.open(f"{path}-wal", os.O_RDONLY)
    took = []
    start = time.perf_counter()
    for i in range(int(rate * seconds)):
        while time.perf_counter() < start + i / rate:
            pass
        header, size = os.pread(log, 4, 12), os.fstat(log).st_size
        began = time.perf_counter()
        db.execute("BEGIN IMMEDIATE")
        for t in range(tables):
            db.execute(f"INSERT INTO t{t} (k) VALUES (?)", (os.urandom(16).hex(),))
        db.execute("COMMIT")
        ended = time.perf_counter()
        kind = ("anew" if os.pread(log, 4, 12) != header
                else "grew" if os.fstat(log).st_size > size else "neither")
        took.append((ended - began, kind))
    stop.set()
    thread.join()
    os.close(log)
    return took


def summary(took: list[tuple[float, str]]) -> str:
    every = sorted(t for t, _ in took)
    slow = sum(t > 0.001 for t in every)
    p50, p99 = every[len(every) // 2] * 1000, every[int(len(every) * 0.99)] * 1000
    kinds = ", ".join(f"{kind} {len(times)} ({sorted(times)[len(times) // 2] * 1000:.3f})"
                      for kind in ("grew", "neither", "anew")
                      if (times := [t for t, k in took if k == kind]))
    return (f"p50 {p50:.3f} ms  p99 {p99:.3f} ms  over 1 ms {slow} of {len(every)};  "
            f"by what they did to the log (p50, ms): {kinds}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rate", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--reserve-mb", type=int, default=64)
    args = parser.parse_args()
    cases = [("1 table (~2 pages), new log", 1, 0), ("5 tables (~10 pages), new log", 5, 0),
             (f"5 tables, log reserved {args.reserve_mb} MiB", 5, args.reserve_mb)]
    with tempfile.TemporaryDirectory(prefix="trubka-commits-") as tmp:
        for run in range(1, args.runs + 1):
            for label, tables, reserve in cases:
                db, path = fresh(Path(tmp), tables, reserve)
                took = paced(db, path, tables, args.rate, args.seconds)
                db.close()
                print(f"run {run}  {label:32} {summary(took)}", flush=True)
    print(f"({args.rate} commits/s for {args.seconds:g} s each, WAL, synchronous=FULL, "
          "a passive checkpoint each second on a thread beside the writer)")


if __name__ == "__main__":
    main()
