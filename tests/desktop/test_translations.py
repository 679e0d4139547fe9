"""Translations: both .ts files complete and in step with the code; Russian shows."""

from __future__ import annotations

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


@pytest.mark.parametrize("path", TS, ids=lambda p: p.name)
def test_ts_complete(path: Path) -> None:
    """Every message is translated (none unfinished or empty)."""
    for key, tr in messages(path).items():
        assert tr is not None and tr.get("type") != "unfinished" and (tr.text or "").strip(), key


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


@pytest.fixture
def russian(qapp: QApplication) -> Iterator[QTranslator]:
    translator = QTranslator()
    path = resources.translation_file("ru")
    assert path is not None and translator.load(str(path))
    qapp.installTranslator(translator)
    yield translator
    qapp.removeTranslator(translator)


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
