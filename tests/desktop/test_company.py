"""Company defaults (issue 8 item 4): a system-wide trubka.ini read before the user's
settings; `locked` keys cannot be changed in the dialog nor by editing the user's file."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QComboBox, QLineEdit

from tests.desktop.conftest import Desktop
from trubka.desktop.defaults import company_defaults_paths, read_company_defaults
from trubka.desktop.settings import PreferenceStore
from trubka.desktop.views.settings_dialog import SettingsDialog

COMPANY = """[trubka]
relay_url = https://relay.company.ru
incoming = answered
window_seconds = 30
search_template = https://search.company.ru/?q={phone}
locked = relay_url, incoming
"""


def company_file(directory: Path, text: str = COMPANY) -> Path:
    path = directory / "trubka" / "trubka.ini"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def company(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """$XDG_CONFIG_DIRS = two temp dirs, the first holding the company's trubka.ini."""
    first, second = tmp_path / "xdg1", tmp_path / "xdg2"
    company_file(first)
    second.mkdir()
    monkeypatch.setenv("XDG_CONFIG_DIRS", f"{first}:{second}")
    return first


def test_where_company_defaults_live() -> None:
    """Every dir of $XDG_CONFIG_DIRS in order (default /etc/xdg); %ProgramData% on
    Windows."""
    assert company_defaults_paths("linux", {"XDG_CONFIG_DIRS": "/a:/b"}) == [
        Path("/a/trubka/trubka.ini"), Path("/b/trubka/trubka.ini")]
    assert company_defaults_paths("linux", {}) == [Path("/etc/xdg/trubka/trubka.ini")]
    assert company_defaults_paths("win32", {"ProgramData": "D:\\PD"}) == [
        Path("D:\\PD") / "Trubka" / "trubka.ini"]
    assert company_defaults_paths("win32", {}) == [
        Path("C:\\ProgramData") / "Trubka" / "trubka.ini"]


def test_first_directory_wins(tmp_path: Path) -> None:
    """A key set in two directories takes the first's value; others merge."""
    a, b = tmp_path / "a", tmp_path / "b"
    company_file(a, "ext = 100\nlocked = ext\n")
    company_file(b, "ext = 200\nlanguage = ru\nlocked = language\n")
    defaults = read_company_defaults(company_defaults_paths(
        "linux", {"XDG_CONFIG_DIRS": f"{a}:{b}"}))
    assert defaults.values == {"ext": "100", "language": "ru"}
    assert defaults.locked == frozenset({"ext"})


def test_user_settings_override_unlocked_defaults(company: Path, tmp_path: Path) -> None:
    """Unlocked defaults apply until the user sets their own value; locked ones always."""
    store = PreferenceStore(tmp_path / "profile")
    prefs = store.load()
    assert (prefs.relay_url, prefs.incoming, prefs.window_seconds) == (
        "https://relay.company.ru", "answered", 30)
    store.save(replace(prefs, window_seconds=15, incoming="never",
                       relay_url="https://elsewhere.example.ru"))
    again = store.load()
    assert again.window_seconds == 15  # the user's own choice beats a default
    assert (again.relay_url, again.incoming) == ("https://relay.company.ru", "answered")
    text = store.path.read_text()
    assert "relay_url" not in text and "incoming" not in text  # never saved


def test_editing_the_user_file_cannot_change_a_locked_key(company: Path,
                                                         tmp_path: Path) -> None:
    """A locked key written into settings.ini by hand is ignored on load."""
    store = PreferenceStore(tmp_path / "profile")
    store.path.parent.mkdir(parents=True)
    store.path.write_text("[trubka]\nrelay_url = https://rogue.example.ru\n"
                          "incoming = never\nwindow_seconds = 12\n")
    prefs = store.load()
    assert (prefs.relay_url, prefs.incoming) == ("https://relay.company.ru", "answered")
    assert prefs.window_seconds == 12


def test_dialog_shows_locked_keys_read_only(company: Path, tmp_path: Path,
                                           qtbot: Any) -> None:
    """Locked settings are read-only with a lock and "Set by your administrator"; even
    a value forced into the control is not saved."""
    store = PreferenceStore(tmp_path / "profile")
    dialog = SettingsDialog(store.load(), has_token=True, has_keyring=True,
                            locked=store.defaults.locked)
    qtbot.addWidget(dialog)
    for name in ("relay_url", "incoming"):
        assert not dialog.widgets[name].isEnabled(), name
        assert dialog.lock_labels[name].text() == "🔒 Set by your administrator"
        assert not dialog.lock_labels[name].isHidden()
    assert dialog.widgets["window_seconds"].isEnabled()
    assert dialog.lock_labels["window_seconds"].isHidden()
    relay = dialog.widgets["relay_url"]
    incoming = dialog.widgets["incoming"]
    assert isinstance(relay, QLineEdit) and isinstance(incoming, QComboBox)
    relay.setText("https://rogue.example.ru")
    incoming.setCurrentIndex(incoming.findData("never"))
    dialog.window_seconds.setValue(20)
    saved: list[Any] = []
    dialog.saved.connect(lambda p, t, f: saved.append(p))
    dialog.accept_if_valid()
    assert saved[0].relay_url == "https://relay.company.ru"
    assert saved[0].incoming == "answered" and saved[0].window_seconds == 20


def test_app_keeps_locked_values(company: Path, desktop: Desktop, qtbot: Any) -> None:
    """Through the app: saving the dialog keeps the company's locked values in force."""
    app = desktop.make("", "")
    app.start()
    assert app.session.prefs.relay_url == "https://relay.company.ru"
    dialog = app.dialogs.open[-1]  # first run: Settings opened by itself
    assert isinstance(dialog, SettingsDialog)
    dialog.relay_url.setText("https://rogue.example.ru")
    dialog.search_template.setText("https://duckduckgo.com/?q={phone}")
    dialog.accept_if_valid()
    prefs = app.services.store.load()
    assert prefs.relay_url == "https://relay.company.ru"
    assert prefs.search_template == "https://duckduckgo.com/?q={phone}"
    assert app.session.prefs == prefs


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])
def test_defaults_file_in_windows_encodings(tmp_path: Path, encoding: str) -> None:
    """The file an installer writes is read in UTF-8 (with or without BOM) or UTF-16."""
    path = tmp_path / "trubka" / "trubka.ini"
    path.parent.mkdir()
    path.write_text("[trubka]\r\nrelay_url=https://relay.example.ru\r\nlocked=relay_url\r\n",
                    encoding=encoding)
    defaults = read_company_defaults([path])
    assert defaults.values == {"relay_url": "https://relay.example.ru"}
    assert defaults.locked == frozenset({"relay_url"})
