"""What the tray menu, a left click and other launches ask for: the directory window,
the Dial… box, About, and requests handed over by `trubka tel:…` / `trubka dial N`."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from trubka.desktop.dialer import Dialer
from trubka.desktop.qtcompat import emit
from trubka.desktop.session import Session
from trubka.desktop.views.call_window import CallWindow
from trubka.desktop.views.dialogs import AboutBox, DialBox, DialogKeeper
from trubka.desktop.views.directory import DirectoryWindow

log = logging.getLogger("trubka.desktop.shell")
VERSION = "0.1.0"


class Shell(QObject):
    """Signal `enrol_requested(str)`: another launch or argv brought an enrolment link."""

    enrol_requested = Signal(str)

    def __init__(self, session: Session, directory: DirectoryWindow, dialer: Dialer,
                 dialogs: DialogKeeper, ringing: Callable[[], list[CallWindow]],
                 on_journal_opened: Callable[[], None], about_details: Callable[[], str],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.directory = directory
        self.dialer = dialer
        self.dialogs = dialogs
        self.ringing = ringing
        self.on_journal_opened = on_journal_opened
        self.about_details = about_details

    def left_click(self) -> None:
        """The call window if a call is ringing, else the journal (UX.md)."""
        windows = self.ringing()
        for window in windows:
            window.show()
            window.raise_()
        if not windows:
            self.open_directory("journal")

    def open_directory(self, which: str) -> None:
        self.directory.show_tab(which)
        if which == "journal":
            self.on_journal_opened()

    def show_contact(self, name: str) -> None:
        """The address book, searched for one contact (the call window's "Card")."""
        self.open_directory("book")
        self.directory.book.search.setText(name)

    def open_dial_box(self) -> DialBox:
        box = DialBox(self.session.country)
        box.dial_requested.connect(lambda n: self.dialer.dial(n, "app"))
        self.dialogs.keep(box)
        box.show()
        return box

    def open_about(self) -> AboutBox:
        box = AboutBox(VERSION, self.about_details())
        self.dialogs.keep(box)
        box.show()
        return box

    def handle_request(self, request: dict[str, str]) -> None:
        """A request from another launch (single.py), or this launch's own argv."""
        cmd, arg = request.get("cmd"), request.get("arg", "")
        if cmd == "dial":
            self.dialer.dial(arg, "command")
        elif cmd == "enroll" or (cmd == "url" and arg.lower().startswith("trubka:")):
            emit(self.enrol_requested, arg)
        elif cmd == "url":
            self.dialer.dial(arg, "url")
        else:
            self.left_click()


def about_text(session: Session, log_folder: Path, profile: Path) -> str:
    return f"relay: {session.prefs.relay_url}\nlog: {log_folder}\nprofile: {profile}"
