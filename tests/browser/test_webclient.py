"""The web client in Chromium (issue 11): sign in with an enrolment link, the call card
and a notification for a ringing call, click-to-call reaching the PBX, resuming with
`since` after the relay restarts, blocked notifications said plainly, signing out."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.conftest import Site, screenshot
from tests.conftest import WEBHOOK_TOKEN, admin_call
from trubka.relay import admin
from trubka.relay.config import RelayConfig
from trubka.relay.server import RelayServer

# Observes the page's real notifications (the constructor still runs): what they said,
# and the last one, whose click the test performs as a user would.
SPY = """
window.__notes = [];
const RealNotification = window.Notification;
window.Notification = class extends RealNotification {
  constructor(title, options) {
    super(title, options);
    window.__notes.push({title, body: (options || {}).body});
    window.__lastNote = this;
  }
};
"""


def admin_api(site: Site, method: str, path: str, body: object = None) -> httpx.Response:
    with httpx.Client(base_url=site.url, headers={
            "Authorization": "Bearer " + site.admin_token}) as http:
        return http.request(method, path, json=body)


@pytest.fixture(scope="module")
def employee(site: Site) -> str:
    """Иван Петров (ext 100) and Prostye Zvonki against the fake PBX; his enrolment link."""
    assert admin_api(site, "PUT", "/api/v1/admin/settings",
                     {"values": {"public-url": site.url}}).status_code == 200
    assert admin_api(site, "PUT", "/api/v1/admin/providers/prostiezvonki", {"options": {
        "webhook_token": WEBHOOK_TOKEN, "api_key": "pz-api-key",
        "api_url": site.pbx.url + "/crmapi/v1/makecall"}}).status_code == 200
    if admin_api(site, "GET", "/api/v1/admin/users/100").status_code == 404:
        admin_api(site, "POST", "/api/v1/admin/users", {"name": "Иван Петров", "ext": "100"})
    return str(admin_api(site, "POST", "/api/v1/admin/users/100/enroll", {}).json()["link"])


@pytest.fixture
def context(chromium: Browser, site: Site) -> Iterator[BrowserContext]:
    context = chromium.new_context(base_url=site.url, locale="ru-RU", permissions=[
        "notifications", "clipboard-read", "clipboard-write"])
    context.set_default_timeout(10_000)
    context.add_init_script(SPY)
    try:
        yield context
    finally:
        context.close()


def signed_in(context: BrowserContext, link: str) -> Page:
    page = context.new_page()
    page.goto("/app/")
    page.get_by_label("Ссылка для подключения или токен").fill(link)
    page.get_by_role("button", name="Войти").click()
    expect(page.locator("#status")).to_have_text("Подключено: доб. 100")
    return page


def ring(site: Site, callid: str, phone: str = "89991234567") -> None:
    with httpx.Client(base_url=site.url) as http:
        reply = http.post("/hooks/prostiezvonki", json={
            "cmd": "event", "type": "INCOMING", "phone": phone, "user": "100",
            "callid": callid, "crm_token": WEBHOOK_TOKEN, "diversion": "74950000000"})
        assert reply.status_code == 200, reply.text


def test_call_card_notification_and_click_to_call(
        context: BrowserContext, site: Site, employee: str) -> None:
    """Signed in with the enrolment link, the employee gets a card with the desktop's
    words and a notification for a ringing call; the tab's title says who calls;
    clicking the notification focuses the card; Позвонить reaches the PBX, as does the
    dial box."""
    page = signed_in(context, employee)
    assert "#" not in page.url  # the code left the address bar
    ring(site, "web-1")
    card = page.locator(".call-card").first
    expect(card.locator(".state")).to_have_text("↙ Входящий звонок")
    expect(card.locator(".number")).to_have_text("+7 999 123-45-67")
    expect(card.locator(".who")).to_have_text("Неизвестный номер")
    expect(card.locator(".line")).to_have_text("на +7 495 000-00-00")
    expect(page).to_have_title("● Входящий: +7 999 123-45-67")
    page.wait_for_function("window.__notes.length === 1")
    assert page.evaluate("window.__notes[0]") == {
        "title": "Входящий звонок: Неизвестный номер", "body": "+7 999 123-45-67"}
    page.evaluate("window.__lastNote.dispatchEvent(new Event('click'))")
    expect(card).to_be_focused()
    expect(page.locator("#notify")).to_be_hidden()
    screenshot(page, "webclient-call")
    site.pbx.requests.clear()
    card.get_by_role("button", name="Позвонить").click()
    expect(page.locator("#dial-result")).to_contain_text("Ваш телефон зазвонит первым")
    made = [r for r in site.pbx.requests if r.path == "/crmapi/v1/makecall"]
    assert [(r.json(), r.headers["x-api-key"]) for r in made] == [
        ({"user": "100", "phone": "89991234567"}, "pz-api-key")]
    page.get_by_label("Номер", exact=True).fill("8 495 000-00-01")
    page.get_by_role("button", name="Позвонить").last.click()
    expect(page.locator("#dial-result")).to_contain_text("+7 495 000-00-01")
    assert site.pbx.requests[-1].json() == {"user": "100", "phone": "84950000001"}
    card.get_by_role("button", name="Создать контакт").click()
    expect(page.get_by_label("Номера", exact=True)).to_have_value("+79991234567")


def test_resumes_with_since_after_the_relay_restarts(
        context: BrowserContext, site: Site, employee: str,
        caplog: pytest.LogCaptureFixture) -> None:
    """When the relay goes away and comes back on the same address, the page reconnects
    with a new ticket and `since`, and a call made meanwhile shows up."""
    caplog.set_level(logging.INFO, logger="trubka.relay.events")
    page = signed_in(context, user_token(site))
    host, port = site.server.host, site.server.port
    site.server.stop()
    expect(page.locator("#status")).to_have_text(re.compile("переподключаемся"))
    site.server = RelayServer(RelayConfig(data_dir=site.data_dir, maintenance_interval=3600),
                              host, port).start()
    ring(site, "web-2", "84957770000")
    expect(page.locator(".call-card .number").first).to_have_text("+7 495 777-00-00")
    resumed = [r.getMessage() for r in caplog.records if "connected (since=" in r.getMessage()]
    assert any(re.search(r"since=\d+\)", m) for m in resumed), resumed


def user_token(site: Site) -> str:
    """A new device token of ext 100 (as `users token` issues)."""
    _, token = admin_call(site.data_dir, lambda a: admin.issue_token(a, "100"))
    return token


def test_blocked_notifications_are_said_plainly(chromium: Browser, site: Site,
                                                employee: str) -> None:
    """Where notifications are blocked the page says so at the top, with how to allow
    them; where not yet asked, it offers a button."""
    for permission, visible in (("denied", "Уведомления заблокированы"),
                                ("default", "Включить уведомления о звонках")):
        context = chromium.new_context(base_url=site.url, locale="ru-RU")
        try:
            context.add_init_script(
                f"Object.defineProperty(Notification, 'permission', {{get: () => "
                f"'{permission}'}});")
            page = signed_in(context, user_token(site))
            expect(page.get_by_text(visible)).to_be_visible()
            expect(page.get_by_text("Держите эту вкладку открытой")).to_be_visible()
            if permission == "denied":
                screenshot(page, "webclient-blocked")
        finally:
            context.close()


def test_signing_out_ends_the_socket(context: BrowserContext, site: Site,
                                     employee: str) -> None:
    """Выйти ends the session: the page is the sign-in form again and the employee's
    browser socket is gone from the relay."""
    page = signed_in(context, user_token(site))

    def connected() -> int:
        return int(admin_api(site, "GET", "/api/v1/admin/users/100").json()["connected"])

    assert connected() >= 1
    page.get_by_role("button", name="Выйти").click()
    expect(page.get_by_label("Ссылка для подключения или токен")).to_be_visible()
    deadline = time.monotonic() + 5
    while connected() and time.monotonic() < deadline:  # the socket closes at once
        time.sleep(0.05)
    assert connected() == 0


def test_a_foreign_page_cannot_open_the_socket(chromium: Browser, site: Site,
                                               employee: str) -> None:
    """A page on another origin holding a valid ticket still cannot open the events
    socket (the relay checks Origin); the relay's own page can."""
    with httpx.Client(base_url=site.url, headers={
            "Authorization": "Bearer " + user_token(site)}) as http:
        tickets = [http.post("/api/v1/events/ticket").json()["ticket"] for _ in range(2)]
    context = chromium.new_context()
    try:
        page = context.new_page()
        probe = """async ([url]) => await new Promise((done) => {
            const ws = new WebSocket(url);
            ws.onmessage = () => done("open");
            ws.onclose = () => done("refused");
        })"""
        ws = site.url.replace("http://", "ws://") + "/api/v1/events?ticket="
        page.goto(site.pbx.url + "/elsewhere")  # another origin (another port)
        assert page.evaluate(probe, [ws + tickets[0]]) == "refused"
        page.goto(site.url + "/app/")
        assert page.evaluate(probe, [ws + tickets[1]]) == "open"
    finally:
        context.close()
