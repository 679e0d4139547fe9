"""The enrolment page `/enroll#<code>` in Chromium: its script asks whose link it is,
builds the `trubka://enroll?relay=…&code=…` button, and says so when a code is used."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, expect

from tests.browser.conftest import Site, screenshot
from tests.conftest import admin_call
from trubka.relay import admin


@pytest.fixture
def context(chromium: Browser, site: Site) -> Iterator[BrowserContext]:
    context = chromium.new_context(base_url=site.url, locale="ru-RU")
    context.set_default_timeout(10_000)
    try:
        yield context
    finally:
        context.close()


def link_for(site: Site, ext: str, name: str) -> str:
    """A new employee's enrolment link, as `users add` and `users enroll` make it."""
    async def work(a: admin.Admin) -> str:
        await admin.set_setting(a, "public-url", site.url)
        await admin.add_user(a, name, ext)
        return (await admin.enroll(a, ext)).link

    return str(admin_call(site.data_dir, work))


def test_link_shows_whose_it_is_and_the_open_button(context: BrowserContext, site: Site) -> None:
    """A fresh link names its employee and offers Открыть в Трубке with the relay and the
    code (and the web client with the same code); the code leaves the address bar."""
    link = link_for(site, "150", "Мария Иванова")
    page = context.new_page()
    page.goto(link)
    expect(page.locator("#who")).to_have_text("Ссылка для сотрудника Мария Иванова (доб. 150).")
    button = page.get_by_role("link", name="Открыть в Трубке")
    href = button.get_attribute("href") or ""
    parts = urlsplit(href)
    assert (parts.scheme, parts.netloc) == ("trubka", "enroll")
    assert parse_qs(parts.query) == {"relay": [site.url], "code": [link.split("#")[1]]}
    assert "#" not in page.url
    web = page.get_by_role("link", name="Нет Трубки на этом компьютере? Откройте веб-версию "
                                         "в браузере.")
    assert web.get_attribute("href") == "/app/#" + link.split("#")[1]
    screenshot(page, "enroll-page")


def test_used_link_says_so(context: BrowserContext, site: Site) -> None:
    """Once the app has used the code, the page says the link is used and whom to ask,
    and offers no button."""
    link = link_for(site, "151", "Пётр Сидоров")
    with httpx.Client(base_url=site.url) as http:
        assert http.post("/api/v1/enroll", json={"code": link.split("#")[1]}).status_code == 200
    page = context.new_page()
    page.goto(link)
    expect(page.locator("#problem")).to_have_text(
        "Ссылка уже использована — попросите администратора прислать новую.")
    expect(page.get_by_role("link", name="Открыть в Трубке")).to_be_hidden()
