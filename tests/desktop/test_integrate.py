"""`trubka integrate`, autostart and logging: link-handler registration quoted as the
Desktop Entry spec says (checked by desktop-file-validate and GLib's own launcher),
xdg-mime defaults, and redacted logs."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from trubka.desktop import integrate
from trubka.desktop.logs import RedactingFilter, redact
from trubka.desktop.platform import APP_ID, SCHEMES, linux

REQUIRE = os.environ.get("TRUBKA_REQUIRE_PACKAGING") == "1"

# Program directories a user's home can contain, and what each one exercises.
AWKWARD = {
    "space": "Иван Петров/bin",
    "quotes": 'say "hi" it\'s',
    "dollar-backtick": "cost $HOME `id`",
    "backslash": r"back\slash\\two",
    "shell": "a&b;c|d<e>f*g?h#i(j)~",
    "non-ascii": "телефон ☎",
}


def tool(name: str) -> str:
    """The outside client `name`, or skip (fail when CI requires packaging tools)."""
    path = shutil.which(name)
    if path is None:
        if REQUIRE:
            pytest.fail(f"TRUBKA_REQUIRE_PACKAGING=1 but {name} is not installed")
        pytest.skip(f"{name} is not installed")
    return path


def recorder(directory: Path) -> Path:
    """A program that writes its argv, one per line, to ARGV_FILE in its environment."""
    directory.mkdir(parents=True, exist_ok=True)
    script = directory / "rec"
    script.write_text('#!/bin/sh\nfor a in "$0" "$@"; do printf "%s\\n" "$a"; done '
                      '> "$ARGV_FILE"\n', encoding="utf-8")
    script.chmod(0o755)
    return script


def launched(entry: Path, url: str | None) -> list[str]:
    """Launch `entry` with GLib's desktop-entry launcher (`gio launch`), as a GNOME or
    GTK file manager would; the argv the program received."""
    out = entry.parent / "argv.txt"
    out.unlink(missing_ok=True)
    cmd = [tool("gio"), "launch", str(entry), *([url] if url else [])]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=30, check=False,
                            env={**os.environ, "ARGV_FILE": str(out)})
    assert result.returncode == 0, result.stderr
    return out.read_text(encoding="utf-8").splitlines()


def validate(path: Path) -> None:
    result = subprocess.run([tool("desktop-file-validate"), str(path)], capture_output=True,
                            text=True, timeout=30, check=False)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


@pytest.mark.parametrize(("arg", "written"), [
    ("/usr/bin/trubka", "/usr/bin/trubka"),
    ("/home/Иван Петров/bin/trubka", '"/home/Иван Петров/bin/trubka"'),
    ('say "hi"', r'"say \\"hi\\""'),
    ("$HOME", r'"\\$HOME"'),
    ("`id`", r'"\\`id\\`"'),
    (r"C:\x", r'"C:\\\\x"'),
    ("100%", "100%%"),
    ("50% off", '"50%% off"'),
    ("", '""'),
    ("it's", "\"it's\""),
])
def test_exec_value_quoting(arg: str, written: str) -> None:
    """Exec quotes an argument only when it has reserved characters; inside quotes `"`,
    backtick, `$` and a backslash are escaped, then string escaping doubles backslashes
    (four per literal backslash), and `%` is doubled."""
    assert linux.exec_value(["/p", arg]) == f"/p {written}"


def test_exec_value_refuses_what_cannot_be_written() -> None:
    """A program path with `=` cannot be an Exec program; no entry is better than a
    broken one."""
    with pytest.raises(ValueError):
        linux.exec_value(["/opt/a=b/trubka"])


def test_linux_install_and_uninstall(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """--install writes the app entry for every link scheme, its icon, and sets xdg-mime
    defaults; --uninstall removes them, our defaults and an old 0.1 handler file."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    legacy = tmp_path / "data" / "applications" / "trubka-url-handler.desktop"
    legacy.parent.mkdir(parents=True)
    legacy.write_text("[Desktop Entry]\n")
    ran: list[list[str]] = []
    path = integrate.install_linux(["/opt/trubka/trubka"], run=lambda c: ran.append(list(c)))
    assert path.name == f"{APP_ID}.desktop" and not legacy.exists()
    icon = tmp_path / "data" / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
    assert icon.read_bytes().startswith(b"<svg")
    text = path.read_text()
    assert "Exec=/opt/trubka/trubka %u" in text
    assert ("MimeType=x-scheme-handler/tel;x-scheme-handler/callto;x-scheme-handler/sip;"
            "x-scheme-handler/trubka;") in text
    for scheme in SCHEMES:
        assert ["xdg-mime", "default", integrate.DESKTOP_ID, f"x-scheme-handler/{scheme}"] in ran
    mimeapps = tmp_path / "config" / "mimeapps.list"
    mimeapps.parent.mkdir()
    mimeapps.write_text("[Default Applications]\nx-scheme-handler/tel=ru.trubka.Trubka.desktop;\n"
                        "x-scheme-handler/sip=other.desktop;ru.trubka.Trubka.desktop;\n"
                        "text/html=firefox.desktop\n[Added Associations]\n"
                        "x-scheme-handler/tel=ru.trubka.Trubka.desktop;\n")
    integrate.uninstall_linux(run=lambda c: ran.append(list(c)))
    assert not path.exists() and not icon.exists()
    assert mimeapps.read_text() == ("[Default Applications]\nx-scheme-handler/sip=other.desktop;\n"
                                    "text/html=firefox.desktop\n[Added Associations]\n"
                                    "x-scheme-handler/tel=ru.trubka.Trubka.desktop;\n")


@pytest.mark.parametrize("case", sorted(AWKWARD))
def test_handler_entry_survives_awkward_paths(case: str, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """The handler entry for a program under a directory with spaces, quotes, `$`, a
    backslash, shell characters or non-ASCII passes desktop-file-validate, and GLib's
    launcher runs exactly that program with the clicked link as one argument."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    program = recorder(tmp_path / "home" / AWKWARD[case])
    path = integrate.install_linux([str(program)], run=lambda c: None)
    validate(path)
    url = "tel:+7 (999) 123-45-67;ext=100%20"
    assert launched(path, url) == [str(program), url]


def test_handler_entry_percent_in_arguments(tmp_path: Path) -> None:
    """A `%` in an argument reaches the program as typed (GLib finds the program before
    expanding field codes, so a `%` in the program path itself is not tested here)."""
    program = recorder(tmp_path / "bin")
    entry = tmp_path / f"{APP_ID}.desktop"
    entry.write_text(linux.app_entry([str(program), "--profile", "/tmp/100% $x/"]),
                     encoding="utf-8")
    validate(entry)
    assert launched(entry, "tel:1") == [str(program), "--profile", "/tmp/100% $x/", "tel:1"]


def test_autostart_entry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Start at login writes a valid XDG autostart entry that runs the program as given,
    even from an awkward path, and removes it again."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    program = recorder(tmp_path / "home" / AWKWARD["quotes"] / AWKWARD["backslash"])
    integrate.set_autostart(True, [str(program)])
    entry = tmp_path / "config" / "autostart" / "trubka.desktop"
    validate(entry)
    assert launched(entry, None) == [str(program)]
    integrate.set_autostart(False)
    assert not entry.exists()


def test_xdg_mime_names_trubka(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the real xdg-mime, --install makes Trubka the default for every scheme in a
    fresh account, and --uninstall takes that back."""
    xdg_mime = tool("xdg-mime")
    env = {"HOME": str(tmp_path / "home"), "XDG_DATA_HOME": str(tmp_path / "data"),
           "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "XDG_DATA_DIRS": str(tmp_path / "system"), "XDG_CONFIG_DIRS": str(tmp_path / "etc")}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    for name in ("XDG_CURRENT_DESKTOP", "DESKTOP_SESSION", "KDE_FULL_SESSION",
                 "GNOME_DESKTOP_SESSION_ID"):
        monkeypatch.delenv(name, raising=False)

    def query(scheme: str) -> str:
        return subprocess.run([xdg_mime, "query", "default", f"x-scheme-handler/{scheme}"],
                              capture_output=True, text=True, timeout=30,
                              check=False).stdout.strip()

    integrate.install_linux(["/opt/trubka/trubka"])
    assert [query(s) for s in SCHEMES] == [integrate.DESKTOP_ID] * len(SCHEMES)
    integrate.uninstall_linux()
    assert [query(s) for s in SCHEMES] == [""] * len(SCHEMES)


def test_tokens_never_logged(caplog: Any) -> None:
    """Bearer tokens and token= values are masked before any handler writes them."""
    assert redact("Authorization: Bearer trk_abc123") == "Authorization: Bearer ***"
    assert redact("url?token=trk_abc&x=1") == "url?token=***&x=1"
    logger = logging.getLogger("trubka.test.redact")
    logger.addFilter(RedactingFilter())
    with caplog.at_level(logging.INFO):
        logger.info("sending %s", "Bearer trk_secret")
    assert "trk_secret" not in caplog.text
