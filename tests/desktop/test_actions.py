"""Call window actions against a real relay and a fake PBX (SPEC F2, F3)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QApplication

from tests.desktop.conftest import Desktop, Pbx
from trubka.desktop.bridge import LinkState
from trubka.desktop.views.call_window import CallWindow

PZ_WORDING = ("При выполнении запроса к Простым звонкам произошла ошибка: Абонент не найден. "
              "Пожалуйста, обратитесь в поддержку Простых звонков.")


def ring_unknown(app: Any, pbx: Pbx, qtbot: Any, phone: str = "84951112233") -> CallWindow:
    pbx.ring(pbx.call_id(), phone=phone)
    qtbot.waitUntil(lambda: len(app.calls.windows) == 1, timeout=5000)
    return next(iter(app.calls.windows.values()))  # type: ignore[no-any-return]


def test_copy_puts_number_on_clipboard(desktop: Desktop, pz_relay: Any, pbx: Pbx,
                                       qtbot: Any) -> None:
    """Copy puts the number on the clipboard as digits with +."""
    app = desktop.start(desktop.make(pz_relay.url, pz_relay.add_user("Сотрудник", "100")))
    window = ring_unknown(app, pbx, qtbot)
    window.buttons["copy"].click()
    assert QApplication.clipboard().text() == "+74951112233"


def test_call_back_reaches_the_pbx(desktop: Desktop, pz_relay: Any, pbx: Pbx, fake_pbx: Any,
                                   qtbot: Any) -> None:
    """Call back sends one makeCall for the user's extension to the PBX."""
    app = desktop.start(desktop.make(pz_relay.url, pz_relay.add_user("Сотрудник", "100")))
    window = ring_unknown(app, pbx, qtbot)
    with qtbot.waitSignal(app.dialer.finished, timeout=10_000) as blocker:
        window.buttons["call"].click()
    assert blocker.args[1] is None
    calls = [r for r in fake_pbx.requests if r.path == "/crmapi/v1/makecall"]
    assert len(calls) == 1
    assert calls[0].json() == {"user": "100", "phone": "84951112233"}
    assert calls[0].headers["x-api-key"] == "pz-api-key"


def test_search_opens_templated_url(desktop: Desktop, pz_relay: Any, pbx: Pbx,
                                    qtbot: Any) -> None:
    """Search opens the configured URL template with the number filled in."""
    app = desktop.start(desktop.make(pz_relay.url, pz_relay.add_user("Сотрудник", "100"),
                                     search_template="https://search.example/?q={phone}"))
    window = ring_unknown(app, pbx, qtbot)
    window.buttons["search"].click()
    assert desktop.opener.opened == ["https://search.example/?q=%2B74951112233"]


def test_default_search_is_yandex(desktop: Desktop, pz_relay: Any, pbx: Pbx,
                                  qtbot: Any) -> None:
    """Without a template, Search opens Yandex for the number."""
    app = desktop.start(desktop.make(pz_relay.url, pz_relay.add_user("Сотрудник", "100")))
    ring_unknown(app, pbx, qtbot).buttons["search"].click()
    assert desktop.opener.opened == ["https://yandex.ru/search/?text=%2B74951112233"]


def test_create_contact_then_card(desktop: Desktop, pz_relay: Any, pbx: Pbx,
                                  qtbot: Any) -> None:
    """Create contact stores it on the relay; the next call from the number shows the card."""
    app = desktop.start(desktop.make(pz_relay.url, pz_relay.add_user("Сотрудник", "100")))
    window = ring_unknown(app, pbx, qtbot)
    window.buttons["create"].click()
    dialog = app.dialogs.open[-1]
    assert dialog.form.phones.toPlainText() == "+74951112233"
    dialog.form.name.setText("Пётр Сидоров")
    dialog.form.company.setText("ООО «Новое»")
    with qtbot.waitSignal(dialog.finished, timeout=10_000):
        dialog.submit()
    window.close()
    qtbot.waitUntil(lambda: not app.calls.windows, timeout=3000)
    second = ring_unknown(app, pbx, qtbot)
    assert second.name_label.text() == "Пётр Сидоров"
    assert second.company_label.text() == "ООО «Новое»"


def test_provider_error_verbatim(desktop: Desktop, pz_relay: Any, fake_pbx: Any,
                                 qtbot: Any) -> None:
    """A Prostye Zvonki refusal reaches the user in SPEC F3's exact wording."""
    fake_pbx.reply("/crmapi/v1/makecall", 400, {"error": "Абонент не найден"})
    app = desktop.start(desktop.make(pz_relay.url, pz_relay.add_user("Сотрудник", "100"),
                                     language="ru"))
    app.session.language = "ru"
    with qtbot.waitSignal(app.dialer.finished, timeout=10_000) as blocker:
        assert app.dialer.dial("8 999 123-45-67")
    assert blocker.args[1].kind == "provider"
    errors = [text for kind, text in app.notifier.history if kind == "error"]
    assert errors[-1] == PZ_WORDING
    assert errors[-1] == ("При выполнении запроса к Простым звонкам произошла ошибка: Абонент не "
                          "найден. Пожалуйста, обратитесь в поддержку Простых звонков.")


def test_invalid_number_not_sent(desktop: Desktop, pz_relay: Any, fake_pbx: Any,
                                 qtbot: Any) -> None:
    """Garbage is refused before anything reaches the relay."""
    app = desktop.start(desktop.make(pz_relay.url, pz_relay.add_user("Сотрудник", "100")))
    assert not app.dialer.dial("tel:javascript:alert(1)")
    assert not app.dialer.dial("hello")
    assert [k for k, _t in app.notifier.history].count("error") == 2
    assert not [r for r in fake_pbx.requests if r.path == "/crmapi/v1/makecall"]


def test_link_asks_first(desktop: Desktop, pz_relay: Any, fake_pbx: Any, qtbot: Any) -> None:
    """A tel: link from another app asks first; declining sends nothing."""
    app = desktop.start(desktop.make(pz_relay.url, pz_relay.add_user("Сотрудник", "100")))
    desktop.confirmer.answer = False
    app.shell.handle_request({"cmd": "url", "arg": "tel:+7-999-123-45-67"})
    assert desktop.confirmer.questions and "+7 999 123-45-67" in desktop.confirmer.questions[0]
    desktop.confirmer.answer = True
    with qtbot.waitSignal(app.dialer.finished, timeout=10_000):
        app.shell.handle_request({"cmd": "url", "arg": "tel:+7-999-123-45-67"})
    assert len([r for r in fake_pbx.requests if r.path == "/crmapi/v1/makecall"]) == 1
    assert app.session.status.state is LinkState.CONNECTED


def test_open_in_crm_and_card(desktop: Desktop, pz_relay: Any, pbx: Pbx, qtbot: Any) -> None:
    """A known caller's window opens the CRM template and the address-book card."""
    from tests.desktop.conftest import add_contact

    token = pz_relay.add_user("Сотрудник", "100")
    contact = add_contact(pz_relay.url, token, name="Иван Петров", phones=["89991234567"])
    app = desktop.start(desktop.make(
        pz_relay.url, token, crm_template="e1c://srv/base#{digits}/{contact_id}"))
    pbx.ring(pbx.call_id())
    qtbot.waitUntil(lambda: len(app.calls.windows) == 1, timeout=5000)
    window = next(iter(app.calls.windows.values()))
    assert window.buttons["crm"].isVisibleTo(window)
    window.buttons["crm"].click()
    assert desktop.opener.opened == [f"e1c://srv/base#79991234567/{contact['id']}"]
    window.buttons["card"].click()
    assert app.directory.isVisible() and app.book_page.search.text() == "Иван Петров"
    qtbot.waitUntil(lambda: [c.name for c in app.contacts.rows] == ["Иван Петров"],
                    timeout=5000)


def test_link_confirmation_can_be_turned_off(desktop: Desktop, pz_relay: Any, fake_pbx: Any,
                                             qtbot: Any) -> None:
    """With the confirmation setting off, a tel: link dials without asking."""
    app = desktop.start(desktop.make(pz_relay.url, pz_relay.add_user("Сотрудник", "100"),
                                     confirm_links=False))
    with qtbot.waitSignal(app.dialer.finished, timeout=10_000):
        app.shell.handle_request({"cmd": "url", "arg": "callto://+79991234567"})
    assert desktop.confirmer.questions == []
    assert fake_pbx.requests[-1].json() == {"user": "100", "phone": "79991234567"}
