"""One-click enrolment, the app's side: a link (argv, `trubka enroll`, another launch, or
Paste enrolment link) → the code exchanged at the relay → the token kept, relay and
extension filled in, connected, and a short "Trubka connected: ext. 100".

Nothing in the settings changes unless the exchange succeeded. The code and the token
never reach a log line (desktop/logs.py masks them too, should one slip in).
"""

from __future__ import annotations

import logging
from dataclasses import replace
from urllib.parse import urlsplit

from PySide6.QtCore import QObject, Signal

from trubka.desktop.api import ApiError, Enrolment, enroll
from trubka.desktop.bridge import RelayBridge
from trubka.desktop.enrol import BadLink, EnrolLink, parse_link, same_relay
from trubka.desktop.errors import error_text
from trubka.desktop.qtcompat import emit
from trubka.desktop.services import Confirmer, Notifier
from trubka.desktop.session import Session
from trubka.desktop.settings import PreferenceStore, TokenStore
from trubka.desktop.views.dialogs import DialogKeeper
from trubka.desktop.views.settings_dialog import SettingsDialog

log = logging.getLogger("trubka.desktop.enrolment")


class EnrolmentController(QObject):
    """Signals:

    * `enrolled(str)`: signed in through a link, as this extension; settings saved.
    * `refused(str)`: the link was refused or the exchange failed; what people read.
    * `relay_changed()`: the new relay and token are in force — reconnect.
    """

    enrolled = Signal(str)
    refused = Signal(str)
    relay_changed = Signal()

    def __init__(self, session: Session, bridge: RelayBridge, store: PreferenceStore,
                 tokens: TokenStore, confirmer: Confirmer, notifier: Notifier,
                 dialogs: DialogKeeper, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session, self.bridge, self.store, self.tokens = session, bridge, store, tokens
        self.confirmer, self.notifier, self.dialogs = confirmer, notifier, dialogs

    def handle(self, text: str) -> None:
        """Check the link and, if the user agrees where needed, exchange its code."""
        try:
            link = parse_link(text)
        except BadLink as exc:
            log.warning("enrolment link refused: %s", exc)
            self._refuse(self.tr("This is not an enrolment link, or it is incomplete. Copy "
                                 "the whole link from your administrator's message."))
            return
        prefs = self.session.prefs
        if "relay_url" in self.store.defaults.locked and not same_relay(link.relay,
                                                                        prefs.relay_url):
            log.warning("enrolment link for %s refused: the relay address is locked",
                        link.host)
            self._refuse(self.tr(
                "This link is for {host}, but your administrator fixed Trubka's relay to "
                "{current}. Ask your administrator for a link to {current}.").format(
                    host=link.host, current=_host(prefs.relay_url)))
            return
        if prefs.relay_url and not same_relay(link.relay, prefs.relay_url) and \
                not self._confirm(link):
            log.info("enrolment at %s declined by the user", link.host)
            self._refuse(self.tr("Nothing was changed."))
            return
        log.info("enrolling at %s", link.host)
        ca_file = prefs.ca_file if same_relay(link.relay, prefs.relay_url) else ""
        self.bridge.run(lambda: enroll(link.relay, link.code, ca_file),
                        lambda result: self._enrolled(link, result), self._failed)

    def _confirm(self, link: EnrolLink) -> bool:
        """A link replacing a different relay could be a rogue one: show its host."""
        return self.confirmer.ask(self.tr("Connect to another relay?"), self.tr(
            "This link connects Trubka to {host} instead of {current}, as the user the "
            "link was made for. Continue only if your administrator sent it.").format(
                host=link.host, current=_host(self.session.prefs.relay_url)))

    def _enrolled(self, link: EnrolLink, result: Enrolment) -> None:
        # The relay's own public address, if it is the one the link named; else the
        # address the link used (the user saw that host).
        relay = result.relay if same_relay(result.relay, link.relay) else link.relay
        prefs = replace(self.session.prefs, relay_url=relay, ext=result.ext)
        try:
            where = self.tokens.set(relay, result.token, prefs.token_file_ok)
            log.info("enrolled as ext %s at %s; token stored in the %s", result.ext,
                     link.host, where)
            self.session.session_token = ""
        except PermissionError:
            log.info("enrolled as ext %s at %s; token kept for this session only (no "
                     "keyring, no file consent)", result.ext, link.host)
            self.session.session_token = result.token
        self.store.save(prefs)
        self.session.set_prefs(self.store.load())
        emit(self.relay_changed)
        text = self.tr("Trubka connected: ext. {ext}").format(ext=result.ext)
        self.notifier.info(self.tr("Trubka"), text)
        for dialog in self._settings_dialogs():
            dialog.enrolled(self.session.prefs)
            dialog.enrol_result(text, True)
        emit(self.enrolled, result.ext)

    def _failed(self, error: ApiError) -> None:
        log.warning("enrolment failed: %s", error.kind)
        self._refuse(error_text(error, self.session.language))

    def _refuse(self, text: str) -> None:
        self.notifier.error(self.tr("Enrolment link"), text)
        for dialog in self._settings_dialogs():
            dialog.enrol_result(text, False)
        emit(self.refused, text)

    def _settings_dialogs(self) -> list[SettingsDialog]:
        return [d for d in self.dialogs.open if isinstance(d, SettingsDialog)]


def _host(relay_url: str) -> str:
    first = relay_url.split()[0] if relay_url.strip() else ""
    return urlsplit(first.rstrip(",;")).netloc or relay_url
