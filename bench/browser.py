"""The browser side of the relay (issue 11): the admin console's first load, and how long
a webhook takes to show up in a page (the console's Live table and the web client's
call card), in Debian's chromium on loopback.

* First load: a fresh browser context (empty cache) signed in as an administrator opens
  `/admin/`; bytes are the transfer sizes of the document and every script and style
  (Resource Timing), time is the navigation's `loadEventEnd`. The baseline, in the same
  run, is the same navigation to `/healthz` (one tiny JSON reply).
* Update latency: the page records, with a MutationObserver, the wall-clock time a new
  call's row or card appears; the script posts the webhook (a Prostye Zvonki ring) and
  subtracts the time it sent it. Both clocks are this machine's.

    uv run --all-extras python bench/browser.py [--loads 20] [--calls 30]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx
from playwright.sync_api import Page, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the tests' helpers
from tests.browser.conftest import launch
from tests.conftest import admin_call

from trubka.relay import admin
from trubka.relay.config import RelayConfig
from trubka.relay.server import RelayServer

TOKEN = "bench-token"
WATCH = """(selector) => {
  window.__seen = {};
  new MutationObserver(() => {
    for (const el of document.querySelectorAll(selector)) {
      const id = el.querySelector('.number').textContent;
      if (!(id in window.__seen)) window.__seen[id] = performance.timeOrigin + performance.now();
    }
  }).observe(document.body, {childList: true, subtree: true});
}"""


def first_load(page: Page, path: str = "/admin/") -> tuple[int, float]:
    page.goto(path, wait_until="load")
    return page.evaluate("""() => {
      const nav = performance.getEntriesByType('navigation')[0];
      const rest = performance.getEntriesByType('resource');
      const bytes = [nav, ...rest].reduce((sum, e) => sum + e.transferSize, 0);
      return [bytes, nav.loadEventEnd];
    }""")


def ring(http: httpx.Client, callid: str, phone: str) -> float:
    sent = time.time() * 1000
    reply = http.post("/hooks/prostiezvonki", json={
        "cmd": "event", "type": "INCOMING", "phone": phone, "user": "100", "callid": callid,
        "crm_token": TOKEN})
    assert reply.status_code == 200, reply.text
    return sent


def latencies(page: Page, http: httpx.Client, calls: int, key: str) -> list[float]:
    """Ring `calls` times; each call's webhook-to-DOM time in ms."""
    out = []
    for i in range(calls):
        phone = f"8495{i:07d}"
        callid = f"{key}-{i}-{time.time_ns()}"
        sent = ring(http, callid, phone)
        shown = f"+7 495 {i // 10000:03d}-{(i // 100) % 100:02d}-{i % 100:02d}"
        wanted = shown
        page.wait_for_function("(id) => window.__seen && id in window.__seen", arg=wanted)
        seen = page.evaluate("(id) => window.__seen[id]", wanted)
        out.append(seen - sent)
        end = {"cmd": "history", "type": "in", "phone": phone, "user": "100", "callid": callid,
               "crm_token": TOKEN, "status": "missed", "duration": 1, "link": "",
               "start": "20261130T090000"}
        http.post("/hooks/prostiezvonki", json=end)
    return out


def summary(values: list[float]) -> str:
    values = sorted(values)
    p95 = values[min(len(values) - 1, int(len(values) * 0.95))]
    return f"median {statistics.median(values):.1f}, p95 {p95:.1f}, max {values[-1]:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--loads", type=int, default=20)
    parser.add_argument("--calls", type=int, default=30)
    args = parser.parse_args()
    data = Path(tempfile.mkdtemp()) / "relay"
    server = RelayServer(RelayConfig(data_dir=data, maintenance_interval=3600)).start()
    try:
        async def setup(a: admin.Admin) -> tuple[str, str]:
            await admin.set_provider(a, "prostiezvonki", {"webhook_token": TOKEN})
            _, boss = await admin.add_user(a, "Админ", "900", role="admin")
            _, user = await admin.add_user(a, "Иван Петров", "100")
            return boss, user

        boss, user = admin_call(data, setup)
        with sync_playwright() as playwright, httpx.Client(base_url=server.url) as http:
            browser = launch(playwright)
            for path in ("/healthz", "/admin/"):  # the baseline: a bare JSON reply
                loads = []
                for _ in range(args.loads):
                    context = browser.new_context(base_url=server.url, locale="ru-RU")
                    context.request.post("/api/v1/session", data={"token": boss})
                    loads.append(first_load(context.new_page(), path))
                    context.close()
                print(f"first load of {path} (cold cache, {args.loads} runs): "
                      f"{loads[0][0]} bytes; ms {summary([ms for _, ms in loads])}")
            for path, key, token, selector in (
                    ("/admin/live", "live", boss, "#live-calls tbody tr"),
                    ("/app/", "card", user, ".call-card")):
                context = browser.new_context(base_url=server.url, locale="ru-RU")
                context.request.post("/api/v1/session", data={"token": token})
                page = context.new_page()
                page.goto(path)
                page.evaluate(WATCH, selector)
                page.wait_for_timeout(500)  # the page's socket is open
                values = latencies(page, http, args.calls, key)
                print(f"webhook → {path} DOM ({args.calls} calls), ms: {summary(values)}")
                context.close()
            browser.close()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
