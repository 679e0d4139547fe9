"""The address book: search over REST, create/edit/delete, the contact dialog."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject

from trubka.core.contacts import Contact
from trubka.desktop.api import ApiError
from trubka.desktop.bridge import RelayBridge
from trubka.desktop.errors import error_text, failure_reporter
from trubka.desktop.models.contacts import ContactsModel
from trubka.desktop.services import Notifier
from trubka.desktop.session import Session
from trubka.desktop.views.dialogs import DialogKeeper
from trubka.desktop.views.directory import AddressBookPage, ContactDialog

log = logging.getLogger("trubka.desktop.contacts")
SEARCH_LIMIT = 100


class ContactsController(QObject):
    def __init__(self, session: Session, bridge: RelayBridge, model: ContactsModel,
                 page: AddressBookPage, notifier: Notifier, dialogs: DialogKeeper,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.bridge = bridge
        self.model = model
        self.page = page
        self.notifier = notifier
        self.dialogs = dialogs
        self._failed = failure_reporter(notifier, lambda: session.language)

    def search(self, query: str) -> None:
        self.bridge.call(lambda api: api.contacts(query, SEARCH_LIMIT), self.model.set_rows,
                         self._failed)

    def refresh(self) -> None:
        """Search again for what the address book shows (the book changed)."""
        self.search(self.page.search.text())

    def save(self, contact: Contact, on_saved: Callable[[Contact], None] | None = None,
             on_failed: Callable[[str], None] | None = None) -> None:
        def saved(c: Contact) -> None:
            log.info("contact %s saved", c.id)
            self.refresh()
            if on_saved:
                on_saved(c)

        def failed(error: ApiError) -> None:
            text = error_text(error, self.session.language)
            if on_failed:
                on_failed(text)
            else:
                self.notifier.error(self.tr("Contact not saved"), text)

        self.bridge.call(lambda api: api.save_contact(contact), saved, failed)

    def delete(self, contact_id: int) -> None:
        self.bridge.call(lambda api: api.delete_contact(contact_id),
                         lambda _r: self.refresh(), self._failed)

    def open_dialog(self, contact: Contact) -> ContactDialog:
        dialog = ContactDialog(contact, self.session.country)
        dialog.save_requested.connect(
            lambda c: self.save(c, lambda _c: dialog.accept(), dialog.failed))
        self.dialogs.keep(dialog)
        dialog.show()
        return dialog
