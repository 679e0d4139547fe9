"""Render the desktop app's windows to PNG for the README and docs.

    uv run --all-extras python docs/screenshots.py [--language ru|en] [--out docs/screenshots]

Works offscreen (`QT_QPA_PLATFORM=offscreen`, the default here) with `QWidget.grab()`,
or on a virtual X screen (`Xvfb :99 & DISPLAY=:99 QT_QPA_PLATFORM=xcb ...`). The
windows are the real widgets filled with the demo's sample data.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPoint, QRect, QTranslator
from PySide6.QtGui import QColor, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QWidget

from trubka.core.contacts import Contact
from trubka.core.model import (
    Call,
    CallState,
    Direction,
    JournalEntry,
    JournalStatus,
)
from trubka.core.numbers import normalize
from trubka.desktop import qtcompat, resources
from trubka.desktop.bridge import LinkState, LinkStatus
from trubka.desktop.demo import CONTACTS, ORDER
from trubka.desktop.models.contacts import ContactsModel
from trubka.desktop.models.journal import JournalModel
from trubka.desktop.settings import Preferences
from trubka.desktop.views.call_window import CallWindow
from trubka.desktop.views.directory import (
    AddressBookPage,
    DirectoryWindow,
    JournalPage,
)
from trubka.desktop.views.settings_dialog import SettingsDialog
from trubka.desktop.views.stack import CallWindowStack
from trubka.desktop.views.tray import TrayMenu, status_line, tray_icon

NOW = datetime.now(UTC).replace(microsecond=0)


def contacts() -> list[Contact]:
    return [Contact(i + 1, name, company, (normalize(phone),), "", responsible, note)
            for i, (name, company, phone, responsible, note) in enumerate(CONTACTS)]


def journal() -> list[JournalEntry]:
    people = contacts()
    rows = []
    statuses = [JournalStatus.ANSWERED, JournalStatus.MISSED, JournalStatus.ANSWERED,
                JournalStatus.BUSY, JournalStatus.ANSWERED, JournalStatus.MISSED]
    for i in range(14):
        c = people[i % len(people)]
        status = statuses[i % len(statuses)]
        direction = Direction.OUT if i % 3 == 2 else Direction.IN
        rows.append(JournalEntry(
            f"e{i}", f"c{i}", direction, status, c.phones[0].canonical, c.phones[0].raw,
            Contact(c.id or 0, c.name, c.company) if i % 4 else None,
            NOW - timedelta(minutes=37 * i), 0 if status is not JournalStatus.ANSWERED
            else 40 + 17 * i, "https://example.invalid/r.mp3" if status is
            JournalStatus.ANSWERED else "", "перезвонить в пятницу" if i == 2 else ""))
    return rows


def save(widget: QWidget | QPixmap, out: Path, name: str) -> None:
    pixmap = widget if isinstance(widget, QPixmap) else widget.grab()
    path = out / f"{name}.png"
    pixmap.save(str(path))
    print(path)


def render(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    people = contacts()
    ivan = people[0]
    known = Call("1", "prostiezvonki", "1", Direction.IN, CallState.RINGING,
                 ivan.phones[0].canonical,
                 ivan.phones[0].raw, "100", "3333333",
                 Contact(1, ivan.name, ivan.company, responsible_ext=ivan.responsible_ext,
                         note=ivan.note),
                 NOW)
    window = CallWindow(known, last_call="вчера, 14:20, 3:05")
    window.show()
    save(window, out, "call-window-known")
    unknown = Call("2", "prostiezvonki", "2", Direction.IN, CallState.RINGING, "+74951112233",
                   "84951112233", "100", "3333333", None, NOW)
    window2 = CallWindow(unknown)
    window2.show()
    save(window2, out, "call-window-unknown")
    ended = Call("3", "prostiezvonki", "3", Direction.OUT, CallState.ENDED,
                 ivan.phones[0].canonical,
                 ivan.phones[0].raw, "100", "", window.call.contact, NOW - timedelta(
                     minutes=3), NOW - timedelta(minutes=2, seconds=50), NOW)
    window3 = CallWindow(ended)
    window3.show()
    save(window3, out, "call-window-ended")

    save(stack_picture([known, unknown, ended]), out, "call-stack")

    book_model, journal_model = ContactsModel(), JournalModel()
    book_model.set_rows(people)
    journal_model.set_rows(journal())
    journal_model.unviewed = {"e1"}
    directory = DirectoryWindow(AddressBookPage(book_model), JournalPage(journal_model))
    directory.resize(980, 560)
    directory.show_tab("book")
    directory.book.table.selectRow(0)
    save(directory, out, "address-book")
    directory.show_tab("journal")
    directory.journal.table.resizeColumnsToContents()
    save(directory, out, "journal")

    prefs = Preferences(relay_url="https://relay.example.ru", ext="100",
                        crm_template="https://crm.example.ru/contacts?phone={digits}")
    dialog = SettingsDialog(prefs, has_token=True, has_keyring=True, log_folder=str(
        Path.home() / ".local/state/trubka/log"))
    dialog.show()
    save(dialog, out, "settings-connection")
    dialog.tabs.setCurrentIndex(1)
    save(dialog, out, "settings-calls")
    dialog.tabs.setCurrentIndex(2)
    save(dialog, out, "settings-integration")

    menu = TrayMenu(list(ORDER))
    menu.status_action.setText(status_line(LinkStatus(LinkState.CONNECTED), "100",
                                           "relay.example.ru"))
    menu.set_missed(2)
    menu.menu.popup(QPoint(0, 0))
    menu.menu.adjustSize()
    save(tray_menu_picture(menu), out, "tray-menu")
    for widget in (window, window2, window3, directory, dialog, menu.menu):
        widget.close()
        widget.deleteLater()
    QApplication.processEvents()


def stack_picture(calls: list[Call]) -> QPixmap:
    """Several overlapping calls as they stack in the screen's bottom-right corner."""
    area = QRect(0, 0, 420, 640)
    stack = CallWindowStack(area)
    windows = [CallWindow(c) for c in calls]
    for w in windows:
        stack.add(w)
    picture = QPixmap(area.size())
    picture.fill(QColor("#3b4252"))
    painter = QPainter(picture)
    for w in windows:
        painter.drawPixmap(w.pos(), w.grab())
    painter.end()
    stack.close_all()
    return picture


def tray_menu_picture(menu: TrayMenu) -> QPixmap:
    """The tray icons in their states above the menu, as a panel would show them."""
    shot = menu.menu.grab()
    icons = [tray_icon(s, m, d) for s, m, d in ((LinkState.CONNECTED, 2, False),
                                                 (LinkState.RECONNECTING, 0, False),
                                                 (LinkState.SIGNED_OUT, 0, False),
                                                 (LinkState.CONNECTED, 0, True))]
    width = max(shot.width(), 48 * len(icons) + 16)
    picture = QPixmap(width, shot.height() + 56)
    picture.fill(QColor("#2b2f36"))
    painter = QPainter(picture)
    for i, icon in enumerate(icons):
        painter.drawPixmap(8 + 48 * i, 8, icon.pixmap(40, 40))
    painter.drawPixmap(0, 56, shot)
    painter.end()
    return picture


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--language", default="ru", choices=("ru", "en"))
    parser.add_argument("--out", default=str(Path(__file__).parent / "screenshots"))
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    qtcompat.install()
    if args.language != "en":
        translator = QTranslator(app)
        path = resources.translation_file(args.language)
        if path is not None and translator.load(str(path)):
            app.installTranslator(translator)
    render(Path(args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
