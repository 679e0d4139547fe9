"""The admin console in Chromium: sign in, add an employee, copy their enrolment link,
configure Prostye Zvonki, send a test call and watch it under Live (issue 11)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.conftest import Site, screenshot

RU = {"locale": "ru-RU", "permissions": ["clipboard-read", "clipboard-write"]}


@pytest.fixture
def context(chromium: Browser, site: Site) -> Iterator[BrowserContext]:
    context = chromium.new_context(base_url=site.url, **RU)  # type: ignore[arg-type]
    context.set_default_timeout(10_000)
    try:
        yield context
    finally:
        context.close()


def sign_in(page: Page, token: str, path: str = "/admin/") -> None:
    page.goto(path)
    page.get_by_label("Токен администратора").fill(token)
    page.get_by_role("button", name="Войти").click()
    expect(page.get_by_role("button", name="Выйти")).to_be_visible()
    page.wait_for_load_state("load")  # the reloaded page's scripts have run


def test_admin_adds_user_configures_pbx_and_sees_a_test_call_live(
        context: BrowserContext, site: Site) -> None:
    """The administrator's first hour, by keyboard and mouse only: sign in, set the
    public address, add Иван (ext 100) and copy his enrolment link, configure Prostye
    Zvonki, send a test call to 100 and see it ringing under Live."""
    page = context.new_page()
    sign_in(page, site.admin_token, "/admin/settings")
    page.get_by_label("public-url").fill(site.url)
    page.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_text("Сохранено")).to_be_visible()

    add_ivan_and_copy_his_link(page, site)
    configure_pz_and_send_a_test_call(page, site)
    page.goto("/admin/live")
    ringing = page.locator("#live-calls tbody tr", has_text="Иван Петров (100)")
    expect(ringing).to_contain_text("+7 999 123-45-67")
    expect(ringing).to_contain_text("звонит")
    screenshot(page, "console-live")
    page.goto("/admin/")
    expect(page.locator("#live-calls tbody tr", has_text="Иван Петров (100)")).to_be_visible()
    screenshot(page, "console-overview")


def add_ivan_and_copy_his_link(page: Page, site: Site) -> None:
    page.goto("/admin/users")
    page.get_by_label("Имя").fill("Иван Петров")
    page.get_by_label("Добавочный").fill("100")
    page.get_by_role("button", name="Добавить").click()
    expect(page.get_by_text("Токен (показан один раз):")).to_be_visible()
    assert page.locator("#new-token").input_value().startswith("trk_")
    page.reload()
    row = page.locator("tr[data-user='100']")
    row.get_by_role("button", name="Ссылка для подключения").click()
    link = row.locator("#link-100")
    expect(link).to_have_value(re.compile(re.escape(site.url) + r"/enroll#[\w-]{16,}$"))
    expect(row.locator(".qr svg")).to_be_visible()
    row.get_by_role("button", name="Скопировать").click()
    assert page.evaluate("navigator.clipboard.readText()") == link.input_value()
    screenshot(page, "console-users")


def configure_pz_and_send_a_test_call(page: Page, site: Site) -> None:
    page.goto("/admin/pbx")
    section = page.locator("#pbx-prostiezvonki")
    if section.locator("details").get_attribute("open") is None:
        section.get_by_text("Параметры").click()
    section.get_by_label("webhook_token").fill("token123")
    section.get_by_label("api_key").fill("pz-api-key")
    section.get_by_label("api_url").fill(site.pbx.url + "/crmapi/v1/makecall")
    section.get_by_role("button", name="Сохранить").click()
    expect(section.get_by_text("Сохранено")).to_be_visible()
    page.reload()
    expect(section.get_by_text("Ждём вебхук")).to_be_visible()
    expect(section.locator("#url-prostiezvonki")).to_have_value(
        site.url + "/hooks/prostiezvonki")
    section.get_by_role("button", name="Скопировать").click()
    assert page.evaluate("navigator.clipboard.readText()") == site.url + "/hooks/prostiezvonki"
    section.get_by_label("Отправить тестовый звонок на добавочный").fill("100")
    section.get_by_role("button", name="Позвонить").click()
    expect(section.get_by_text(re.compile("ответ сервера 200"))).to_be_visible()
    screenshot(page, "console-pbx")


def test_live_page_updates_without_reload(context: BrowserContext, site: Site) -> None:
    """A call that starts while Live is open appears in the table by itself (the console
    feed), and a call's end takes it away."""
    page = context.new_page()
    sign_in(page, site.admin_token, "/admin/live")
    with httpx.Client(base_url=site.url) as http:
        http.put("/api/v1/admin/providers/prostiezvonki", json={"options": {
            "webhook_token": "token123"}}, headers={"Authorization": "Bearer " +
                                                     site.admin_token})
        body = {"cmd": "event", "type": "INCOMING", "phone": "84951112233", "user": "900",
                "callid": "live-1", "crm_token": "token123"}
        assert http.post("/hooks/prostiezvonki", json=body).status_code == 200
        row = page.locator("#live-calls tbody tr", has_text="Анна Смирнова (900)")
        expect(row).to_contain_text("+7 495 111-22-33")
        end = {**body, "cmd": "history", "type": "in", "status": "missed", "duration": 3,
               "link": "", "start": "20261130T090000"}
        assert http.post("/hooks/prostiezvonki", json=end).status_code == 200
        expect(row).to_contain_text("завершён")


def test_journal_and_address_book_pages(context: BrowserContext, site: Site) -> None:
    """The journal filters by employee and offers the CSV export; the address book finds
    a contact as you type and saves an edit."""
    page = context.new_page()
    sign_in(page, site.admin_token, "/admin/book")
    page.get_by_role("button", name="Новый контакт").click()
    page.get_by_label("Имя").fill("ООО Ромашка")
    page.get_by_label("Номера").fill("8 495 000-00-07")
    page.get_by_role("button", name="Сохранить").click()
    expect(page.locator("#contact-form [data-output]")).to_have_text("Сохранено")
    page.get_by_label("Поиск").fill("0000007")
    expect(page.locator("#book-results tr")).to_have_count(1)
    expect(page.locator("#book-results")).to_contain_text("+7 495 000-00-07")
    screenshot(page, "console-book")
    page.goto("/admin/journal")
    page.get_by_label("Сотрудник").select_option("900")
    page.get_by_label("По", exact=True).fill("2026-11-30")
    page.get_by_role("button", name="Применить").click()
    expect(page).to_have_url(re.compile(r"ext=900"))
    href = page.locator("#journal-csv").get_attribute("href") or ""
    assert "ext=900" in href and "until=2026-12-01" in href  # the "to" day included
    screenshot(page, "console-journal")
