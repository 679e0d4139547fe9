"""Where call windows go: bottom-right (top-right under a top panel), stacking away from
the corner, 8 px apart, at most four, then "+N more" (UX.md)."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel

from trubka.desktop.views.call_window import GAP, MAX_VISIBLE, WIDTH, CallWindow


class MoreBadge(QLabel):
    """"+N more" under the stacked windows when more than four calls overlap."""

    def __init__(self) -> None:
        super().__init__(None)
        self.setWindowFlags(Qt.WindowType.Tool | Qt.WindowType.FramelessWindowHint
                            | Qt.WindowType.WindowStaysOnTopHint
                            | Qt.WindowType.WindowDoesNotAcceptFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setStyleSheet("QLabel { background: palette(window); border: 1px solid palette(mid);"
                           " border-radius: 8px; padding: 4px 10px; }")

    def set_count(self, count: int) -> None:
        self.setText(self.tr("+{n} more").format(n=count))
        self.adjustSize()


class CallWindowStack:
    """Places call windows bottom-right, stacking upward, at most four visible."""

    def __init__(self, area: QRect | None = None, top: bool = False) -> None:
        self.windows: list[CallWindow] = []
        self.area = area
        self.top = top
        self.more = MoreBadge()

    def _area(self) -> QRect:
        if self.area is not None:
            return self.area
        screen = QGuiApplication.primaryScreen()
        return screen.availableGeometry() if screen else QRect(0, 0, 1280, 800)

    def add(self, window: CallWindow) -> None:
        self.windows.append(window)
        window.closed.connect(lambda _id, w=window: self._remove(w))
        self.relayout()

    def _remove(self, window: CallWindow) -> None:
        if window in self.windows:
            self.windows.remove(window)
            self.relayout()

    def visible(self) -> list[CallWindow]:
        return [w for w in self.windows if w.isVisible()]

    def _panel_on_top(self) -> bool:
        """Stack from the top-right when the desktop's panel is at the top (UX.md)."""
        if self.area is not None:
            return self.top
        screen = QGuiApplication.primaryScreen()
        if screen is None:
            return self.top
        full, free = screen.geometry(), screen.availableGeometry()
        return self.top or (free.top() > full.top() and free.bottom() == full.bottom())

    def relayout(self) -> None:
        area = self._area()
        margin = 12
        top = self._panel_on_top()
        y = area.top() + margin if top else area.bottom() - margin
        shown = self.windows[-MAX_VISIBLE:]  # the newest stay in sight
        for w in self.windows:
            if w not in shown:
                w.hide()
        for w in reversed(shown):
            w.adjustSize()
            h = w.sizeHint().height()
            x = area.right() - margin - WIDTH
            if top:
                w.move(x, y)
                y += h + GAP
            else:
                y -= h
                w.move(x, y)
                y -= GAP
            if not w.isVisible():
                w.show()
        hidden = len(self.windows) - len(shown)
        if hidden > 0:
            self.more.set_count(hidden)
            x = area.right() - margin - self.more.sizeHint().width()
            self.more.move(x, y - self.more.sizeHint().height() if not top else y)
            self.more.show()
        else:
            self.more.hide()

    def close_all(self) -> None:
        for w in list(self.windows):
            w.close()
        self.more.close()
