"""Translations: both .ts files complete and in step with the code; Russian shows."""

from __future__ import annotations

import contextlib
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTranslator
from PySide6.QtWidgets import QApplication

from trubka.core.model import Call, CallState, Direction
from trubka.desktop import resources
from trubka.desktop.bridge import LinkState, LinkStatus
from trubka.desktop.views.call_window import CallWindow
from trubka.desktop.views.tray import status_line

TS = sorted(resources.TRANSLATIONS.glob("trubka_*.ts"))


def messages(path: Path) -> dict[tuple[str, str], ET.Element]:
    root = ET.parse(path).getroot()
    return {(ctx.findtext("name") or "", m.findtext("source") or ""): m.find("translation")
            for ctx in root.iter("context") for m in ctx.iter("message")}  # type: ignore[misc]


def test_both_languages_present() -> None:
    """Russian and English .ts files ship."""
    assert [p.name for p in TS] == ["trubka_en.ts", "trubka_ru.ts"]


PLURAL_FORMS = {"trubka_ru.ts": 3, "trubka_en.ts": 2}  # one / few / many; one / other


@pytest.mark.parametrize("path", TS, ids=lambda p: p.name)
def test_ts_complete(path: Path) -> None:
    """Every message is translated (none unfinished or empty); plurals have every form
    the language has."""
    for key, tr in messages(path).items():
        assert tr is not None and tr.get("type") != "unfinished", key
        forms = [f.text or "" for f in tr.iter("numerusform")]
        if forms:
            assert len(forms) == PLURAL_FORMS[path.name] and all(
                "%n" in f for f in forms), key
        else:
            assert (tr.text or "").strip(), key


def test_ts_matches_code(tmp_path: Path) -> None:
    """Every tr() string in the code is in the .ts files, and nothing stale is left."""
    tool = Path(resources._lrelease() or "").with_name("lupdate")
    if not tool.exists():
        pytest.skip("pyside6 lupdate not available")
    sources = sorted(str(p) for p in (resources.ROOT.parent / "app/trubka/desktop").rglob("*.py"))
    fresh = tmp_path / "fresh.ts"
    subprocess.run([str(tool), "-silent", *sources, "-ts", str(fresh)], check=True,
                   capture_output=True)
    want = set(messages(fresh))
    for path in TS:
        assert set(messages(path)) == want, path.name


@contextlib.contextmanager
def translated(qapp: QApplication, language: str) -> Iterator[QTranslator]:
    translator = QTranslator()
    path = resources.translation_file(language)
    assert path is not None and translator.load(str(path))
    qapp.installTranslator(translator)
    try:
        yield translator
    finally:
        qapp.removeTranslator(translator)


@pytest.fixture
def russian(qapp: QApplication) -> Iterator[QTranslator]:
    with translated(qapp, "ru") as translator:
        yield translator


PLURALS = {
    "ru": {1: "1 пропущенный звонок", 2: "2 пропущенных звонка", 5: "5 пропущенных звонков",
           21: "21 пропущенный звонок"},
    "en": {1: "1 missed call", 2: "2 missed calls", 5: "5 missed calls",
           21: "21 missed calls"},
}


@pytest.mark.parametrize("language", ["ru", "en"])
def test_missed_count_plurals(qapp: QApplication, qtbot: Any, language: str) -> None:
    """"N missed calls" takes the right plural form for 1, 2, 5 and 21 in both languages,
    in the tray's fallback window as in the notice."""
    from trubka.desktop.views.tray import Presence, TrayMenu

    with translated(qapp, language):
        presence = Presence(TrayMenu(), tray_available=False)
        assert presence.window is not None
        qtbot.addWidget(presence.window)
        for n, text in PLURALS[language].items():
            presence.set_missed(n)
            assert presence.window.missed.text() == text
            assert QApplication.translate("JournalController", "%n missed call(s)", "",
                                          n) == text


def test_russian_window(russian: QTranslator, qtbot: Any) -> None:
    """With Russian on, the call window and the tray speak Russian (UX.md words)."""
    window = CallWindow(Call("1", "p", "p", Direction.IN, CallState.RINGING, "+79991234567",
                             "89991234567", "100"))
    qtbot.addWidget(window)
    assert "Входящий звонок" in window.state_label.text()
    assert window.name_label.text() == "Неизвестный номер"
    assert window.buttons["copy"].text() == "Скопировать"
    line = status_line(LinkStatus(LinkState.CONNECTED), "100", "relay.example.ru")
    assert line == "Подключено к relay.example.ru — доб. 100"


def test_russian_enrolment_words(russian: QTranslator) -> None:
    """The enrolment messages in UX.md's Russian words."""
    from trubka.desktop.api import ApiError
    from trubka.desktop.errors import error_text

    assert error_text(ApiError("enrollment_used"), "ru") == (
        "Ссылка уже использована — попросите администратора прислать новую.")
    assert QApplication.translate("EnrolmentController", "Trubka connected: ext. {ext}"
                                  ).format(ext="100") == "Трубка подключена: доб. 100"
    assert QApplication.translate("SettingsDialog", "Set by your administrator") == (
        "Задано администратором")
    assert QApplication.translate("SettingsDialog", "Paste enrolment link") == (
        "Вставить ссылку для подключения")
