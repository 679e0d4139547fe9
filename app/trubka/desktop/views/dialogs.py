"""Small dialogs: the tray's Dial… box and About; and the keeper of open dialogs."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from trubka.core.numbers import display, try_normalize
from trubka.desktop.qtcompat import emit


class DialogKeeper:
    """Holds non-modal dialogs while they are open (Python would otherwise collect
    them); Qt deletes each once finished. `open` lists them, oldest first."""

    def __init__(self) -> None:
        self.open: list[QDialog] = []

    def keep(self, dialog: QDialog) -> QDialog:
        self.open.append(dialog)

        def finished(_result: int = 0) -> None:
            if dialog in self.open:
                self.open.remove(dialog)
            dialog.deleteLater()

        dialog.finished.connect(finished)
        return dialog

    def close_all(self) -> None:
        """At quit: close and hand every dialog back to Qt now, not to Python's GC."""
        for dialog in list(self.open):
            dialog.close()
            dialog.deleteLater()
        self.open.clear()


class DialBox(QDialog):
    """Type a number in any notation; shows it formatted; Enter calls."""

    dial_requested = Signal(str)

    def __init__(self, country: str = "RU", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.country = country
        self.setWindowTitle(self.tr("Dial a number"))
        self.number = QLineEdit(placeholderText="+7 999 123-45-67")
        self.preview = QLabel()
        self.preview.setObjectName("preview")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Call"))
        self.buttons.accepted.connect(self._dial)
        self.buttons.rejected.connect(self.reject)
        self.number.textChanged.connect(self._changed)
        layout = QVBoxLayout(self)
        layout.addWidget(self.number)
        layout.addWidget(self.preview)
        layout.addWidget(self.buttons)
        self._changed("")

    def _changed(self, text: str) -> None:
        n = try_normalize(text, self.country)
        self.preview.setText(display(n.canonical, self.country) if n else (
            self.tr("Not a phone number") if text.strip() else ""))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(n is not None)

    def _dial(self) -> None:
        if try_normalize(self.number.text(), self.country):
            emit(self.dial_requested, self.number.text())
            self.accept()


class AboutBox(QDialog):
    def __init__(self, version: str, details: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("About Trubka"))
        text = QLabel(self.tr("<h3>Trubka {version}</h3><p>Call popups and click-to-call for "
                              "cloud PBXs.</p><p>Icons: Trubka's own, MIT licence.</p>")
                      .format(version=version) + f"<pre>{details}</pre>")
        text.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(buttons)
