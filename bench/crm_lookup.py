"""CRM lookups: latency per connector against the loopback fake servers the tests use
(cache miss = a request to the CRM and the cache write; cache hit = the answer cache in
the database), and the 1C local index: a full load of N counterparties, then lookups in it.

    uv run --all-extras python bench/crm_lookup.py [--lookups 300] [--objects 100000]

The fakes answer at once, so a miss measures the relay's own cost plus one loopback HTTP
round trip; a real CRM adds its own latency (which `crm-timeout-ms` bounds for the PBX).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the tests' fake CRMs

from tests.fakes.crm import FakeCrm  # noqa: E402
from tests.relay.crm import test_amocrm, test_bitrix24, test_http_json, test_onec_odata  # noqa: E402

from trubka.core.numbers import normalize  # noqa: E402
from trubka.relay import admin  # noqa: E402
from trubka.relay.config import RelayConfig  # noqa: E402
from trubka.relay.crm.indexer import Indexer  # noqa: E402

# Misses are spaced by the connector's throttle (amoCRM 5/s, Bitrix24 2/s), so each one
# measures a request, not the queue behind the rate limit.
PACE = {"amocrm": 0.2, "bitrix24": 0.5, "http-json": 0.0}
MISSES = 60


def setups(url: str) -> dict[str, tuple[Callable[..., Any], dict[str, str]]]:
    return {
        "amocrm": (test_amocrm.Amo(), {"url": url, "token": test_amocrm.TOKEN}),
        "bitrix24": (test_bitrix24.Portal(), {"webhook_url": url + test_bitrix24.HOOK,
                                              "write_calls": "off"}),
        "http-json": (test_http_json.endpoint, {
            "url_template": url + "/lookup?phone={phone}&d={digits}",
            "header": "X-Api-Key: secret-key", "name_pointer": "/person/name"}),
    }


def ms(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return 1000 * ordered[min(len(ordered) - 1, int(len(ordered) * p))]


def line(what: str, values: list[float]) -> None:
    print(f"  {what:<28} p50 {ms(values, 0.5):7.2f} ms   p99 {ms(values, 0.99):7.2f} ms   "
          f"mean {1000 * statistics.fmean(values):7.2f} ms")


async def live(name: str, lookups: int, data_dir: Path) -> None:
    fake = FakeCrm(lambda r: (500, None)).start()
    handler, options = setups(fake.url)[name]
    fake.handler = handler
    try:
        async with admin.open_admin(RelayConfig(data_dir=data_dir)) as a:
            await admin.set_crm(a, name, options)
            crm = admin.crm.service(a)
            rt = await crm.registry.settings()
            numbers = [normalize(f"+7495{n:07d}") for n in range(lookups)]
            misses, hits = [], []
            for number in numbers[:MISSES]:
                await asyncio.sleep(PACE[name])
                started = time.perf_counter()
                assert (await crm.find(number, rt)).origin == "live"
                misses.append(time.perf_counter() - started)
            for number in numbers[MISSES:]:
                await crm.find(number, rt)
            for number in numbers:
                started = time.perf_counter()
                assert (await crm.find(number, rt)).origin == "cache"
                hits.append(time.perf_counter() - started)
        print(f"{name}:")
        line("cache miss (live request)", misses)
        line("cache hit", hits)
    finally:
        fake.stop()


async def onec(objects: int, lookups: int, data_dir: Path) -> None:
    base = test_onec_odata.Base(objects)
    fake = FakeCrm(base).start()
    try:
        async with admin.open_admin(RelayConfig(data_dir=data_dir)) as a:
            await admin.set_crm(a, "1c-odata", {
                "url": fake.url + test_onec_odata.ROOT.rstrip("/"), "user": "Обмен",
                "password": "пароль", "refresh_minutes": "60"})
            crm = admin.crm.service(a)
            done = await Indexer(crm).refresh(full=True)
            print(f"1c-odata: full load of {done.objects:,} objects ({done.numbers:,} numbers) "
                  f"in {done.seconds:.1f} s, {len(fake.requests)} requests")
            fake.requests.clear()
            base.changed[5] = "+7 (903) 555-44-33"
            again = await Indexer(crm).refresh()
            print(f"1c-odata: incremental refresh (1 changed) in {again.seconds:.1f} s, "
                  f"{len(fake.requests)} requests")
            rt = await crm.registry.settings()
            timings = []
            for n in range(lookups):
                number = normalize(f"+7916{(n * 7919) % objects + 1:07d}")
                started = time.perf_counter()
                assert (await crm.find(number, rt)).contact is not None
                timings.append(time.perf_counter() - started)
            line("lookup in the local index", timings)
    finally:
        fake.stop()


async def main(lookups: int, objects: int) -> None:
    for name in ("amocrm", "bitrix24", "http-json"):
        with tempfile.TemporaryDirectory() as tmp:
            await live(name, lookups, Path(tmp))
    with tempfile.TemporaryDirectory() as tmp:
        await onec(objects, lookups, Path(tmp))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lookups", type=int, default=300)
    parser.add_argument("--objects", type=int, default=100_000)
    args = parser.parse_args()
    asyncio.run(main(args.lookups, args.objects))
