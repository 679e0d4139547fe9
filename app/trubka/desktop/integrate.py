"""`trubka integrate --install/--uninstall`: register Trubka for tel:, callto:, sip: and
trubka: links — a `.desktop` entry plus `xdg-mime` defaults on Linux, the per-user
registry entries (with Default Apps registration) on Windows — and start at login.

The entries themselves live in `trubka.desktop.platform.{linux,windows}`, shared with the
.deb and the Windows installer.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from trubka.desktop import resources
from trubka.desktop.platform import APP_ID, SCHEMES, launch_command, linux, windows

DESKTOP_ID = linux.DESKTOP_FILE
LEGACY_DESKTOP_IDS = ("trubka-url-handler.desktop",)  # written by Trubka 0.1 before packages
Runner = Callable[[Sequence[str]], object]


def applications_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "applications"


def icon_path() -> Path:
    """The user's copy of the app icon (the .deb installs its own system-wide)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"


def mimeapps_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "mimeapps.list"


def _run(cmd: Sequence[str]) -> object:
    if shutil.which(cmd[0]) is None:
        return None
    return subprocess.run(list(cmd), check=False, capture_output=True)  # noqa: S603


def install_linux(command: Sequence[str] | None = None, run: Runner = _run) -> Path:
    """The user's own copy of the application entry and icon (so a per-user install —
    uv tool, pipx — is in the menu too), made the default handler of each scheme."""
    path = applications_dir() / DESKTOP_ID
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(linux.app_entry(command or launch_command()), encoding="utf-8")
    icon = icon_path()
    icon.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(resources.icon_path("trubka"), icon)
    for legacy in LEGACY_DESKTOP_IDS:
        (path.parent / legacy).unlink(missing_ok=True)
    for scheme in SCHEMES:
        run(["xdg-mime", "default", DESKTOP_ID, f"x-scheme-handler/{scheme}"])
    run(["update-desktop-database", str(path.parent)])
    return path


def uninstall_linux(run: Runner = _run) -> Path:
    """Remove the user's entry, icon and the defaults that named it."""
    path = applications_dir() / DESKTOP_ID
    path.unlink(missing_ok=True)
    icon_path().unlink(missing_ok=True)
    for legacy in LEGACY_DESKTOP_IDS:
        (path.parent / legacy).unlink(missing_ok=True)
    mimeapps = mimeapps_path()
    if mimeapps.exists():
        text = mimeapps.read_text(encoding="utf-8")
        for name in (DESKTOP_ID, *LEGACY_DESKTOP_IDS):
            text = linux.forget_defaults(text, name)
        mimeapps.write_text(text, encoding="utf-8")
    run(["update-desktop-database", str(path.parent)])
    return path


def _winreg(module: Any | None) -> Any:
    if module is not None:
        return module
    import winreg  # pragma: no cover - Windows only

    return winreg  # pragma: no cover


def windows_exe(command: Sequence[str]) -> str:
    """The program the registry should start. Link handlers take one program path, so a
    `python -m` launch is not registered (install the bundle or a `trubka` script)."""
    if len(command) != 1:
        raise ValueError("register a single trubka.exe, not an interpreter and a module")
    return command[0]


def install_windows(command: Sequence[str] | None = None, winreg: Any | None = None) -> None:
    exe = windows_exe(command or launch_command())
    windows.apply(_winreg(winreg), windows.registration(exe))


def uninstall_windows(command: Sequence[str] | None = None, winreg: Any | None = None) -> None:
    exe = windows_exe(command or launch_command())
    windows.remove(_winreg(winreg), windows.registration(exe))


def autostart_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "autostart" / "trubka.desktop"


def set_autostart(on: bool, command: Sequence[str] | None = None,
                  winreg: Any | None = None) -> str:
    """Start at login: an XDG autostart entry on Linux, the HKCU Run value on Windows."""
    if sys.platform == "win32" or winreg is not None:
        return windows.set_run_at_login(_winreg(winreg), on, command or launch_command())
    path = autostart_path()
    if on:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(linux.autostart_entry(command or launch_command()), encoding="utf-8")
    else:
        path.unlink(missing_ok=True)
    return str(path)


def main(install: bool) -> str:
    if sys.platform == "win32":  # pragma: no cover
        (install_windows if install else uninstall_windows)()
        if install:
            return ("registered in HKCU\\Software\\Classes; choose Trubka for phone links in "
                    f"Settings: {windows.default_apps_uri()}")
        return "unregistered"
    path = install_linux() if install else uninstall_linux()
    return f"{'installed' if install else 'removed'} {path}"
