"""`trubka integrate` and logging: URL-handler registration and redacted logs."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

from trubka.desktop import integrate
from trubka.desktop.logs import RedactingFilter, redact


def test_linux_install_and_uninstall(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """--install writes a .desktop handler for tel/callto/sip and sets xdg-mime defaults."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    ran: list[list[str]] = []
    path = integrate.install_linux(["/opt/trubka/trubka"], run=lambda c: ran.append(list(c)))
    text = path.read_text()
    assert "Exec=/opt/trubka/trubka %u" in text
    assert "MimeType=x-scheme-handler/tel;x-scheme-handler/callto;x-scheme-handler/sip;" in text
    assert ["xdg-mime", "default", integrate.DESKTOP_ID, "x-scheme-handler/tel"] in ran
    integrate.uninstall_linux(run=lambda c: ran.append(list(c)))
    assert not path.exists()


def test_windows_keys() -> None:
    """On Windows each scheme gets an HKCU URL Protocol key pointing at trubka."""
    keys = integrate.windows_keys([r"C:\Program Files\Trubka\trubka.exe"])
    assert (r"Software\Classes\tel", "URL Protocol", "") in keys
    assert (r"Software\Classes\sip\shell\open\command", "",
            r'"C:\Program Files\Trubka\trubka.exe" %1') in keys


def test_tokens_never_logged(caplog: Any) -> None:
    """Bearer tokens and token= values are masked before any handler writes them."""
    assert redact("Authorization: Bearer trk_abc123") == "Authorization: Bearer ***"
    assert redact("url?token=trk_abc&x=1") == "url?token=***&x=1"
    logger = logging.getLogger("trubka.test.redact")
    logger.addFilter(RedactingFilter())
    with caplog.at_level(logging.INFO):
        logger.info("sending %s", "Bearer trk_secret")
    assert "trk_secret" not in caplog.text


def test_autostart_entry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Start at login writes (and removes) an XDG autostart entry."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    integrate.set_autostart(True, ["/opt/trubka/trubka"])
    entry = tmp_path / "autostart" / "trubka.desktop"
    assert "Exec=/opt/trubka/trubka" in entry.read_text()
    integrate.set_autostart(False)
    assert not entry.exists()
