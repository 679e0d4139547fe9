"""Small seams to the outside world — browser, clipboard, questions, notices — so tests
substitute hand-written fakes instead of patching Qt. `SafeOpener` stands between the app
and the browser: only http(s) and the configured CRM schemes ever reach the OS."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Protocol
from urllib.parse import urlsplit

from PySide6.QtCore import QCoreApplication, QObject, Qt, QUrl, Signal
from PySide6.QtGui import QClipboard, QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget

from trubka.core.contacts import crm_url_allowed
from trubka.desktop.qtcompat import emit

log = logging.getLogger("trubka.desktop")


class Opener(Protocol):
    def open(self, url: str) -> bool: ...


class UrlOpener:
    """Opens a URL in the user's browser (or CRM client for e1c://)."""

    def open(self, url: str) -> bool:
        log.info("opening %s", url)
        return QDesktopServices.openUrl(QUrl(url))


class Clipboard:
    def __init__(self, clipboard: QClipboard) -> None:
        self.clipboard = clipboard

    def set_text(self, text: str) -> None:
        self.clipboard.setText(text)


class Confirmer:
    """Asks a yes/no question; the dial-from-a-link confirmation (F3)."""

    def ask(self, title: str, question: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, title, question,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        return box.exec() == QMessageBox.StandardButton.Yes


class Notifier(QObject):
    """Errors and notices for people. Keeps a history (the last 50) for the about box
    and tests; shows errors in a non-modal box and, when possible, the tray bubble."""

    posted = Signal(str, str)  # kind ("error" | "info"), text

    def __init__(self, parent: QObject | None = None, show_boxes: bool = True) -> None:
        super().__init__(parent)
        self.history: list[tuple[str, str]] = []
        self.show_boxes = show_boxes
        self.bubble: Callable[[str, str, bool], None] | None = None
        self._boxes: list[QWidget] = []

    def _post(self, kind: str, title: str, text: str) -> None:
        self.history = [*self.history[-49:], (kind, text)]
        log.info("%s shown: %s", kind, text)
        emit(self.posted, kind, text)
        if self.bubble is not None:
            self.bubble(title, text, kind == "error")

    def error(self, title: str, text: str) -> None:
        self._post("error", title, text)
        if self.show_boxes:
            box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok)
            box.setModal(False)
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.finished.connect(lambda _=0, b=box: self._boxes.remove(b)
                                 if b in self._boxes else None)
            self._boxes.append(box)
            box.show()

    def info(self, title: str, text: str) -> None:
        self._post("info", title, text)


class SafeOpener:
    """Opens only http(s) links and the CRM schemes allowed (`core.contacts`: e1c, plus
    `extra_schemes()` from the settings). Anything else — `javascript:`, `file:`, a
    scheme some other program registered — is refused with a visible message and never
    handed to the OS."""

    def __init__(self, opener: Opener, notifier: Notifier,
                 extra_schemes: Callable[[], Iterable[str]]) -> None:
        self.opener = opener
        self.notifier = notifier
        self.extra_schemes = extra_schemes

    def open(self, url: str) -> bool:
        if crm_url_allowed(url, self.extra_schemes()):
            return self.opener.open(url)
        scheme = urlsplit(url.strip()).scheme.lower() if url.strip() else ""
        log.warning("refused to open a %s: link", scheme or "schemeless")
        self.notifier.error(
            QCoreApplication.translate("Opener", "Link not opened"),
            QCoreApplication.translate(
                "Opener", "Trubka opens only web (http, https) and CRM links; this one "
                "starts with “{scheme}:”. If your CRM uses it, add it in Settings → "
                "Integration.").format(scheme=scheme or "?"))
        return False
