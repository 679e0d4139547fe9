"""Where a webhook's CPU goes, by how far into the relay a request gets (issue 13).

The same open-loop load — N POSTs at R per second over keep-alive HTTP, no sockets
attached — against a fresh server process per case, each server's own CPU time (user +
system, /proc) divided by the requests:

* `asgi`: a trivial ASGI app that answers `{}` under the relay's uvicorn (httptools,
  uvloop when installed): what the HTTP server alone costs a request on this machine;
* `refused`: the relay, from an address that failed authentication too often — the
  gate's `429`, its earliest answer;
* `invalid`: the relay, a body that is not JSON — `400` from the webhook route, with the
  sighting it records;
* `webhook`: the relay, a Prostye Zvonki `INCOMING` for a new call — `200` after the
  durable commit (SQLite, synchronous=FULL), the whole ingest path.

Every reply's status is checked against the case's, so a case that measured something
else fails instead of printing. Cases alternate for `--rounds`; each round prints the CPU
per request and the ratio to that round's `asgi`.

    uv run --all-extras python bench/http_entry.py [--rate 200] [--requests 2000]
        [--rounds 3] [--cases asgi refused invalid webhook]

Loads are bounded and only ever talk to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from fanout import (
    TOKEN,
    HttpPool,
    cpu_seconds,
    free_port,
    generator_without_gc,
    open_loop,
    prepare_relay,
    start,
)

CASES = ("asgi", "refused", "invalid", "webhook")
STATUS = {"asgi": 200, "refused": 429, "invalid": 400, "webhook": 200}
WARM_UP = 200  # requests before the measured ones: imports, caches, the pool's connections

TRIVIAL = """
import sys, uvicorn

async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    while (await receive()).get("more_body"):
        pass
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", b"2")]})
    await send({"type": "http.response.body", "body": b"{}"})

uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), access_log=False)
"""


def body(case: str, n: int) -> bytes:
    if case == "invalid":
        return b"{not json"
    ext = str(1000 + n % 50)
    return json.dumps({"cmd": "event", "type": "INCOMING", "direction": "in", "user": ext,
                       "ext": ext, "phone": f"8999{n:07d}", "callid": f"entry-{n}",
                       "crm_token": TOKEN if case != "refused" else "wrong"}).encode()


async def load(pool: HttpPool, case: str, rate: int, first: int, count: int) -> None:
    """`count` POSTs at `rate`/s, open loop; every reply must have the case's status."""
    path = "/" if case == "asgi" else "/hooks/prostiezvonki"
    statuses: list[int] = []

    async def fire(n: int) -> None:
        statuses.append(await pool.post(path, body(case, first + n)))

    await open_loop(rate, count, fire)
    wrong = [s for s in statuses if s != STATUS[case]]
    if wrong:
        raise SystemExit(f"{case}: {len(wrong)} of {count} replies were not "
                         f"{STATUS[case]} (first {wrong[0]})")


async def run_case(case: str, rate: int, requests: int) -> float:
    """CPU milliseconds per request of a fresh server for `case`."""
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        if case == "asgi":
            cmd = [sys.executable, "-c", TRIVIAL, str(port)]
        else:
            await prepare_relay(Path(tmp), 50)
            cmd = [sys.executable, "-m", "trubka.relay.cli", "--data-dir", tmp, "serve",
                   "--port", str(port)]
        proc = start(cmd, "Uvicorn running on")
        pool = HttpPool(port, 16)
        try:
            if case == "refused":  # fail authentication until the gate throttles the address
                while await pool.post("/hooks/prostiezvonki", body(case, 0)) != 429:
                    pass
            await load(pool, case, rate, 0, WARM_UP)
            with generator_without_gc():
                before = cpu_seconds([proc.pid])
                await load(pool, case, rate, WARM_UP, requests)
                return (cpu_seconds([proc.pid]) - before) / requests * 1000
        finally:
            await pool.close()
            proc.terminate()
            proc.wait(15)


async def main_async(args: argparse.Namespace) -> None:
    figures: dict[str, list[float]] = {case: [] for case in args.cases}
    for round_ in range(1, args.rounds + 1):
        line = []
        for case in args.cases:
            ms = await run_case(case, args.rate, args.requests)
            figures[case].append(ms)
            line.append(f"{case} {ms:.3f}")
        print(f"round {round_}: CPU ms per request: " + ", ".join(line), flush=True)
        if "asgi" in args.cases:
            base = figures["asgi"][-1]
            print("  against asgi: " + ", ".join(
                f"{case} {figures[case][-1] / base:.1f}x" for case in args.cases
                if case != "asgi"), flush=True)
    print(f"median of {args.rounds} rounds at {args.rate}/s, {args.requests} requests each:")
    for case, values in figures.items():
        print(f"  {case:<8} {statistics.median(values):.3f} ms "
              f"({min(values):.3f}–{max(values):.3f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=int, default=200)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--cases", nargs="+", choices=CASES, default=list(CASES))
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
