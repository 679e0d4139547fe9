"""What the controllers share on the GUI thread: the preferences in force, the user the
relay says we are, the link's state and the language. One owner (the GUI thread), read by
every controller it is passed to; changes are announced by signals."""

from __future__ import annotations

from PySide6.QtCore import QLocale, QObject, Signal

from trubka.desktop.api import Me
from trubka.desktop.bridge import LinkState, LinkStatus
from trubka.desktop.qtcompat import emit
from trubka.desktop.settings import Preferences


def effective_language(setting: str) -> str:
    if setting in ("ru", "en"):
        return setting
    return "ru" if QLocale.system().name().lower().startswith("ru") else "en"


class Session(QObject):
    """Signals:

    * `prefs_changed(Preferences)`: new preferences are in force (saved by Settings).
    * `me_changed(Me)`: the relay told us who the token belongs to.
    """

    prefs_changed = Signal(Preferences)
    me_changed = Signal(Me)

    def __init__(self, prefs: Preferences, session_token: str = "",
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.prefs = prefs
        self.language = effective_language(prefs.language)  # applied at the next start
        self.session_token = session_token  # --token, or kept in memory without a keyring
        self.me: Me | None = None
        self.status = LinkStatus(LinkState.IDLE)
        self.quitting = False

    @property
    def country(self) -> str:
        return self.prefs.default_country or (self.me.default_country if self.me else "RU")

    @property
    def ext(self) -> str:
        return self.me.ext if self.me else self.prefs.ext

    def set_prefs(self, prefs: Preferences) -> None:
        self.prefs = prefs
        emit(self.prefs_changed, prefs)

    def set_me(self, me: Me) -> None:
        self.me = me
        emit(self.me_changed, me)
