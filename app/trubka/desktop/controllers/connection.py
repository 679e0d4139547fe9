"""The link to the relay as the GUI sees it: (re)connect with the saved settings, show the
state in the tray, learn who we are once connected, DND, and saving `since`."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from PySide6.QtCore import QObject, QTimer, Signal

from trubka.desktop.api import ApiError, Me
from trubka.desktop.bridge import LinkState, LinkStatus, RelayBridge
from trubka.desktop.errors import error_text, failure_reporter
from trubka.desktop.qtcompat import emit
from trubka.desktop.services import Notifier
from trubka.desktop.session import Session
from trubka.desktop.settings import PreferenceStore, TokenStore
from trubka.desktop.views.tray import Presence, TrayMenu, status_line

log = logging.getLogger("trubka.desktop.connection")


class ConnectionController(QObject):
    """Signals:

    * `connected()`: the link came up (again): what the relay holds is worth re-reading.
    * `needs_setup()`: there is no relay address or token to connect with.
    """

    connected = Signal()
    needs_setup = Signal()

    def __init__(self, session: Session, bridge: RelayBridge, store: PreferenceStore,
                 tokens: TokenStore, presence: Presence, menu: TrayMenu, notifier: Notifier,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.bridge = bridge
        self.store = store
        self.tokens = tokens
        self.presence = presence
        self.menu = menu
        self.notifier = notifier
        self._since: tuple[str, int] | None = None  # (relay setting, seq) not yet saved
        self._dnd_changes = 0
        self._failed = failure_reporter(notifier, lambda: session.language)
        self._save_since = QTimer(self, singleShot=True, interval=1000)
        self._save_since.timeout.connect(self.save_since)

    @property
    def status(self) -> LinkStatus:
        return self.session.status

    def token(self) -> str:
        return self.session.session_token or self.tokens.get(self.session.prefs.relay_url)

    def connect_relay(self) -> None:
        """(Re)connect with the settings in force; without them, ask for them."""
        prefs = self.session.prefs
        token = self.token()
        self.save_since()  # what the old link reached, against the old relay
        self.bridge.configure(prefs.relay_url, token, prefs.ca_file,
                              self.store.load_since(prefs.relay_url))
        if not (prefs.relay_url and token):
            self.on_status(LinkStatus(LinkState.IDLE))
            emit(self.needs_setup)
            return
        self.bridge.start()

    def on_position(self, relay_key: str, seq: int) -> None:
        """The bridge passed frames on up to `seq`: saved at most once a second, and at
        quit."""
        self._since = (relay_key, seq)
        if not self._save_since.isActive():
            self._save_since.start()

    def save_since(self) -> None:
        self._save_since.stop()
        if self._since is not None:
            self.store.save_since(*self._since)
            self._since = None

    def on_status(self, status: LinkStatus) -> None:
        if self.session.quitting:
            return
        was = self.session.status.state
        self.session.status = status
        self.show_status()
        if status.state is LinkState.CONNECTED and was is not LinkState.CONNECTED:
            self.on_connected()
        if status.state is LinkState.SIGNED_OUT and was is not LinkState.SIGNED_OUT:
            self.notifier.error(self.tr("Signed out"), error_text(
                ApiError("unauthorized"), self.session.language))

    def show_status(self) -> None:
        status = self.session.status
        host = urlsplit(status.address or self.session.prefs.relay_url).hostname or ""
        ext = self.session.ext
        line = status_line(status, ext, host)
        tooltip = self.tr("Trubka — ext. {ext} — {line}").format(ext=ext or "?", line=line)
        self.presence.set_status(status, line, tooltip)

    def on_connected(self) -> None:
        self.bridge.call(lambda api: api.me(), self._got_me)
        emit(self.connected)

    def _got_me(self, me: Me) -> None:
        self.session.set_me(me)
        self.menu.dnd_action.setVisible(me.dnd_supported)
        prefs = self.session.prefs
        if prefs.ext and me.ext != prefs.ext:
            self.notifier.error(self.tr("Wrong extension"), error_text(
                ApiError("wrong_ext", me.ext), self.session.language))
        self.show_status()
        if me.dnd_supported:
            asked = self._dnd_changes

            def got_dnd(on: bool) -> None:
                if asked == self._dnd_changes:  # no toggle raced this reply
                    self._dnd_state(on)

            self.bridge.call(lambda api: api.get_dnd(), got_dnd)

    def set_dnd(self, on: bool) -> None:
        self._dnd_changes += 1
        self.bridge.call(lambda api: api.set_dnd(on), self._dnd_state, self._failed)

    def _dnd_state(self, on: bool) -> None:
        self.presence.dnd = on
        self.menu.dnd_action.blockSignals(True)
        self.menu.dnd_action.setChecked(on)
        self.menu.dnd_action.blockSignals(False)
        self.presence.refresh(None)
