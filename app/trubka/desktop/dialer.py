"""Click-to-call (F3): validate the number, ask first when a link came from another app,
send one makeCall through the relay, and show the outcome — errors verbatim."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal

from trubka.core.numbers import InvalidNumber, display, parse_dial_url
from trubka.desktop.api import ApiError
from trubka.desktop.bridge import RelayBridge
from trubka.desktop.errors import error_text
from trubka.desktop.qtcompat import emit
from trubka.desktop.services import Confirmer, Notifier
from trubka.desktop.session import Session

log = logging.getLogger("trubka.desktop.dial")

SOURCES = ("app", "command", "url")


class Dialer(QObject):
    """Signal `finished(str, object)`: the canonical number dialled, and None when the
    PBX is calling or the ApiError that stopped it."""

    finished = Signal(str, object)

    def __init__(self, bridge: RelayBridge, notifier: Notifier, confirmer: Confirmer,
                 session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.notifier = notifier
        self.confirmer = confirmer
        self.session = session

    def dial(self, text: str, source: str = "app") -> bool:
        """Returns False when nothing was sent (invalid, declined)."""
        try:
            number = parse_dial_url(text, self.session.country)
        except InvalidNumber:
            log.warning("dial refused: not a number %r (from %s)", text[:80], source)
            self.notifier.error(self.tr("Cannot call"), self.tr(
                "“{text}” is not a phone number.").format(text=text[:80]))
            return False
        shown = display(number.canonical, self.session.country)
        if source == "url" and self.session.prefs.confirm_links:
            question = self.tr("Another application asks to call {number}. Call?").format(
                number=shown)
            if not self.confirmer.ask(self.tr("Call"), question):
                log.info("dial %s from a link: declined by the user", number.canonical)
                return False
        log.info("dial %s (from %s)", number.canonical, source)

        def ok(_result: object) -> None:
            log.info("dial %s: the PBX is calling", number.canonical)
            self.notifier.info(self.tr("Calling"), self.tr(
                "Your phone rings first, then {number}.").format(number=shown))
            emit(self.finished, number.canonical, None)

        def failed(error: ApiError) -> None:
            log.warning("dial %s: failed: %s", number.canonical, error.kind)
            self.notifier.error(self.tr("Call failed"), error_text(error, self.session.language))
            emit(self.finished, number.canonical, error)

        # The number goes out as the user saw it (the PBX may expect its national form);
        # the relay normalises it again.
        self.bridge.call(lambda api: api.dial(number.raw), ok, failed)
        return True
