"""Browser tests: Playwright for Python driving Debian's `chromium` package.

No browser is ever downloaded (`playwright install` is never run): the tests launch
/usr/bin/chromium, which .ci/run installs with apt. Without it they skip with the
reason; with TRUBKA_REQUIRE_SERVICES=1 (set by .ci/run) they fail instead. One browser
per module keeps them fast. With TRUBKA_SCREENSHOTS=1 they write the console's and the
web client's pictures to docs/screenshots/.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from tests.conftest import WEBHOOK_TOKEN, admin_call
from tests.fakes.pbx import FakePbx
from trubka.relay import admin
from trubka.relay.config import RelayConfig
from trubka.relay.server import RelayServer

CHROMIUM = Path(os.environ.get("TRUBKA_CHROMIUM", "/usr/bin/chromium"))
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def launch(playwright: Playwright) -> Browser:
    """Debian's chromium, headless, talking to nothing but loopback."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)


def need_chromium() -> None:
    if not CHROMIUM.is_file():
        reason = f"{CHROMIUM} not found (apt-get install chromium)"
        if os.environ.get("TRUBKA_REQUIRE_SERVICES") == "1":
            pytest.fail(reason + "; TRUBKA_REQUIRE_SERVICES=1 requires it")
        pytest.skip(reason)


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    need_chromium()
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Site:
    """A relay on loopback with Prostye Zvonki's API faked, and an administrator."""

    server: RelayServer
    data_dir: Path
    pbx: FakePbx
    admin_token: str

    @property
    def url(self) -> str:
        return self.server.url



@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    data_dir = tmp_path_factory.mktemp("browser") / "relay"
    server = RelayServer(RelayConfig(data_dir=data_dir, maintenance_interval=3600)).start()
    pbx = FakePbx().start()
    _, token = admin_call(data_dir, lambda a: admin.add_user(a, "Анна Смирнова", "900",
                                                             role="admin"))
    try:
        yield Site(server, data_dir, pbx, token)
    finally:
        pbx.stop()
        server.stop()


def screenshot(page: Page, name: str) -> None:
    """docs/screenshots/<name>.png, only when TRUBKA_SCREENSHOTS=1 (CI leaves the tree)."""
    if os.environ.get("TRUBKA_SCREENSHOTS") == "1":
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


__all__ = ["WEBHOOK_TOKEN", "Site", "screenshot"]
