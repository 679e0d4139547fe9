"""The long fuzz run (issue 10, "keep it found"): the strategies of tests/fuzzing.py
(hostile encodings, sizes, depths, number ranges, random bytes), half with valid
credentials and half without, posted to every provider's webhook of a real
`trubka-relay serve` on 127.0.0.1, and random bodies and queries to every REST route.

    uv run --all-extras python bench/fuzz.py [--bodies 100000] [--providers NAME ...]
        [--rest 20000] [--json bench/out/fuzz.json]

Reports, per target, how many requests were sent, the replies by status, and every
5xx (with the request that caused it). Loads are bounded (the given counts) and only
ever talk to 127.0.0.1. Generation runs here while a thread pool sends, so the relay's
process and this one share the machine's two cores.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from threading import BoundedSemaphore, local
from typing import Any

import httpx
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests import fuzzing
from tests.conftest import CliRelay, add_user, run_cli
from tests.fakes.pbx import FakePbx
from tests.relay.test_fuzz import ROUTES, bodies, queries

_clients = local()


def client(base: str, token: str | None = None) -> httpx.Client:
    key = f"c{token}"
    if not hasattr(_clients, key):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        setattr(_clients, key, httpx.Client(base_url=base, timeout=30, headers=headers))
    return getattr(_clients, key)  # type: ignore[no-any-return]


class Tally:
    def __init__(self) -> None:
        self.statuses: Counter[int] = Counter()
        self.errors: list[dict[str, Any]] = []
        self.sent = 0

    def record(self, status: int, what: Any) -> None:
        self.sent += 1
        self.statuses[status] += 1
        if status >= 500 and not (what.get("soap_fault")):
            self.errors.append(what)


def drive(strategy: st.SearchStrategy[Any], count: int, send: Any, workers: int = 8) -> None:
    """Generate `count` examples of `strategy` and hand each to `send` on a pool."""
    slots = BoundedSemaphore(workers * 4)
    pool = ThreadPoolExecutor(workers)
    pending: list[Future[None]] = []

    @settings(max_examples=count, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def generate(example: Any) -> None:
        slots.acquire()
        future = pool.submit(send, example)
        future.add_done_callback(lambda _: slots.release())
        pending.append(future)

    generate()
    for future in pending:
        future.result()
    pool.shutdown()


def webhook_sender(base: str, name: str, tally: Tally) -> Any:
    def send(hook: fuzzing.Hook) -> None:
        try:
            reply = client(base).request(hook.method, hook.path, content=hook.body,
                                         headers=hook.headers)
        except httpx.HTTPError as exc:
            tally.record(599, {"path": hook.path, "error": repr(exc)})
            return
        fault = name == "mobilon" and reply.status_code == 500 and b"Fault" in reply.content
        tally.record(reply.status_code, {"path": hook.path, "body": hook.body[:300].decode(
            "utf-8", "replace"), "reply": reply.text[:300], "soap_fault": fault})
    return send


def rest_sender(base: str, token: str, tally: Tally) -> Any:
    from urllib.parse import urlencode

    def send(example: tuple[tuple[str, str], bytes, dict[str, str]]) -> None:
        (method, path), body, query = example
        try:
            reply = client(base, token).request(
                method, path, params=urlencode(query, errors="surrogatepass"),
                content=None if method == "GET" else body,
                headers={"Content-Type": "application/json"})
        except httpx.HTTPError as exc:
            tally.record(599, {"path": path, "error": repr(exc)})
            return
        tally.record(reply.status_code, {"path": path, "body": body[:300].decode(
            "utf-8", "replace"), "reply": reply.text[:300]})
    return send


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bodies", type=int, default=100_000, help="per provider")
    parser.add_argument("--rest", type=int, default=20_000, help="REST requests")
    parser.add_argument("--providers", nargs="*", default=list(fuzzing.PROVIDERS))
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    results: dict[str, Any] = {}
    fake = FakePbx().start()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "relay"
        fuzzing.prepare(lambda *a: run_cli(data, *a), lambda n, e: add_user(data, n, e), fake,
                        throttle=False)
        token = add_user(data, "Петров", "101")
        relay = CliRelay(data).start()
        try:
            for name in args.providers:
                tally = Tally()
                started = time.monotonic()
                for authentic in (True, False):
                    drive(fuzzing.bodies(name, authentic), args.bodies // 2,
                          webhook_sender(relay.url, name, tally))
                results[name] = report(name, tally, time.monotonic() - started)
            if args.rest:
                tally = Tally()
                started = time.monotonic()
                drive(st.tuples(st.sampled_from(ROUTES), bodies, queries), args.rest,
                      rest_sender(relay.url, token, tally))
                results["rest-api"] = report("rest-api", tally, time.monotonic() - started)
            results["relay_alive"] = relay.proc is not None and relay.proc.poll() is None
        finally:
            relay.stop()
            fake.stop()
    print(json.dumps({k: v for k, v in results.items() if k != "errors"}, indent=1))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=1, ensure_ascii=False))
    return 1 if any(isinstance(r, dict) and r["5xx"] for r in results.values()) else 0


def report(name: str, tally: Tally, seconds: float) -> dict[str, Any]:
    out = {"sent": tally.sent, "seconds": round(seconds, 1),
           "statuses": dict(sorted(tally.statuses.items())), "5xx": len(tally.errors),
           "first_5xx": tally.errors[:5]}
    print(f"{name}: {tally.sent} requests in {seconds:.0f} s, {dict(tally.statuses)}, "
          f"5xx: {len(tally.errors)}", flush=True)
    return out


if __name__ == "__main__":
    raise SystemExit(main())
