"""Settings (F6): validation refuses bad values in place; the token goes to the keyring,
or — only with consent — to a labelled 0600 file; Test connection names the failure."""

from __future__ import annotations

import stat
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from tests.desktop.conftest import Desktop, FakeKeyring
from trubka.desktop.settings import (
    TOKEN_FILE_HEADER,
    Preferences,
    PreferenceStore,
    TokenStore,
    validate,
)
from trubka.desktop.views.settings_dialog import SettingsDialog

GOOD = replace(Preferences(), relay_url="https://relay.example.ru", ext="100")


@pytest.mark.parametrize(("field", "value"), [
    ("relay_url", "relay.example.ru"),
    ("relay_url", "ftp://relay.example.ru"),
    ("relay_url", "http://relay.example.ru"),
    ("relay_url", "https://"),
    ("relay_url", "https://relay.example.ru/?x=1"),
    ("ext", "10 a"),
    ("ext", "-100"),
    ("ext", "1" * 33),
    ("search_template", "https://yandex.ru/search/"),
    ("search_template", "https://yandex.ru/search/?text={number}"),
    ("search_template", "javascript:alert({phone})"),
    ("search_template", "https://yandex.ru/search/?text={phone"),
    ("crm_template", "https://crm.example.ru/card"),
    ("crm_template", "file:///etc/passwd?{phone}"),
    ("default_country", "XX"),
    ("window_seconds", 0),
    ("ca_file", "/no/such/file.pem"),
])
def test_validation_refuses(field: str, value: Any) -> None:
    """Bad URLs, extensions, templates and values are refused with a reason."""
    errors = validate(replace(GOOD, **{field: value}))
    assert errors.get(field)


def test_validation_accepts_good_values() -> None:
    """Loopback http, https, an e1c CRM link and a templated search are all fine."""
    assert validate(GOOD) == {}
    assert validate(replace(GOOD, relay_url="http://127.0.0.1:8765")) == {}
    assert validate(replace(GOOD, crm_template="e1c://server/base#{phone}")) == {}
    assert validate(replace(GOOD, search_template="https://google.com/search?q={digits}")) == {}


def test_dialog_marks_fields_and_disables_ok(qtbot: Any) -> None:
    """The dialog marks an invalid field in place and keeps OK disabled; fixed, it saves."""
    dialog = SettingsDialog(GOOD, has_token=True, has_keyring=True)
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert ok.isEnabled()
    dialog.ext.setText("ab c")
    assert not ok.isEnabled()
    assert dialog.error_labels["ext"].text() == (
        "An extension is up to 32 letters, digits, dots, dashes or underscores")
    assert not dialog.error_labels["ext"].isHidden()
    saved: list[Any] = []
    dialog.saved.connect(lambda p, t, f: saved.append((p, t, f)))
    dialog.accept_if_valid()
    assert saved == []
    dialog.ext.setText("101")
    dialog.search_template.setText("https://duckduckgo.com/?q={phone}")
    assert "%2B79991234567" in dialog.search_preview.text()
    assert ok.isEnabled()
    dialog.accept_if_valid()
    assert saved and saved[0][0].ext == "101"


def test_keyring_stores_token(tmp_path: Path) -> None:
    """With a keyring the token goes there, and nothing is written to the profile."""
    keyring = FakeKeyring()
    tokens = TokenStore(tmp_path, backend=keyring)
    assert tokens.set("https://relay.example.ru", "trk_secret") == "keyring"
    assert tokens.get("https://relay.example.ru") == "trk_secret"
    assert not (tmp_path / "token").exists()


def test_no_keyring_needs_consent_then_labelled_file(tmp_path: Path) -> None:
    """Without a keyring the file fallback needs consent; the file is 0600 and labelled."""
    tokens = TokenStore(tmp_path, use_keyring=False)
    assert not tokens.has_keyring
    with pytest.raises(PermissionError):
        tokens.set("https://relay.example.ru", "trk_secret")
    assert tokens.set("https://relay.example.ru", "trk_secret", file_ok=True) == "file"
    path = tmp_path / "token"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text().startswith(TOKEN_FILE_HEADER)
    assert tokens.get("https://relay.example.ru") == "trk_secret"
    assert tokens.get("https://other.example.ru") == ""


def test_dialog_says_when_no_keyring(qtbot: Any) -> None:
    """Without a keyring the dialog says so and offers the explicit file option."""
    dialog = SettingsDialog(GOOD, has_token=False, has_keyring=False)
    qtbot.addWidget(dialog)
    assert "No system keyring found" in dialog.keyring_note.text()
    assert not dialog.token_file_ok.isHidden()


def test_keyringless_app_keeps_token_for_session(desktop: Desktop, pz_relay: Any,
                                                 qtbot: Any, tmp_path: Path) -> None:
    """No keyring, no consent: the app still signs in, keeping the token in memory only."""
    token = pz_relay.add_user("Сотрудник", "100")
    app = desktop.make("", "", keyring=False)
    app.start()
    assert app.menu.status_action.text().startswith("Not set up")
    app.settings.apply(replace(app.session.prefs, relay_url=pz_relay.url, ext="100"), token, False)
    qtbot.waitUntil(lambda: app.session.me is not None, timeout=10_000)
    assert app.session.session_token == token
    assert not (tmp_path / "profile" / "token").exists()
    assert PreferenceStore(tmp_path / "profile").load().relay_url == pz_relay.url


def test_test_connection_names_failures(desktop: Desktop, pz_relay: Any, qtbot: Any) -> None:
    """Test connection reports 401, a refused port and a wrong extension precisely."""
    token = pz_relay.add_user("Сотрудник", "100")
    app = desktop.start(desktop.make(pz_relay.url, token))
    dialog = app.settings.open()
    label = dialog.test_result_label

    def probe(prefs: Preferences, tok: str) -> str:
        label.setText("")
        app.settings.test_connection(prefs, tok, dialog)
        qtbot.waitUntil(lambda: label.text() != "", timeout=10_000)
        return label.text()

    assert probe(replace(app.session.prefs, ext="100"), token).startswith("Connected")
    assert "does not accept this token" in probe(app.session.prefs, "trk_wrong-token-123")
    assert "refused" in probe(replace(app.session.prefs, relay_url="http://127.0.0.1:9"), token)
    assert "extension 100" in probe(replace(app.session.prefs, ext="101"), token)


def test_preferences_round_trip(tmp_path: Path) -> None:
    """Saved preferences load back; a hand-broken value falls back to its default."""
    store = PreferenceStore(tmp_path)
    prefs = replace(GOOD, incoming="answered", notifications=True, window_seconds=25,
                    crm_template="https://crm.example.ru/?p={digits}")
    store.save(prefs)
    assert store.load() == prefs
    text = store.path.read_text().replace("window_seconds = 25", "window_seconds = 9999")
    store.path.write_text(text)
    assert store.load().window_seconds == 10
    store.save_since("https://relay.example.ru", 42)
    assert store.load_since("https://relay.example.ru") == 42
    assert store.load_since("https://other.example.ru") is None
