"""Settings (F6): load / validate / save. Invalid fields are marked in place with the
reason and OK stays disabled, so a bad value is never saved."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from trubka.core import templates
from trubka.core.display_policy import JournalCard, WindowMoment
from trubka.desktop.qtcompat import emit
from trubka.desktop.settings import Preferences, validate
from trubka.desktop.views import named

SAMPLE = "+79991234567"


# The reasons settings.validate() and core.templates give, marked for translation.
REASONS = (
    QT_TRANSLATE_NOOP("Validation", "Enter the relay address, e.g. https://relay.example.ru"),
    QT_TRANSLATE_NOOP("Validation", "The address must start with https:// and name a host"),
    QT_TRANSLATE_NOOP("Validation",
                      "Use https:// — plain http is allowed only on this computer"),
    QT_TRANSLATE_NOOP("Validation",
                      "The address must not contain a query, fragment or user name"),
    QT_TRANSLATE_NOOP("Validation",
                      "An extension is up to 32 letters, digits, dots, dashes or underscores"),
    QT_TRANSLATE_NOOP("Validation", "Not a scheme a CRM link may use"),
    QT_TRANSLATE_NOOP("Validation", "No such file"),
    QT_TRANSLATE_NOOP("Validation", "The template must contain a placeholder such as {phone}"),
    QT_TRANSLATE_NOOP("Validation", "A two-letter country code such as RU"),
    QT_TRANSLATE_NOOP("Validation", "Between 1 and 600 seconds"),
    QT_TRANSLATE_NOOP("Validation", "Russian, English or the system language"),
    QT_TRANSLATE_NOOP("Validation", "Unknown choice"),
    QT_TRANSLATE_NOOP("Validation", "The token looks incomplete; paste it again"),
    QT_TRANSLATE_NOOP("Validation", "the template is empty"),
    QT_TRANSLATE_NOOP("Validation", "the address must start with https://, http:// or e1c://"),
    QT_TRANSLATE_NOOP("Validation", "the address has no host name"),
    QT_TRANSLATE_NOOP("Validation", "the template must contain {phone}, {digits} or {local}"),
)


def reason_text(reason: str) -> str:
    """Translate validate()'s English reasons (kept in English for logs and tests)."""
    return QCoreApplication.translate("Validation", reason)


class SettingsDialog(QDialog):
    """Signals:

    * `test_requested(Preferences, str)`: Test connection with these values and token.
    * `saved(Preferences, str, bool)`: OK — the values, the token typed ("" = unchanged),
      and whether the plain-file token fallback was accepted.
    * `enrol_requested(str)`: Paste enrolment link — the text from the clipboard.

    Keys in `locked` (company defaults) are shown read-only with a lock."""

    test_requested = Signal(Preferences, str)
    saved = Signal(Preferences, str, bool)
    enrol_requested = Signal(str)

    def __init__(self, prefs: Preferences, has_token: bool, has_keyring: bool,
                 log_folder: str = "", locked: frozenset[str] = frozenset(),
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Trubka settings"))
        self.prefs = prefs
        self.has_keyring = has_keyring
        self.locked = locked
        self.errors: dict[str, str] = {}
        self.widgets: dict[str, QWidget] = {}
        self.lock_labels: dict[str, QLabel] = {}
        self.error_labels: dict[str, QLabel] = {}
        self.tabs = QTabWidget()
        self._connection_tab(has_token)
        self._calls_tab()
        self._integration_tab()
        self._general_tab(log_folder)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept_if_valid)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.buttons)
        self.load(prefs)
        self._apply_locks()
        self._watch()

    # -- tabs ---------------------------------------------------------------------------

    def _field(self, form: QFormLayout, name: str, label: str, widget: QWidget) -> None:
        """One setting's row: the control, a lock note (if the company fixed it) and
        the reason it is refused (if it is)."""
        holder = QWidget()
        box = QVBoxLayout(holder)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(widget)
        self.widgets[name] = widget
        lock = named(QLabel(), f"locked_{name}")
        lock.hide()
        box.addWidget(lock)
        self.lock_labels[name] = lock
        error = named(QLabel(), f"error_{name}")
        error.setStyleSheet("color: #d23b3b")
        error.setWordWrap(True)
        error.hide()
        box.addWidget(error)
        self.error_labels[name] = error
        form.addRow(label, holder)

    def _connection_tab(self, has_token: bool) -> None:
        page = QWidget()
        form = QFormLayout(page)
        self.relay_url = QLineEdit(placeholderText="https://relay.example.ru")
        self.ext = QLineEdit(placeholderText="100")
        self.token = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.token.setPlaceholderText(self.tr("(saved)") if has_token else self.tr(
            "the token from your administrator"))
        self.ca_file = QLineEdit()
        self.ca_file.setPlaceholderText(self.tr("optional: your company's CA certificate file"))
        self._field(form, "relay_url", self.tr("Relay address"), self.relay_url)
        self._field(form, "ext", self.tr("Extension"), self.ext)
        self._field(form, "token", self.tr("Sign-in token"), self.token)
        self.keyring_note = QLabel()
        self.keyring_note.setWordWrap(True)
        self.token_file_ok = QCheckBox(self.tr("Keep the token in a file readable only by me"))
        if self.has_keyring:
            self.keyring_note.setText(self.tr("The token is kept in the system keyring."))
            self.token_file_ok.hide()
        else:
            self.keyring_note.setText(self.tr(
                "No system keyring found. Without it the token is kept only until Trubka "
                "quits, unless you allow a plain file (permissions 0600) in your profile."))
        form.addRow("", self.keyring_note)
        self._field(form, "token_file_ok", "", self.token_file_ok)
        self._field(form, "ca_file", self.tr("CA file"), self.ca_file)
        row = QHBoxLayout()
        self.test_button = QPushButton(self.tr("Test connection"))
        self.test_button.clicked.connect(
            lambda: emit(self.test_requested, self.current(), self.token.text().strip()))
        self.test_result_label = named(QLabel(), "test_result")
        self.test_result_label.setWordWrap(True)
        row.addWidget(self.test_button)
        row.addWidget(self.test_result_label, 1)
        form.addRow(row)
        self._enrol_row(form)
        self.tabs.addTab(page, self.tr("Connection"))

    def _enrol_row(self, form: QFormLayout) -> None:
        """For people who got the enrolment link by chat: copy it, press this."""
        row = QHBoxLayout()
        self.enrol_button = QPushButton(self.tr("Paste enrolment link"))
        self.enrol_button.setToolTip(self.tr(
            "Copy the link your administrator sent, then press this button"))
        self.enrol_button.clicked.connect(lambda: emit(
            self.enrol_requested, QGuiApplication.clipboard().text().strip()))
        self.enrol_result_label = named(QLabel(), "enrol_result")
        self.enrol_result_label.setWordWrap(True)
        row.addWidget(self.enrol_button)
        row.addWidget(self.enrol_result_label, 1)
        form.addRow(row)

    def _calls_tab(self) -> None:
        page = QWidget()
        form = QFormLayout(page)
        self.incoming = QComboBox()
        for value, text in ((WindowMoment.NEVER, self.tr("never")),
                            (WindowMoment.START, self.tr("when the call arrives")),
                            (WindowMoment.ANSWERED, self.tr("when the handset is lifted")),
                            (WindowMoment.ENDED, self.tr("when the conversation ends"))):
            self.incoming.addItem(text, value.value)
        self.outgoing = QComboBox()
        for value, text in ((WindowMoment.NEVER, self.tr("never")),
                            (WindowMoment.START, self.tr("when the call starts")),
                            (WindowMoment.ANSWERED, self.tr("when answered")),
                            (WindowMoment.ENDED, self.tr("when the conversation ends"))):
            self.outgoing.addItem(text, value.value)
        self.journal_card = QComboBox()
        for card, text in ((JournalCard.NEVER, self.tr("never")),
                           (JournalCard.IN, self.tr("incoming only")),
                           (JournalCard.OUT, self.tr("outgoing only")),
                           (JournalCard.BOTH, self.tr("incoming and outgoing"))):
            self.journal_card.addItem(text, card.value)
        self.notifications = QCheckBox(self.tr("Also show notifications"))
        self.window_seconds = QSpinBox(minimum=1, maximum=600, suffix=self.tr(" s"))
        self.confirm_links = QCheckBox(self.tr("Ask before calling a link from another app"))
        self._field(form, "incoming", self.tr("Show the incoming call window"), self.incoming)
        self._field(form, "outgoing", self.tr("Show the outgoing call window"), self.outgoing)
        self._field(form, "journal_card", self.tr("Show the journal card after a call"),
                    self.journal_card)
        self._field(form, "notifications", "", self.notifications)
        self._field(form, "window_seconds", self.tr("Keep ended calls on screen"),
                    self.window_seconds)
        self._field(form, "confirm_links", "", self.confirm_links)
        self.tabs.addTab(page, self.tr("Calls"))

    def _integration_tab(self) -> None:
        page = QWidget()
        form = QFormLayout(page)
        self.search_template = QLineEdit()
        self.crm_template = QLineEdit(placeholderText="https://crm.example.ru/contacts?phone={phone}")
        self.default_country = QLineEdit(maxLength=2)
        self.search_preview = named(QLabel(), "search_preview")
        self.crm_preview = named(QLabel(), "crm_preview")
        for label in (self.search_preview, self.crm_preview):
            label.setWordWrap(True)
        self._field(form, "search_template", self.tr("Search URL"), self.search_template)
        form.addRow(self.tr("Preview"), self.search_preview)
        self._field(form, "crm_template", self.tr("CRM URL"), self.crm_template)
        form.addRow(self.tr("Preview"), self.crm_preview)
        self.crm_schemes = QLineEdit(placeholderText="bitrix24, onec")
        self.crm_schemes.setToolTip(self.tr(
            "Links Trubka may open besides http, https and e1c (1C), separated by commas"))
        self._field(form, "crm_schemes", self.tr("Other CRM link types"), self.crm_schemes)
        form.addRow("", QLabel(self.tr("Placeholders: {phone}, {digits}, {local}, "
                                       "{contact_id}, {name}")))
        self._field(form, "default_country", self.tr("Default country"), self.default_country)
        self.tabs.addTab(page, self.tr("Integration"))

    def _general_tab(self, log_folder: str) -> None:
        page = QWidget()
        form = QFormLayout(page)
        self.language = QComboBox()
        for value, text in (("system", self.tr("System language")), ("ru", "Русский"),
                            ("en", "English")):
            self.language.addItem(text, value)
        self.start_at_login = QCheckBox(self.tr("Start Trubka when I sign in"))
        self._field(form, "language", self.tr("Language"), self.language)
        self._field(form, "start_at_login", "", self.start_at_login)
        folder = QLabel(f'<a href="file://{log_folder}">{log_folder}</a>')
        folder.setOpenExternalLinks(True)
        form.addRow(self.tr("Log folder"), folder)
        self.tabs.addTab(page, self.tr("General"))

    # -- load / validate / save -----------------------------------------------------------

    def load(self, p: Preferences) -> None:
        self.relay_url.setText(p.relay_url)
        self.ext.setText(p.ext)
        self.ca_file.setText(p.ca_file)
        self.incoming.setCurrentIndex(max(0, self.incoming.findData(p.incoming)))
        self.outgoing.setCurrentIndex(max(0, self.outgoing.findData(p.outgoing)))
        self.journal_card.setCurrentIndex(max(0, self.journal_card.findData(p.journal_card)))
        self.notifications.setChecked(p.notifications)
        self.window_seconds.setValue(p.window_seconds)
        self.confirm_links.setChecked(p.confirm_links)
        self.search_template.setText(p.search_template)
        self.crm_template.setText(p.crm_template)
        self.crm_schemes.setText(p.crm_schemes)
        self.default_country.setText(p.default_country)
        self.language.setCurrentIndex(max(0, self.language.findData(p.language)))
        self.start_at_login.setChecked(p.start_at_login)
        self.token_file_ok.setChecked(p.token_file_ok)
        self.revalidate()

    def _watch(self) -> None:
        for w in (self.relay_url, self.ext, self.ca_file, self.search_template,
                  self.crm_template, self.crm_schemes, self.default_country, self.token):
            w.textChanged.connect(self.revalidate)
        self.window_seconds.valueChanged.connect(self.revalidate)

    def _apply_locks(self) -> None:
        """Settings the administrator fixed: read-only, with a lock and who set them."""
        note = self.tr("Set by your administrator")
        for name in sorted(self.locked & self.widgets.keys()):
            self.widgets[name].setEnabled(False)
            self.widgets[name].setToolTip(note)
            self.lock_labels[name].setText("🔒 " + note)
            self.lock_labels[name].show()

    def current(self) -> Preferences:
        shown = replace(
            self.prefs, relay_url=self.relay_url.text().strip(), ext=self.ext.text().strip(),
            ca_file=self.ca_file.text().strip(), incoming=self.incoming.currentData(),
            outgoing=self.outgoing.currentData(), journal_card=self.journal_card.currentData(),
            notifications=self.notifications.isChecked(),
            window_seconds=self.window_seconds.value(),
            confirm_links=self.confirm_links.isChecked(),
            search_template=self.search_template.text().strip(),
            crm_template=self.crm_template.text().strip(),
            crm_schemes=self.crm_schemes.text().strip(),
            default_country=self.default_country.text().strip().upper(),
            language=self.language.currentData(),
            start_at_login=self.start_at_login.isChecked(),
            token_file_ok=self.token_file_ok.isChecked())
        # What the administrator fixed stays as it is, whatever a control says.
        return replace(shown, **{k: getattr(self.prefs, k) for k in self.locked
                                 if hasattr(self.prefs, k)})

    def revalidate(self) -> dict[str, str]:
        p = self.current()
        self.errors = validate(p)
        token = self.token.text().strip()
        if token and (len(token) < 8 or any(ch.isspace() for ch in token)):
            self.errors["token"] = "The token looks incomplete; paste it again"
        for name, label in self.error_labels.items():
            reason = self.errors.get(name, "")
            label.setText(reason_text(reason))
            label.setVisible(bool(reason))
        for widget, template in ((self.search_preview, p.search_template),
                                 (self.crm_preview, p.crm_template)):
            try:
                templates.validate(template, required=(), allow_empty=True)
                widget.setText(templates.expand(template, SAMPLE, p.default_country or "RU",
                                                contact_id=42, name="Иванов")
                               if template else "")
            except (templates.TemplateError, KeyError, IndexError, ValueError):
                widget.setText("")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not self.errors)
        return self.errors

    def accept_if_valid(self) -> None:
        if self.revalidate():
            return
        emit(self.saved, self.current(), self.token.text().strip(),
                        self.token_file_ok.isChecked())
        self.accept()

    def test_result(self, text: str, ok: bool) -> None:
        _show_result(self.test_result_label, text, ok)

    def enrol_result(self, text: str, ok: bool) -> None:
        _show_result(self.enrol_result_label, text, ok)

    def enrolled(self, prefs: Preferences) -> None:
        """Enrolment replaced the connection settings: show them, the token saved."""
        self.prefs = prefs
        self.load(prefs)
        self.token.clear()
        self.token.setPlaceholderText(self.tr("(saved)"))


def _show_result(label: QLabel, text: str, ok: bool) -> None:
    label.setStyleSheet(f"color: {'#2e9d4f' if ok else '#d23b3b'}")
    label.setText(text)
