"""The settings dialog's controller: open it with what is in force, apply what it saves
(the token to the keyring or, with consent, the file), Test connection."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from trubka.desktop.api import ApiError, Me, RelayApi
from trubka.desktop.bridge import RelayBridge
from trubka.desktop.errors import error_text
from trubka.desktop.qtcompat import emit
from trubka.desktop.session import Session
from trubka.desktop.settings import (
    Preferences,
    PreferenceStore,
    TokenStore,
    relay_addresses,
)
from trubka.desktop.views.dialogs import DialogKeeper
from trubka.desktop.views.settings_dialog import SettingsDialog

log = logging.getLogger("trubka.desktop.settings")


class SettingsController(QObject):
    """Signals: `relay_changed()` — the relay, CA file or token changed, reconnect;
    `enrol_requested(str)` — Paste enrolment link, with the clipboard's text."""

    relay_changed = Signal()
    enrol_requested = Signal(str)

    def __init__(self, session: Session, bridge: RelayBridge, store: PreferenceStore,
                 tokens: TokenStore, token: Callable[[], str], dialogs: DialogKeeper,
                 log_folder: Path, autostart: Callable[[bool], str] | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session, self.bridge, self.store, self.tokens = session, bridge, store, tokens
        self.token = token  # the token in force (ConnectionController.token)
        self.dialogs, self.log_folder, self.autostart = dialogs, log_folder, autostart

    def open(self) -> SettingsDialog:
        dialog = SettingsDialog(self.session.prefs, bool(self.token()),
                                self.tokens.has_keyring, str(self.log_folder),
                                self.store.defaults.locked)
        dialog.saved.connect(self.apply)
        dialog.test_requested.connect(lambda p, t: self.test_connection(p, t, dialog))
        dialog.enrol_requested.connect(self.enrol_requested)
        self.dialogs.keep(dialog)
        dialog.show()
        return dialog

    def open_first_run(self) -> None:
        """Nothing works until the connection is filled in: ask, unless already asking."""
        if not self.dialogs.open:
            self.open()

    def apply(self, prefs: Preferences, token: str, file_ok: bool) -> None:
        old = self.session.prefs
        relay_changed = prefs.relay_url != old.relay_url or prefs.ca_file != old.ca_file
        self.store.save(prefs)
        prefs = self.store.load()  # what is in force: company-locked values win
        if prefs.start_at_login != old.start_at_login and self.autostart is not None:
            log.info("start at login: %s (%s)", prefs.start_at_login,
                     self.autostart(prefs.start_at_login))
        self.session.set_prefs(prefs)
        if token:
            self.keep_token(prefs.relay_url, token, file_ok)
        if relay_changed or token:
            emit(self.relay_changed)

    def keep_token(self, relay_url: str, token: str, file_ok: bool) -> None:
        """The keyring; else the 0600 file if the user agreed; else memory until quit."""
        try:
            where = self.tokens.set(relay_url, token, file_ok)
            log.info("token stored in the %s", where)
            self.session.session_token = ""
        except PermissionError:
            log.info("token kept for this session only (no keyring, no file consent)")
            self.session.session_token = token

    def test_connection(self, prefs: Preferences, token: str, dialog: SettingsDialog) -> None:
        token = token or self.token()
        addresses = relay_addresses(prefs.relay_url)
        language = self.session.language

        async def probe() -> Me:
            # Its own client: the settings being tested are not saved yet.
            api = RelayApi(addresses[0] if addresses else "", token, prefs.ca_file)
            try:
                return await api.me()
            finally:
                await api.aclose()

        def ok(me: Me) -> None:
            if prefs.ext and me.ext != prefs.ext:
                dialog.test_result(error_text(ApiError("wrong_ext", me.ext), language), False)
                return
            dialog.test_result(self.tr("Connected: {name}, ext. {ext}").format(
                name=me.name, ext=me.ext), True)

        def failed(error: ApiError) -> None:
            dialog.test_result(error_text(error, language), False)

        self.bridge.run(probe, ok, failed)
