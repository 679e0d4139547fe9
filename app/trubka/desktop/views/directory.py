"""Address book (F4) and call journal (F5): one window, two tabs. Pages emit requests;
the app runs them through the bridge and feeds the models."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStackedLayout,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from trubka.core.contacts import Contact, ContactInvalid, validate
from trubka.core.model import JournalEntry
from trubka.core.numbers import display
from trubka.desktop.models.contacts import ContactsModel
from trubka.desktop.models.journal import JournalModel
from trubka.desktop.qtcompat import emit

SEARCH_DELAY_MS = 200


# The reasons core.contacts.validate gives for the fields a person edits, worded for them.
FIELD_LABELS = {"name": QT_TRANSLATE_NOOP("ContactForm", "Name"),
                "company": QT_TRANSLATE_NOOP("ContactForm", "Company"),
                "phones": QT_TRANSLATE_NOOP("ContactForm", "Numbers"),
                "email": QT_TRANSLATE_NOOP("ContactForm", "E-mail"),
                "responsible_ext": QT_TRANSLATE_NOOP("ContactForm", "Responsible"),
                "crm_url": QT_TRANSLATE_NOOP("ContactForm", "CRM link"),
                "note": QT_TRANSLATE_NOOP("ContactForm", "Note")}


class ContactForm(QWidget):
    """Edit one contact; numbers one per line. `value()` checks it the one way every
    contact is checked (core.contacts.validate) and builds the Contact."""

    def __init__(self, country: str = "RU", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.country = country
        self.contact_id: int | None = None
        form = QFormLayout(self)
        self.name = QLineEdit()
        self.company = QLineEdit()
        self.phones = QPlainTextEdit()
        self.phones.setFixedHeight(60)
        self.email = QLineEdit()
        self.responsible = QLineEdit()
        self.responsible.setPlaceholderText(self.tr("extension, e.g. 100"))
        self.crm_url = QLineEdit()
        self.note = QPlainTextEdit()
        self.note.setFixedHeight(60)
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Company"), self.company)
        form.addRow(self.tr("Numbers"), self.phones)
        form.addRow(self.tr("E-mail"), self.email)
        form.addRow(self.tr("Responsible"), self.responsible)
        form.addRow(self.tr("CRM link"), self.crm_url)
        form.addRow(self.tr("Note"), self.note)

    def load(self, c: Contact) -> None:
        self.contact_id = c.id
        self.name.setText(c.name)
        self.company.setText(c.company)
        self.phones.setPlainText("\n".join(p.raw for p in c.phones))
        self.email.setText(c.email)
        self.responsible.setText(c.responsible_ext)
        self.crm_url.setText(c.crm_url)
        self.note.setPlainText(c.note)

    def fields(self) -> dict[str, object]:
        return {"name": self.name.text(), "company": self.company.text(),
                "phones": [p for p in self.phones.toPlainText().splitlines() if p.strip()],
                "email": self.email.text(), "responsible_ext": self.responsible.text(),
                "note": self.note.toPlainText(), "crm_url": self.crm_url.text()}

    def problems(self) -> str:
        """What is wrong, for people (empty when the contact can be saved)."""
        if not self.name.text().strip():
            return self.tr("A contact needs a name.")
        try:
            validate(self.fields(), self.country, self.contact_id)
        except ContactInvalid as exc:
            field, reason = next(iter(exc.problems.items()))
            label = QCoreApplication.translate("ContactForm", str(FIELD_LABELS.get(field, field)))
            return self.tr("{field}: {reason}").format(field=label, reason=reason)
        return ""

    def value(self) -> Contact:
        """The contact as validated; call `problems()` first."""
        return validate(self.fields(), self.country, self.contact_id)


class ContactDialog(QDialog):
    """"Create contact" from a call window: the number already filled in."""

    save_requested = Signal(Contact)

    def __init__(self, contact: Contact, country: str = "RU",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("New contact") if contact.id is None else contact.name)
        self.form = ContactForm(country)
        self.form.load(contact)
        self.error = QLabel()
        self.error.setStyleSheet("color: #d23b3b")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def submit(self) -> None:
        problem = self.form.problems()
        self.error.setText(problem)
        if not problem:
            emit(self.save_requested, self.form.value())

    def failed(self, text: str) -> None:
        self.error.setText(text)


class AddressBookPage(QWidget):
    """Signals: `search_requested(str)` (the text typed, debounced), `dial_requested(str)`
    (a number), `save_requested(Contact)`, `delete_requested(int)` (a contact id)."""

    search_requested = Signal(str)
    dial_requested = Signal(str)
    save_requested = Signal(Contact)
    delete_requested = Signal(int)

    def __init__(self, model: ContactsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search by name, company or number"))
        self.search.setClearButtonEnabled(True)
        self._debounce = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._debounce.timeout.connect(lambda: emit(self.search_requested, self.search.text()))
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.search.returnPressed.connect(self.dial_selected)
        self.table = QTableView()
        self.table.setModel(model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.doubleClicked.connect(lambda _i: self.dial_selected())
        self.table.selectionModel().currentRowChanged.connect(self._selected)
        model.modelReset.connect(self._reset)
        self.empty = QLabel(self.tr("No contacts found. Create one with “New contact”."))
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedLayout()
        holder = QWidget()
        holder.setLayout(self.stack)
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)
        splitter = QSplitter()
        splitter.addWidget(holder)
        splitter.addWidget(self._side_panel(model.country))
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(splitter)
        QShortcut(QKeySequence.StandardKey.Find, self, self.search.setFocus)
        QShortcut(QKeySequence(Qt.Key.Key_Return), self.table, self.dial_selected)

    def _side_panel(self, country: str) -> QWidget:
        """The selected contact's numbers (click to dial) and its form."""
        side = QWidget()
        side_layout = QVBoxLayout(side)
        self.numbers = QVBoxLayout()
        side_layout.addLayout(self.numbers)
        self.form = ContactForm(country)
        side_layout.addWidget(self.form)
        self.error = QLabel()
        self.error.setStyleSheet("color: #d23b3b")
        side_layout.addWidget(self.error)
        row = QHBoxLayout()
        self.new_button = QPushButton(self.tr("New contact"))
        self.save_button = QPushButton(self.tr("Save"))
        self.delete_button = QPushButton(self.tr("Delete"))
        for b in (self.new_button, self.save_button, self.delete_button):
            row.addWidget(b)
        side_layout.addLayout(row)
        side_layout.addStretch(1)
        self.new_button.clicked.connect(self.new_contact)
        self.save_button.clicked.connect(self._save)
        self.delete_button.clicked.connect(self._delete)
        return side

    def _reset(self) -> None:
        self.stack.setCurrentIndex(0 if self.model.rows else 1)

    def selected(self) -> Contact | None:
        index = self.table.currentIndex()
        return self.model.contact(index.row()) if index.isValid() else None

    def _selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        c = self.model.contact(current.row())
        while self.numbers.count():
            item = self.numbers.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        if c is None:
            return
        self.form.load(c)
        for phone in c.phones:
            button = QPushButton("☎ " + display(phone.canonical))
            button.setToolTip(self.tr("Call this number"))
            button.clicked.connect(
                lambda _=False, p=phone.canonical: emit(self.dial_requested, p))
            self.numbers.addWidget(button)

    def dial_selected(self) -> None:
        c = self.selected() or self.model.contact(0)
        if c is not None and c.phones:
            emit(self.dial_requested, c.phones[0].canonical)

    def new_contact(self) -> None:
        self.table.clearSelection()
        self.form.load(Contact(None, ""))
        self.form.name.setFocus()

    def _save(self) -> None:
        problem = self.form.problems()
        self.error.setText(problem)
        if not problem:
            emit(self.save_requested, self.form.value())

    def _delete(self) -> None:
        if self.form.contact_id is not None:
            emit(self.delete_requested, self.form.contact_id)


class JournalPage(QWidget):
    filter_changed = Signal(str)
    dial_requested = Signal(str)
    open_url = Signal(str)
    more_requested = Signal()

    FILTERS = ("all", "missed", "in", "out")

    def __init__(self, model: JournalModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.filter = QComboBox()
        for key, text in zip(self.FILTERS, (self.tr("All calls"), self.tr("Missed"),
                                            self.tr("Incoming"), self.tr("Outgoing")),
                             strict=True):
            self.filter.addItem(text, key)
        self.filter.currentIndexChanged.connect(
            lambda _i: emit(self.filter_changed, self.filter.currentData()))
        self.table = QTableView()
        self.table.setModel(model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableView.EditTrigger.DoubleClicked
                                   | QTableView.EditTrigger.EditKeyPressed)
        self.table.clicked.connect(self._clicked)
        self.empty = QLabel(self.tr("No calls yet — they will appear here automatically."))
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        model.modelReset.connect(self._reset)
        model.rowsInserted.connect(self._reset)
        self.stack = QStackedLayout()
        holder = QWidget()
        holder.setLayout(self.stack)
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)
        self.call_button = QPushButton(self.tr("Call back"))
        self.call_button.clicked.connect(self.dial_selected)
        self.more_button = QPushButton(self.tr("Older calls"))
        self.more_button.clicked.connect(lambda _=False: emit(self.more_requested))
        top = QHBoxLayout()
        top.addWidget(self.filter)
        top.addStretch(1)
        top.addWidget(self.call_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(holder)
        layout.addWidget(self.more_button)
        QShortcut(QKeySequence(Qt.Key.Key_Return), self.table, self.dial_selected)
        self._reset()

    def _reset(self) -> None:
        self.stack.setCurrentIndex(0 if self.model.rows else 1)

    def _clicked(self, index: QModelIndex) -> None:
        e = self.model.entry(index.row())
        if e is not None and index.column() == JournalModel.RECORDING and e.recording_url:
            emit(self.open_url, e.recording_url)

    def dial_selected(self) -> None:
        e = self.model.entry(self.table.currentIndex().row())
        if e is not None:
            emit(self.dial_requested, e.phone or e.phone_raw)


class DirectoryWindow(QWidget):
    def __init__(self, book: AddressBookPage, journal: JournalPage) -> None:
        super().__init__(None)
        self.setWindowTitle("Trubka")
        self.resize(900, 560)
        self.book, self.journal = book, journal
        self.tabs = QTabWidget()
        self.tabs.addTab(book, self.tr("Address book"))
        self.tabs.addTab(journal, self.tr("Call journal"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)

    def show_tab(self, which: str) -> None:
        self.tabs.setCurrentWidget(self.book if which == "book" else self.journal)
        self.show()
        self.raise_()
        self.activateWindow()
        if which == "book":
            self.book.search.setFocus()


class JournalCard(QDialog):
    """The post-call card (SPEC §5): the call's facts and a note to write."""

    note_saved = Signal(JournalEntry, str)  # the entry, its new note

    def __init__(self, entry: JournalEntry, summary: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entry = entry
        self.setWindowTitle(self.tr("Call"))
        self.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText(self.tr("What was the call about?"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Close)
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(summary))
        layout.addWidget(self.note)
        layout.addWidget(buttons)

    def _save(self) -> None:
        emit(self.note_saved, self.entry, self.note.toPlainText().strip())
        self.accept()
