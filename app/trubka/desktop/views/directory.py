"""Address book (F4) and call journal (F5): one window, two tabs. Pages emit requests;
the app runs them through the bridge and feeds the models."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
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

from trubka.core.numbers import display, try_normalize
from trubka.desktop.api import Contact
from trubka.desktop.models.contacts import ContactsModel
from trubka.desktop.models.journal import JournalModel
from trubka.desktop.qtcompat import emit

SEARCH_DELAY_MS = 200


class ContactForm(QWidget):
    """Edit one contact; numbers one per line. `value()` builds the Contact."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
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
        self.phones.setPlainText("\n".join(c.phones_raw or c.phones))
        self.email.setText(c.email)
        self.responsible.setText(c.responsible_ext)
        self.crm_url.setText(c.crm_url)
        self.note.setPlainText(c.note)

    def problems(self) -> str:
        if not self.name.text().strip():
            return self.tr("A contact needs a name.")
        for line in self.phones.toPlainText().splitlines():
            if line.strip() and try_normalize(line) is None:
                return self.tr("“{line}” is not a phone number.").format(line=line.strip())
        return ""

    def value(self) -> Contact:
        phones = [p.strip() for p in self.phones.toPlainText().splitlines() if p.strip()]
        return Contact(self.contact_id, self.name.text().strip(), self.company.text().strip(),
                       phones, [], self.email.text().strip(), self.responsible.text().strip(),
                       self.note.toPlainText().strip(), self.crm_url.text().strip())


class ContactDialog(QDialog):
    """"Create contact" from a call window: the number already filled in."""

    save_requested = Signal(object)  # Contact

    def __init__(self, contact: Contact, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("New contact") if contact.id is None else contact.name)
        self.form = ContactForm()
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
    search_requested = Signal(str)
    dial_requested = Signal(str)
    save_requested = Signal(object)  # Contact
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
        # the side panel: the selected contact's numbers (click to dial) and its form
        side = QWidget()
        side_layout = QVBoxLayout(side)
        self.numbers = QVBoxLayout()
        side_layout.addLayout(self.numbers)
        self.form = ContactForm()
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
        splitter = QSplitter()
        splitter.addWidget(holder)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(splitter)
        QShortcut(QKeySequence.StandardKey.Find, self, self.search.setFocus)
        QShortcut(QKeySequence(Qt.Key.Key_Return), self.table, self.dial_selected)

    def _reset(self) -> None:
        self.stack.setCurrentIndex(0 if self.model.rows else 1)

    def selected(self) -> Contact | None:
        index = self.table.currentIndex()
        return self.model.contact(index.row()) if index.isValid() else None

    def _selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        c = self.model.contact(current.row())
        while self.numbers.count():
            item = self.numbers.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        if c is None:
            return
        self.form.load(c)
        for phone in c.phones:
            button = QPushButton("☎ " + display(phone))
            button.setToolTip(self.tr("Call this number"))
            button.clicked.connect(lambda _=False, p=phone: emit(self.dial_requested, p))
            self.numbers.addWidget(button)

    def dial_selected(self) -> None:
        c = self.selected() or self.model.contact(0)
        if c is not None and c.phones:
            emit(self.dial_requested, c.phones[0])

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

    note_saved = Signal(object, str)  # JournalEntry, note

    def __init__(self, entry: object, summary: str, parent: QWidget | None = None) -> None:
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
