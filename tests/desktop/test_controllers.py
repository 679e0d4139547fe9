"""Controllers alone, without the app: the call windows' actions with hand-written fakes,
and what may be opened (only http(s) and the configured CRM schemes)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from tests.desktop.conftest import FakeConfirmer, FakeUrlOpener
from trubka.core.contacts import Contact
from trubka.core.model import Call, CallState, Direction
from trubka.desktop.bridge import RelayBridge
from trubka.desktop.controllers.calls import CallWindows
from trubka.desktop.dialer import Dialer
from trubka.desktop.services import Clipboard, Notifier, SafeOpener
from trubka.desktop.session import Session
from trubka.desktop.settings import Preferences, validate
from trubka.desktop.views.call_window import CallAction, Lifetimes


class Parts:
    """A CallWindows controller and the fakes around it."""

    def __init__(self, prefs: Preferences) -> None:
        self.session = Session(prefs)
        self.notifier = Notifier(show_boxes=False)
        self.browser = FakeUrlOpener()
        self.opener = SafeOpener(self.browser, self.notifier,
                                 lambda: self.session.prefs.crm_scheme_list())
        self.bridge = RelayBridge()  # not configured: nothing is dialled here
        self.dialer = Dialer(self.bridge, self.notifier, FakeConfirmer(), self.session)
        clipboard = QApplication.clipboard()
        self.calls = CallWindows(self.session, self.notifier, Clipboard(clipboard),
                                 self.opener, self.dialer, lambda _phone: None,
                                 Lifetimes(ended_ms=100, elsewhere_ms=100, fade_ms=0))

    def errors(self) -> list[str]:
        return [text for kind, text in self.notifier.history if kind == "error"]


@pytest.fixture
def parts(qapp: Any) -> Iterator[Parts]:
    p = Parts(replace(Preferences(), relay_url="https://relay.example.ru", language="en",
                      crm_template="https://crm.example.ru/?p={digits}"))
    yield p
    p.calls.close_all()
    p.bridge.shutdown()


def call_from(contact: Contact | None) -> Call:
    return Call("c1", "p", "c1", Direction.IN, CallState.RINGING, "+79991234567",
                "89991234567", "100", contact=contact)


@pytest.mark.parametrize("url", ["javascript:alert(1)", "file:///etc/passwd",
                                 "data:text/html,hi", "vbscript:msgbox", "smb://host/share",
                                 "  JavaScript:alert(1)", "https://", "notaurl"])
def test_other_schemes_are_never_opened(parts: Parts, url: str) -> None:
    """A CRM link of any other scheme is refused with a visible message, not opened."""
    parts.calls.on_action(CallAction.CRM, call_from(Contact(7, "Иван", crm_url=url)))
    assert parts.browser.opened == []
    assert parts.errors() and "opens only web" in parts.errors()[-1]


@pytest.mark.parametrize("url", ["https://crm.example.ru/c/7", "http://crm.local/c/7",
                                 "e1c://server/base#7"])
def test_web_and_1c_links_open(parts: Parts, url: str) -> None:
    """http(s) and e1c links open in the browser (or the 1C client)."""
    parts.calls.on_action(CallAction.CRM, call_from(Contact(7, "Иван", crm_url=url)))
    assert parts.browser.opened == [url]
    assert parts.errors() == []


def test_configured_crm_scheme_opens(parts: Parts) -> None:
    """A scheme the settings list (crm_schemes) is opened; without it, refused."""
    link = "bitrix24://crm/contact/7"
    parts.calls.on_action(CallAction.CRM, call_from(Contact(7, "Иван", crm_url=link)))
    assert parts.browser.opened == []
    parts.session.set_prefs(replace(parts.session.prefs, crm_schemes="onec, Bitrix24"))
    parts.calls.on_action(CallAction.CRM, call_from(Contact(7, "Иван", crm_url=link)))
    assert parts.browser.opened == [link]


def test_unsafe_schemes_cannot_be_configured() -> None:
    """Settings refuse listing javascript:, file:, data: or a malformed scheme."""
    base = replace(Preferences(), relay_url="https://relay.example.ru")
    for bad in ("javascript", "file", "data, bitrix24", "a b/c", "1c"):
        assert "crm_schemes" in validate(replace(base, crm_schemes=bad)), bad
    assert "crm_schemes" not in validate(replace(base, crm_schemes="bitrix24, amocrm"))


def test_crm_template_and_search(parts: Parts) -> None:
    """Without a contact link, CRM opens the template; Search the search template."""
    parts.calls.on_action(CallAction.CRM, call_from(None))
    parts.calls.on_action(CallAction.SEARCH, call_from(None))
    assert parts.browser.opened == ["https://crm.example.ru/?p=79991234567",
                                    "https://yandex.ru/search/?text=%2B79991234567"]


def test_create_and_card_are_announced(parts: Parts, qtbot: Any) -> None:
    """Create contact and Card are handed on as typed signals (the app wires them)."""
    with qtbot.waitSignal(parts.calls.create_contact) as created:
        parts.calls.on_action(CallAction.CREATE, call_from(None))
    contact = created.args[0]
    assert isinstance(contact, Contact) and contact.id is None
    assert [p.canonical for p in contact.phones] == ["+79991234567"]
    with qtbot.waitSignal(parts.calls.show_contact) as shown:
        parts.calls.on_action(CallAction.CARD, call_from(Contact(7, "Иван Петров")))
    assert shown.args == ["Иван Петров"]


def test_windows_follow_orders(parts: Parts, qtbot: Any) -> None:
    """show → one window; update → its state; its closing is announced with the id."""
    parts.calls.show(call_from(None))
    window = parts.calls.windows["c1"]
    parts.calls.update(replace(call_from(None), state=CallState.ANSWERED))
    assert "Talking" in window.state_label.text()
    with qtbot.waitSignal(parts.calls.window_closed) as closed:
        parts.calls.close("c1")
    assert closed.args == ["c1"] and parts.calls.windows == {}
    assert [e for _c, e, _s in parts.calls.shown_log] == ["shown", "updated", "closed"]
