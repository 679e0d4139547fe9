"""A durable SQLite commit's wall time by what it writes: how many pages, and into a new
write-ahead log or one whose file was grown beforehand (docs/performance.md).

The relay's SQLite settings (WAL, `synchronous=FULL`, the checkpoint off the writer: a
passive one each second from a second connection), commits paced at `--rate` for
`--seconds`, each inserting one row into each of `--tables` tables with a random indexed
key (two pages a table: the table's and the index's). Two comparisons, alternated over
`--runs` rounds, each on a fresh database:

* pages: one table against five per commit (about 2 against 10 pages, a new call's
  webhook writes 10.65: bench/wal_pages.py);
* the log: a new one, growing until it holds a checkpoint interval's frames, against one
  whose file was grown to `--reserve-mb` of zeros before SQLite opened it (the
  relay does not reserve it: tried and dropped, docs/performance.md).

    uv run --all-extras python bench/wal_commits.py [--rate 200] [--seconds 3] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import tempfile
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
          ) -> list[float]:
    checkpointer = sqlite3.connect(path, isolation_level=None)
    took = []
    start = time.perf_counter()
    for i in range(int(rate * seconds)):
        while time.perf_counter() < start + i / rate:
            pass
        began = time.perf_counter()
        db.execute("BEGIN IMMEDIATE")
        for t in range(tables):
            db.execute(f"INSERT INTO t{t} (k) VALUES (?)", (os.urandom(16).hex(),))
        db.execute("COMMIT")
        took.append(time.perf_counter() - began)
        if i % rate == rate // 2:
            checkpointer.execute("PRAGMA wal_checkpoint(PASSIVE)")
    checkpointer.close()
    return took


def summary(took: list[float]) -> str:
    took = sorted(took)
    slow = sum(t > 0.001 for t in took)
    p50, p99 = took[len(took) // 2] * 1000, took[int(len(took) * 0.99)] * 1000
    return f"p50 {p50:.3f} ms  p99 {p99:.3f} ms  over 1 ms {slow} of {len(took)}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rate", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--reserve-mb", type=int, default=16)
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
          "a passive checkpoint each second)")


if __name__ == "__main__":
    main()
