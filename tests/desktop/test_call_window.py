"""Call window placement and lifetime (UX.md), widgets alone."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

from PySide6.QtCore import QRect

from trubka.core.model import Call, CallState, Direction
from trubka.desktop.views.call_window import GAP, CallWindow, Lifetimes
from trubka.desktop.views.stack import CallWindowStack

T = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def ringing(i: int) -> Call:
    return Call(str(i), "p", str(i), Direction.IN, CallState.RINGING, f"+7999123450{i}",
                f"8999123450{i}", "100")


def test_stack_bottom_right_max_four(qtbot: Any) -> None:
    """Windows stack upward from the bottom-right corner, 4 at most, then "+N more"."""
    area = QRect(0, 0, 1280, 800)
    stack = CallWindowStack(area)
    windows = [CallWindow(ringing(i)) for i in range(6)]
    for w in windows:  # WA_DeleteOnClose: closed windows are gone, so no qtbot.addWidget
        stack.add(w)
    visible = stack.visible()
    assert len(visible) == 4 and visible == windows[2:]
    assert stack.more.isVisible() and stack.more.text() == "+2 more"
    newest = windows[-1]
    assert newest.geometry().right() <= area.right() and newest.geometry().bottom() <= 800
    assert newest.geometry().bottom() > windows[-2].geometry().bottom()  # newest lowest
    ys = sorted(w.geometry().top() for w in visible)
    for upper, lower in itertools.pairwise(ys):
        assert lower - upper >= GAP  # no overlap
    windows[-1].close()
    windows[-2].close()
    assert len(stack.visible()) == 4 and not stack.more.isVisible()
    stack.close_all()


def test_ended_window_stays_while_pinned(qtbot: Any) -> None:
    """An ended call closes after its lifetime, but not while pinned."""
    ended = Call("e", "p", "e", Direction.IN, CallState.ENDED, "+79991234567", "89991234567",
                 "100", answered_at=T, ended_at=T + timedelta(seconds=75))
    window = CallWindow(ended, lifetimes=Lifetimes(ended_ms=100, fade_ms=0))
    window.move(700, 500)  # away from the pointer: hovering also keeps it open
    window.show()
    assert window.status_label.text() == "Duration 1:15"
    window.pin_button.setChecked(True)
    qtbot.wait(300)
    assert window.isVisible()
    with qtbot.waitSignal(window.closed, timeout=2000):
        window.pin_button.setChecked(False)


def test_missed_call_header(qtbot: Any) -> None:
    """A call that ended unanswered says "Missed call" in red."""
    missed = Call("m", "p", "m", Direction.IN, CallState.ENDED, "+79991234567", "89991234567",
                  "100")
    window = CallWindow(missed)
    qtbot.addWidget(window)
    assert "Missed call" in window.state_label.text()
    assert "#d23b3b" in window.header.styleSheet()


def test_click_then_enter_calls_back(qtbot: Any) -> None:
    """The window takes no focus until clicked; then Enter is the primary action (call)."""
    from PySide6.QtCore import Qt

    window = CallWindow(ringing(1))
    window.show()
    assert window.windowFlags() & Qt.WindowType.WindowDoesNotAcceptFocus
    qtbot.mouseClick(window.number_label, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window, Qt.MouseButton.LeftButton)
    assert window.isVisible()
    assert not window.windowFlags() & Qt.WindowType.WindowDoesNotAcceptFocus
    with qtbot.waitSignal(window.action) as blocker:
        qtbot.keyClick(window, Qt.Key.Key_Return)
    assert blocker.args[0] == "call"
    window.close()


def test_stack_from_top_when_panel_on_top(qtbot: Any) -> None:
    """With the panel at the top, windows stack downward from the top-right corner."""
    stack = CallWindowStack(QRect(0, 30, 1280, 770), top=True)
    windows = [CallWindow(ringing(i)) for i in range(2)]
    for w in windows:
        stack.add(w)
    assert windows[-1].geometry().top() == 30 + 12  # the newest right under the panel
    assert windows[0].geometry().top() > windows[-1].geometry().bottom()
    stack.close_all()
