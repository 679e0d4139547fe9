"""`trubka-relay users import` of 1,000 employees with enrolment links (issue 8 figure).

Times the command as an administrator runs it (a new process: start-up, migrations, the
import in one transaction, one link per employee, the links file), first creating then
updating the same 1,000 employees; the baseline of the same run is `users list` on the
same store, i.e. what any command costs before it does anything.

    uv run --all-extras python bench/users_import.py [--users 1000] [--engines sqlite postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from fanout import drop_postgres, fresh_postgres


def relay(data_dir: Path, db_url: str | None, *args: str) -> float:
    cmd = [sys.executable, "-m", "trubka.relay.cli", "--data-dir", str(data_dir),
           *(["--database-url", db_url] if db_url else []), *args]
    started = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    return time.perf_counter() - started


def staff_csv(path: Path, count: int) -> None:
    rows = ["name,ext,pbx_user,email,role"]
    rows += [f"Сотрудник {i},{1000 + i},login{i},user{i}@example.ru,user" for i in range(count)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def run(engine: str, count: int, postgres: str) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        db_url = asyncio.run(fresh_postgres(postgres)) if engine == "postgres" else None
        try:
            relay(root, db_url, "settings", "set", "public-url", "https://relay.example.ru")
            staff = root / "staff.csv"
            staff_csv(staff, count)
            baseline = statistics.median(relay(root, db_url, "users", "list")
                                         for _ in range(3))
            args = ("users", "import", str(staff), "--enroll", "--links-out",
                    str(root / "l.csv"))
            created = relay(root, db_url, *args)
            updated = relay(root, db_url, *args)
            links = len((root / "l.csv").read_text(encoding="utf-8").splitlines()) - 1
            assert links == count, links
            return {"baseline": baseline, "created": created, "updated": updated}
        finally:
            if db_url:
                asyncio.run(drop_postgres(db_url))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--engines", nargs="+", default=["sqlite", "postgres"])
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    print(f"users import of {args.users} employees with --enroll --links-out (seconds)")
    print(f"{'engine':<10} {'baseline':>9} {'create':>8} {'update':>8} {'create-base':>12}")
    for engine in args.engines:
        r = run(engine, args.users, args.postgres)
        print(f"{engine:<10} {r['baseline']:>9.2f} {r['created']:>8.2f} {r['updated']:>8.2f} "
              f"{r['created'] - r['baseline']:>12.2f}")


if __name__ == "__main__":
    main()
