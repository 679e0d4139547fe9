"""SPEC §5 display policy end to end: a real relay, the SPEC §2.1 scenarios posted as
webhooks, and exactly the windows the policy asks for."""

from __future__ import annotations

from typing import Any

import pytest

from tests.desktop.conftest import Desktop, Pbx, add_contact
from trubka.core.protocol import CallFrame
from trubka.desktop.views.call_window import Lifetimes

MOMENTS = ["never", "start", "answered", "ended"]
SCENARIOS = ["incoming-answered", "incoming-missed", "outgoing-answered", "outgoing-missed"]


def expected_state(moment: str, scenario: str) -> str | None:
    """The call state at which a window must appear, or None for no window."""
    answered = scenario.endswith("-answered")
    return {"never": None, "start": "ringing",
            "answered": "answered" if answered else None,
            "ended": "ended" if answered else None}[moment]


class Frames:
    """Call frames as the app saw them, with the window's content right after each."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.calls: list[CallFrame] = []
        self.content: dict[str, tuple[str, str, str]] = {}
        app.bridge.frame.connect(self.on_frame)  # connected after the app: runs after it

    def on_frame(self, frame: object) -> None:
        if isinstance(frame, CallFrame):
            self.calls.append(frame)
            window = self.app.calls.windows.get(frame.call.id)
            if window is not None:
                self.content[frame.call.id] = (window.number_label.text(),
                                               window.name_label.text(),
                                               window.company_label.text())


@pytest.mark.parametrize("incoming", MOMENTS)
@pytest.mark.parametrize("outgoing", MOMENTS)
def test_policy_matrix(desktop: Desktop, pz_relay: Any, pbx: Pbx, qtbot: Any,
                       incoming: str, outgoing: str) -> None:
    """Each scenario pops exactly one window at the policy's moment, with the card's content."""
    token = pz_relay.add_user("Сотрудник", "100")
    add_contact(pz_relay.url, token, name="Иван Петров", company="ООО «Ромашка»",
                phones=["89991234567"], responsible_ext="100", note="Ждёт счёт")
    app = desktop.start(desktop.make(pz_relay.url, token, incoming=incoming,
                                     outgoing=outgoing,
                                     lifetimes=Lifetimes(ended_ms=700, elsewhere_ms=300,
                                                         fade_ms=0)))
    frames = Frames(app)
    for scenario in SCENARIOS:
        moment = incoming if scenario.startswith("incoming") else outgoing
        want = expected_state(moment, scenario)
        count = len(frames.calls)
        pbx.scenario(scenario)
        # every post yields exactly one call frame; wait for them all, in order
        steps = 3 if scenario.endswith("-answered") else 2
        qtbot.waitUntil(lambda c=count, n=steps: len(frames.calls) >= c + n, timeout=8000)
        call_id = frames.calls[-1].call.id
        shown = [s for cid, event, s in app.calls.shown_log if cid == call_id and event == "shown"]
        assert shown == ([want] if want else []), (scenario, app.calls.shown_log)
        if want:
            assert frames.content[call_id] == ("+7 999 123-45-67", "Иван Петров",
                                               "ООО «Ромашка»")
            qtbot.waitUntil(lambda cid=call_id: any(
                c == cid and e == "closed" for c, e, _s in app.calls.shown_log), timeout=8000)
    shown_calls = {cid for cid, e, _s in app.calls.shown_log if e == "shown"}
    assert len(shown_calls) == sum(
        expected_state(incoming if s.startswith("incoming") else outgoing, s) is not None
        for s in SCENARIOS)
    assert not app.calls.windows


def test_window_content_follows_call(desktop: Desktop, pz_relay: Any, pbx: Pbx,
                                     qtbot: Any) -> None:
    """A known number shows the contact card; the window follows ringing → talking → ended."""
    token = pz_relay.add_user("Сотрудник", "100")
    add_contact(pz_relay.url, token, name="Иван Петров", company="ООО «Ромашка»",
                phones=["89991234567"], responsible_ext="100", note="Ждёт счёт\nвторая строка")
    app = desktop.start(desktop.make(pz_relay.url, token,
                                     lifetimes=Lifetimes(ended_ms=500, fade_ms=0)))
    call_id = pbx.call_id()
    pbx.ring(call_id)
    qtbot.waitUntil(lambda: len(app.calls.windows) == 1, timeout=5000)
    window = next(iter(app.calls.windows.values()))
    assert window.number_label.text() == "+7 999 123-45-67"
    assert window.name_label.text() == "Иван Петров"
    assert window.company_label.text() == "ООО «Ромашка»"
    assert "100" in window.responsible_label.text()
    assert window.note_label.text() == "Ждёт счёт"
    assert "Incoming call" in window.state_label.text()
    assert "333-33-33" in window.line_label.text() or "3333333" in window.line_label.text()
    assert window.buttons["card"].isVisibleTo(window)
    assert not window.buttons["create"].isVisibleTo(window)
    pbx.answer(call_id)
    qtbot.waitUntil(lambda: "Talking" in window.state_label.text(), timeout=5000)
    pbx.end(call_id)
    qtbot.waitUntil(lambda: "Call ended" in window.state_label.text(), timeout=5000)
    qtbot.waitUntil(lambda: window.status_label.text() == "Duration 0:50", timeout=5000)
    qtbot.waitUntil(lambda: not app.calls.windows, timeout=5000)


def test_unknown_number_window(desktop: Desktop, pz_relay: Any, pbx: Pbx, qtbot: Any) -> None:
    """An unknown number shows "Unknown number" with Copy, Call, Search and Create contact."""
    token = pz_relay.add_user("Сотрудник", "100")
    app = desktop.start(desktop.make(pz_relay.url, token))
    pbx.ring(pbx.call_id(), phone="84951112233")
    qtbot.waitUntil(lambda: len(app.calls.windows) == 1, timeout=5000)
    window = next(iter(app.calls.windows.values()))
    assert window.name_label.text() == "Unknown number"
    assert window.number_label.text() == "+7 495 111-22-33"
    for name in ("copy", "call", "search", "create"):
        assert window.buttons[name].isVisibleTo(window), name
    assert not window.buttons["card"].isVisibleTo(window)
    flags = window.windowFlags()
    from PySide6.QtCore import Qt

    assert flags & Qt.WindowType.WindowStaysOnTopHint
    assert flags & Qt.WindowType.WindowDoesNotAcceptFocus
    assert window.testAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)


def test_answered_elsewhere_closes(desktop: Desktop, pz_relay: Any, pbx: Pbx,
                                   qtbot: Any) -> None:
    """A group call answered by a colleague says who answered, then closes by itself."""
    token = pz_relay.add_user("Сотрудник", "100")
    pz_relay.add_user("Иванов", "101")
    app = desktop.start(desktop.make(pz_relay.url, token))
    call_id = pbx.call_id()
    pbx.ring(call_id, ext="100")
    pbx.ring(call_id, ext="101")
    qtbot.waitUntil(lambda: len(app.calls.windows) == 1, timeout=5000)
    window = next(iter(app.calls.windows.values()))
    pbx.answer(call_id, ext="101")
    qtbot.waitUntil(lambda: "Answered elsewhere" in window.state_label.text(), timeout=5000)
    assert "Иванов (101)" in window.status_label.text()
    qtbot.waitUntil(lambda: not app.calls.windows, timeout=5000)
    assert [e for _c, e, _s in app.calls.shown_log].count("shown") == 1
