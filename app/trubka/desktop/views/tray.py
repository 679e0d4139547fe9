"""Tray presence (F1): the icon with its state dot and missed badge, the menu, and the
fallback main window where no system tray exists — the app is never unreachable."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QFont, QIcon, QPainter, QPen, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSystemTrayIcon,
    QVBoxLayout,
    QWidget,
)

from trubka.desktop.bridge import LinkState, LinkStatus
from trubka.desktop.qtcompat import emit
from trubka.desktop.resources import icon_path
from trubka.desktop.views import named

DOT = {
    LinkState.CONNECTED: "#2e9d4f",
    LinkState.CONNECTING: "#d99a1e",
    LinkState.RECONNECTING: "#d99a1e",
    LinkState.SIGNED_OUT: "#8a8f98",
    LinkState.IDLE: "#8a8f98",
    LinkState.ERROR: "#d23b3b",
}


def tray_icon(state: LinkState, missed: int = 0, dnd: bool = False, size: int = 64,
              dim: bool = False) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    QSvgRenderer(icon_path("handset")).render(painter, QRectF(4, 8, size - 16, size - 16))
    r = size * 0.18
    painter.setPen(QPen(QColor("white"), 2))
    colour = QColor(DOT[state])
    if dim:  # the "reconnecting" pulse
        colour.setAlpha(90)
    painter.setBrush(colour)
    painter.drawEllipse(QPointF(size - r - 2, size - r - 2), r, r)
    if dnd:
        painter.setPen(QPen(QColor("#d23b3b"), 5))
        painter.drawLine(6, 6, size - 6, size - 6)
    if missed:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#d23b3b"))
        painter.drawEllipse(QRectF(size * 0.5, 0, size * 0.5, size * 0.5))
        painter.setPen(QColor("white"))
        font = QFont()
        font.setPixelSize(int(size * 0.3))
        font.setBold(True)
        painter.setFont(font)
        painter.drawText(
            QRectF(size * 0.5, 0, size * 0.5, size * 0.5),
            Qt.AlignmentFlag.AlignCenter,
            str(missed) if missed < 100 else "99+",
        )
    painter.end()
    return QIcon(pixmap)


class TrayMenu(QObject):
    """The menu and its actions, shared by the tray icon and the fallback window."""

    dial = Signal()
    address_book = Signal()
    journal = Signal()
    dnd_toggled = Signal(bool)
    settings = Signal()
    about = Signal()
    quit = Signal()
    simulate = Signal(str)

    def __init__(self, scenarios: list[str] | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.menu = QMenu()
        self.status_action = self.menu.addAction("")
        self.status_action.setEnabled(False)
        self.menu.addSeparator()
        self.dial_action = self._add(self.tr("Dial…"), self.dial)
        self.book_action = self._add(self.tr("Address book"), self.address_book)
        self.journal_action = self._add(self.tr("Call journal"), self.journal)
        self.dnd_action = QAction(self.tr("Do not disturb"), self.menu, checkable=True)
        self.dnd_action.toggled.connect(self.dnd_toggled)
        self.dnd_action.setVisible(False)
        self.menu.addAction(self.dnd_action)
        self.simulate_menu: QMenu | None = None
        if scenarios:
            self.simulate_menu = self.menu.addMenu(self.tr("Simulate"))
            for name in scenarios:
                action = self.simulate_menu.addAction(name)
                action.triggered.connect(lambda _=False, n=name: emit(self.simulate, n))
        self.menu.addSeparator()
        self._add(self.tr("Settings…"), self.settings)
        self._add(self.tr("About Trubka"), self.about)
        self.menu.addSeparator()
        self._add(self.tr("Quit"), self.quit)

    def _add(self, text: str, signal: object) -> QAction:
        action = self.menu.addAction(text)
        action.triggered.connect(lambda _=False, s=signal: emit(s))
        return action

    def set_missed(self, count: int) -> None:
        self.journal_action.setText(
            self.tr("Call journal ({n} missed)").format(n=count)
            if count
            else self.tr("Call journal")
        )


def reason(status: LinkStatus) -> str:
    """A short, human cause for the menu's first line (UX.md: say what is wrong)."""
    reasons = {
        "refused": QCoreApplication.translate("Tray", "the server refused the connection"),
        "dns": QCoreApplication.translate("Tray", "server name not found (DNS)"),
        "tls": QCoreApplication.translate("Tray", "TLS certificate not trusted"),
        "timeout": QCoreApplication.translate("Tray", "the server does not answer"),
    }
    return reasons.get(status.kind, status.detail)


def status_line(status: LinkStatus, ext: str, host: str) -> str:
    """The menu's first line: what the connection is doing, or what is wrong."""

    if status.state is LinkState.CONNECTED:
        return QCoreApplication.translate("Tray", "Connected to {host} — ext. {ext}").format(
            host=host, ext=ext
        )
    if status.state is LinkState.CONNECTING:
        return QCoreApplication.translate("Tray", "Connecting to {host}…").format(host=host)
    if status.state is LinkState.RECONNECTING:
        return QCoreApplication.translate("Tray", "No connection to the server: {detail}").format(
            detail=reason(status)
        )
    if status.state is LinkState.SIGNED_OUT:
        return QCoreApplication.translate("Tray", "Signed out — enter a new token in Settings")
    if status.state is LinkState.ERROR:
        return QCoreApplication.translate("Tray", "Connection error: {detail}").format(
            detail=reason(status)
        )
    return QCoreApplication.translate("Tray", "Not set up — open Settings")


class FallbackWindow(QWidget):
    """A small main window used when the desktop has no system tray."""

    def __init__(self, menu: TrayMenu) -> None:
        super().__init__(None)
        self.setWindowTitle("Trubka")
        self.menu = menu
        self.status = named(QLabel(), "status")
        self.status.setWordWrap(True)
        self.missed = named(QLabel(), "missed")
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.icon_label = QLabel()
        top.addWidget(self.icon_label)
        top.addWidget(self.status, 1)
        layout.addLayout(top)
        layout.addWidget(self.missed)
        buttons = QHBoxLayout()
        for text, signal in (
            (self.tr("Dial…"), menu.dial),
            (self.tr("Address book"), menu.address_book),
            (self.tr("Call journal"), menu.journal),
        ):
            button = QPushButton(text)
            button.clicked.connect(lambda _=False, s=signal: emit(s))
            buttons.addWidget(button)
        more = QPushButton(self.tr("Menu"))
        more.setMenu(menu.menu)
        buttons.addWidget(more)
        layout.addLayout(buttons)

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        # Closing the only window quits: there is no tray to keep running in.
        emit(self.menu.quit)
        super().closeEvent(event)


class Presence(QObject):
    """Either a tray icon or the fallback window; the app talks only to this."""

    left_clicked = Signal()

    def __init__(self, menu: TrayMenu, tray_available: bool) -> None:
        super().__init__()
        self.menu = menu
        self.tray: QSystemTrayIcon | None = None
        self.window: FallbackWindow | None = None
        self.state = LinkState.IDLE
        self.missed = 0
        self.dnd = False
        self._dim = False
        self._closed = False
        self._pulse = QTimer(self, interval=700)  # runs only while reconnecting
        self._pulse.timeout.connect(self._toggle_pulse)
        if tray_available:
            self.tray = QSystemTrayIcon()
            self.tray.setContextMenu(menu.menu)
            self.tray.activated.connect(self._activated)
        else:
            self.window = FallbackWindow(menu)
        self.refresh("")

    def show(self) -> None:
        if self.tray is not None:
            self.tray.show()
        elif self.window is not None:
            self.window.show()

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason == QSystemTrayIcon.ActivationReason.Trigger:
            emit(self.left_clicked)

    def _toggle_pulse(self) -> None:
        if self._closed:
            self._pulse.stop()
            return
        self._dim = not self._dim
        self.refresh(None)

    def set_status(self, status: LinkStatus, line: str, tooltip: str) -> None:
        if self._closed:
            return
        self.state = status.state
        if status.state in (LinkState.RECONNECTING, LinkState.CONNECTING):
            if not self._pulse.isActive():
                self._pulse.start()
        else:
            self._pulse.stop()
            self._dim = False
        self.menu.status_action.setText(line)
        self.refresh(tooltip)
        if self.window is not None:
            self.window.status.setText(line)

    def set_missed(self, count: int) -> None:
        if self._closed:
            return
        self.missed = count
        self.menu.set_missed(count)
        if self.window is not None:
            self.window.missed.setText(self.tr("%n missed call(s)", "", count) if count else "")
        self.refresh(None)

    def refresh(self, tooltip: str | None) -> None:
        if self._closed:
            return
        icon = tray_icon(self.state, self.missed, self.dnd, dim=self._dim)
        if self.tray is not None:
            self.tray.setIcon(icon)
            if tooltip is not None:
                self.tray.setToolTip(tooltip)
        if self.window is not None:
            self.window.setWindowIcon(icon)
            self.window.icon_label.setPixmap(icon.pixmap(32, 32))
            if tooltip:
                self.window.setToolTip(tooltip)

    def bubble(self, title: str, text: str, error: bool) -> None:
        if self.tray is not None and QSystemTrayIcon.supportsMessages():
            self.tray.showMessage(
                title,
                text,
                QSystemTrayIcon.MessageIcon.Warning
                if error
                else QSystemTrayIcon.MessageIcon.Information,
                8000,
            )

    def hide(self) -> None:
        self._closed = True  # at quit: late status signals must not touch deleted widgets
        self._pulse.stop()
        if self.tray is not None:
            self.tray.hide()
        if self.window is not None:
            self.window.hide()
