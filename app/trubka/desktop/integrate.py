"""`trubka integrate --install/--uninstall`: register Trubka for tel:, callto: and sip:
links — a `.desktop` file plus `xdg-mime` on Linux, HKCU keys on Windows."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

SCHEMES = ("tel", "callto", "sip")
DESKTOP_ID = "trubka-url-handler.desktop"
Runner = Callable[[Sequence[str]], object]


def launch_command() -> list[str]:
    exe = shutil.which("trubka")
    return [exe] if exe else [sys.executable, "-m", "trubka.desktop.cli"]


def desktop_entry(command: Sequence[str]) -> str:
    mimes = ";".join(f"x-scheme-handler/{s}" for s in SCHEMES)
    return ("[Desktop Entry]\nType=Application\nName=Trubka\n"
            "Comment=Click-to-call for tel:, callto: and sip: links\n"
            f"Exec={shlex.join(command)} %u\nIcon=trubka\nTerminal=false\nNoDisplay=true\n"
            f"MimeType={mimes};\nCategories=Network;Telephony;\n")


def applications_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "applications"


def _run(cmd: Sequence[str]) -> object:
    if shutil.which(cmd[0]) is None:
        return None
    return subprocess.run(list(cmd), check=False, capture_output=True)  # noqa: S603


def install_linux(command: Sequence[str] | None = None, run: Runner = _run) -> Path:
    path = applications_dir() / DESKTOP_ID
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(desktop_entry(command or launch_command()), encoding="utf-8")
    for scheme in SCHEMES:
        run(["xdg-mime", "default", DESKTOP_ID, f"x-scheme-handler/{scheme}"])
    run(["update-desktop-database", str(path.parent)])
    return path


def uninstall_linux(run: Runner = _run) -> Path:
    path = applications_dir() / DESKTOP_ID
    path.unlink(missing_ok=True)
    run(["update-desktop-database", str(path.parent)])
    return path


def windows_keys(command: Sequence[str]) -> list[tuple[str, str, str]]:
    """(key under HKCU, value name, data) for each scheme: a per-user URL handler."""
    line = subprocess.list2cmdline([*command, "%1"])
    keys = []
    for scheme in SCHEMES:
        root = rf"Software\Classes\{scheme}"
        keys += [(root, "", f"URL:{scheme} (Trubka)"), (root, "URL Protocol", ""),
                 (rf"{root}\shell\open\command", "", line)]
    return keys


def install_windows(command: Sequence[str] | None = None) -> None:  # pragma: no cover
    import winreg  # type: ignore[import-not-found]

    for key, name, data in windows_keys(command or launch_command()):
        with winreg.CreateKey(winreg.HKEY_CURRENT_USER, key) as handle:
            winreg.SetValueEx(handle, name, 0, winreg.REG_SZ, data)


def uninstall_windows() -> None:  # pragma: no cover
    import winreg  # type: ignore[import-not-found]

    for scheme in SCHEMES:
        for sub in (r"\shell\open\command", r"\shell\open", r"\shell", ""):
            try:
                winreg.DeleteKey(winreg.HKEY_CURRENT_USER, rf"Software\Classes\{scheme}{sub}")
            except OSError:
                pass


def autostart_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "autostart" / "trubka.desktop"


def set_autostart(on: bool, command: Sequence[str] | None = None) -> str:
    """Start at login: an XDG autostart entry on Linux, the HKCU Run key on Windows."""
    if sys.platform == "win32":  # pragma: no cover
        import winreg  # type: ignore[import-not-found]

        key = r"Software\Microsoft\Windows\CurrentVersion\Run"
        with winreg.CreateKey(winreg.HKEY_CURRENT_USER, key) as handle:
            if on:
                winreg.SetValueEx(handle, "Trubka", 0, winreg.REG_SZ,
                                  subprocess.list2cmdline(command or launch_command()))
            else:
                try:
                    winreg.DeleteValue(handle, "Trubka")
                except OSError:
                    pass
        return key
    path = autostart_path()
    if on:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("[Desktop Entry]\nType=Application\nName=Trubka\n"
                        f"Exec={shlex.join(command or launch_command())}\nIcon=trubka\n"
                        "X-GNOME-Autostart-enabled=true\nTerminal=false\n", encoding="utf-8")
    else:
        path.unlink(missing_ok=True)
    return str(path)


def main(install: bool) -> str:
    if sys.platform == "win32":  # pragma: no cover
        (install_windows if install else uninstall_windows)()
        return "registered in HKCU\\Software\\Classes" if install else "unregistered"
    path = install_linux() if install else uninstall_linux()
    return f"{'installed' if install else 'removed'} {path}"
