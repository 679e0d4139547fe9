"""The call window ("карточка звонка", UX.md) and the stack that places several of them.

A window never takes focus, follows its call's state and closes itself: ended calls stay
for the configured seconds (longer while hovered or pinned), calls answered elsewhere for
3 s. The widget only shows a `Call` and reports clicks; the controller decides the rest.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from PySide6.QtCore import QEasingCurve, QPropertyAnimation, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
)

from trubka.core.model import Call, CallState, Direction
from trubka.core.numbers import display
from trubka.desktop.qtcompat import emit
from trubka.desktop.resources import icon
from trubka.desktop.views import named

STATE_COLOURS = {
    CallState.RINGING: "#2f6fd6",
    CallState.ANSWERED: "#2e9d4f",
    CallState.TRANSFERRED: "#d99a1e",
    CallState.ANSWERED_ELSEWHERE: "#d99a1e",
    "missed": "#d23b3b",
    CallState.ENDED: "#7b8088",
}
WIDTH = 360
GAP = 8
MAX_VISIBLE = 4


@dataclass(frozen=True, slots=True)
class Lifetimes:
    ended_ms: int = 10_000
    elsewhere_ms: int = 3_000
    fade_ms: int = 300


class CallAction(enum.StrEnum):
    """The call window's buttons, in their order on the window."""

    COPY = "copy"
    CALL = "call"
    SEARCH = "search"
    CREATE = "create"
    CARD = "card"
    CRM = "crm"


class CallWindow(QFrame):
    """Signals: `action(CallAction, Call)` — a button (or Ctrl+C, Enter) on this call;
    `closed(str)` — the window closed, with the call's id."""

    action = Signal(CallAction, Call)
    closed = Signal(str)

    def __init__(self, call: Call, country: str = "RU", lifetimes: Lifetimes | None = None,
                 has_crm: bool = False, last_call: str = "") -> None:
        super().__init__(None)
        self.setObjectName("CallWindow")
        self.setWindowFlags(Qt.WindowType.Tool | Qt.WindowType.FramelessWindowHint
                            | Qt.WindowType.WindowStaysOnTopHint
                            | Qt.WindowType.WindowDoesNotAcceptFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setFixedWidth(WIDTH)
        self.country = country
        self.lifetimes = lifetimes or Lifetimes()
        self.has_crm = has_crm
        self.pinned = False
        self.duration: int | None = None
        self._hovered = False
        self._closing = False
        self._timer = QTimer(self, singleShot=True)
        self._timer.timeout.connect(self.fade_out)
        self._build(last_call)
        self.call = call
        self.set_call(call)
        QShortcut(QKeySequence.StandardKey.Copy, self,
                  lambda: emit(self.action, CallAction.COPY, self.call))
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close)

    # -- layout ---------------------------------------------------------------------------

    def _build(self, last_call: str) -> None:
        self.setStyleSheet(
            "#CallWindow { background: palette(window); border: 1px solid palette(mid);"
            " border-radius: 10px; }"
            "#header { border-top-left-radius: 9px; border-top-right-radius: 9px; }"
            "#header QLabel, #header QToolButton { color: white; }"
            "#number { font-size: 20px; font-weight: 600; }"
            "#name { font-size: 14px; font-weight: 600; }")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 8)
        outer.setSpacing(4)
        outer.addWidget(self._header())
        outer.addLayout(self._body(last_call))
        outer.addLayout(self._button_row())

    def _header(self) -> QFrame:
        self.header = named(QFrame(), "header")
        top = QHBoxLayout(self.header)
        top.setContentsMargins(10, 4, 4, 4)
        self.state_label = named(QLabel(), "state")
        self.line_label = named(QLabel(), "line")
        self.pin_button = self._tool("pin", self.tr("Keep this window open"))
        self.pin_button.setCheckable(True)
        self.pin_button.toggled.connect(self._pin)
        self.close_button = self._tool("close", self.tr("Close"))
        self.close_button.clicked.connect(self.close)
        top.addWidget(self.state_label)
        top.addStretch(1)
        top.addWidget(self.line_label)
        top.addWidget(self.pin_button)
        top.addWidget(self.close_button)
        return self.header

    def _body(self, last_call: str) -> QVBoxLayout:
        body = QVBoxLayout()
        body.setContentsMargins(12, 2, 12, 2)
        body.setSpacing(2)
        self.number_label = named(QLabel(), "number")
        self.number_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.name_label = named(QLabel(), "name")
        self.company_label = named(QLabel(), "company")
        self.responsible_label = named(QLabel(), "responsible")
        self.last_label = named(QLabel(last_call), "last")
        self.note_label = named(QLabel(), "note")
        self.status_label = named(QLabel(), "status")
        for label in (self.number_label, self.name_label, self.company_label,
                      self.responsible_label, self.last_label, self.note_label,
                      self.status_label):
            body.addWidget(label)
        return body

    def _button_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setContentsMargins(6, 0, 6, 0)
        row.setSpacing(0)
        self.buttons: dict[CallAction, QToolButton] = {}
        texts = {
            CallAction.COPY: (self.tr("Copy"), self.tr("Copy the number (Ctrl+C)")),
            CallAction.CALL: (self.tr("Call"), self.tr("Call back")),
            CallAction.SEARCH: (self.tr("Search"), self.tr("Search the web for this number")),
            CallAction.CREATE: (self.tr("Create contact"),
                                self.tr("Save this number as a contact")),
            CallAction.CARD: (self.tr("Card"), self.tr("Open the contact's card")),
            CallAction.CRM: (self.tr("CRM"), self.tr("Open in CRM"))}
        icons = {CallAction.CREATE: "contact-add"}
        for name in CallAction:
            text, tip = texts[name]
            button = self._tool(icons.get(name, name.value), tip, text)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
            small = button.font()
            small.setPointSizeF(max(7.0, small.pointSizeF() - 1))
            button.setFont(small)
            button.clicked.connect(lambda _=False, n=name: emit(self.action, n, self.call))
            self.buttons[name] = button
            row.addWidget(button)
        row.addStretch(1)
        return row

    def _tool(self, icon_name: str, tip: str, text: str = "") -> QToolButton:
        button = QToolButton(self)
        button.setIcon(icon(icon_name))
        button.setToolTip(tip)
        button.setText(text)
        button.setAutoRaise(True)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        return button

    # -- state ----------------------------------------------------------------------------

    def state_text(self, call: Call) -> tuple[str, str]:
        """The header's word and colour for the call's state."""
        if call.state is CallState.RINGING:
            word = self.tr("Incoming call") if call.direction is Direction.IN else self.tr(
                "Outgoing call")
            return word, STATE_COLOURS[CallState.RINGING]
        if call.state is CallState.ANSWERED:
            return self.tr("Talking"), STATE_COLOURS[CallState.ANSWERED]
        if call.state is CallState.ANSWERED_ELSEWHERE:
            return self.tr("Answered elsewhere"), STATE_COLOURS[call.state]
        if call.state is CallState.TRANSFERRED:
            return self.tr("Transferred"), STATE_COLOURS[call.state]
        if call.answered_at is None:
            word = self.tr("Missed call") if call.direction is Direction.IN else self.tr(
                "No answer")
            return word, STATE_COLOURS["missed"]
        return self.tr("Call ended"), STATE_COLOURS[CallState.ENDED]

    def set_call(self, call: Call) -> None:
        self.call = call
        word, colour = self.state_text(call)
        arrow = "↙" if call.direction is Direction.IN else "↗"
        self.state_label.setText(f"{arrow} {word}")
        self.header.setStyleSheet(f"#header {{ background: {colour}; }}")
        self.line_label.setText(self.tr("on {line}").format(line=display(call.line, self.country))
                                if call.line else "")
        self.number_label.setText(display(call.phone or call.phone_raw, self.country))
        contact = call.contact
        self.name_label.setText(contact.name if contact else self.tr("Unknown number"))
        self.company_label.setText(contact.company if contact else "")
        self.company_label.setVisible(bool(contact and contact.company))
        self.responsible_label.setText(self.tr("Responsible: ext. {ext}").format(
            ext=contact.responsible_ext) if contact and contact.responsible_ext else "")
        self.responsible_label.setVisible(bool(contact and contact.responsible_ext))
        self.last_label.setVisible(bool(self.last_label.text()))
        note = contact.note.splitlines()[0] if contact and contact.note else ""
        self.note_label.setText(self.note_label.fontMetrics().elidedText(
            note, Qt.TextElideMode.ElideRight, WIDTH - 30))
        self.note_label.setVisible(bool(note))
        self.buttons[CallAction.CREATE].setVisible(contact is None)
        self.buttons[CallAction.CARD].setVisible(contact is not None)
        self.buttons[CallAction.CRM].setVisible(bool(contact and contact.crm_url) or self.has_crm)
        self.status_label.setText(self._status_line(call))
        self.status_label.setVisible(bool(self.status_label.text()))
        self.adjustSize()
        self._schedule()

    def _status_line(self, call: Call) -> str:
        if call.state is CallState.ANSWERED_ELSEWHERE:
            return self.tr("Answered by {who}").format(who=call.answered_by or self.tr(
                "a colleague"))
        seconds = self.duration
        if seconds is None and call.state is CallState.ENDED and call.answered_at \
                and call.ended_at:
            seconds = max(0, int((call.ended_at - call.answered_at).total_seconds()))
        if call.state is CallState.ENDED and seconds:
            return self.tr("Duration {m}:{s:02d}").format(m=seconds // 60, s=seconds % 60)
        return ""

    def set_duration(self, seconds: int) -> None:
        """The PBX's own figure from the journal, which beats our clock (SPEC §2.1)."""
        self.duration = seconds
        self.status_label.setText(self._status_line(self.call))
        self.status_label.setVisible(bool(self.status_label.text()))
        self.adjustSize()

    def _schedule(self) -> None:
        if self.call.state in (CallState.ANSWERED_ELSEWHERE, CallState.TRANSFERRED):
            self._timer.start(self.lifetimes.elsewhere_ms)
        elif self.call.state is CallState.ENDED:
            if not (self.pinned or self._hovered):
                self._timer.start(self.lifetimes.ended_ms)
        else:
            self._timer.stop()

    def _pin(self, on: bool) -> None:
        self.pinned = on
        if on:
            self._timer.stop()
        else:
            self._schedule()

    def enterEvent(self, event: object) -> None:
        self._hovered = True
        if self.call.state is CallState.ENDED:
            self._timer.stop()
        super().enterEvent(event)  # type: ignore[arg-type]

    def leaveEvent(self, event: object) -> None:
        self._hovered = False
        self._schedule()
        super().leaveEvent(event)  # type: ignore[arg-type]

    def mousePressEvent(self, event: object) -> None:
        # Clicked into: now it may take the keyboard (Enter = the primary action).
        if self.windowFlags() & Qt.WindowType.WindowDoesNotAcceptFocus:
            self.setWindowFlag(Qt.WindowType.WindowDoesNotAcceptFocus, False)
            self.show()  # changing window flags hides a window
            self.activateWindow()
        super().mousePressEvent(event)  # type: ignore[arg-type]

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            emit(self.action, CallAction.CALL, self.call)  # the primary action: call back
            return
        super().keyPressEvent(event)

    def fade_out(self) -> None:
        if self._closing:
            return
        self._closing = True
        if self.lifetimes.fade_ms <= 0 or QGuiApplication.platformName() == "offscreen":
            self.close()
            return
        self._fade = QPropertyAnimation(self, b"windowOpacity", self)
        self._fade.setDuration(self.lifetimes.fade_ms)
        self._fade.setStartValue(1.0)
        self._fade.setEndValue(0.0)
        self._fade.setEasingCurve(QEasingCurve.Type.OutCubic)
        self._fade.finished.connect(self.close)
        self._fade.start()

    def closeEvent(self, event: object) -> None:
        self._timer.stop()
        emit(self.closed, self.call.id)
        super().closeEvent(event)  # type: ignore[arg-type]
