"""How Trubka presents itself to the operating system — one set of names for the
packages, the installers and `trubka integrate`, so they can never disagree.

Everything OS-specific below this package is plain data and small functions with their
system calls passed in (`winreg`, a runner), so it is tested on any machine.
"""

from __future__ import annotations

import shutil
import sys

APP_NAME = "Trubka"
# Reverse-DNS application id: the .desktop file name on Linux (Desktop Entry spec) and
# the hicolor icon name.
APP_ID = "ru.trubka.Trubka"
# Windows AppUserModelID: the Start-menu shortcut carries it and the process sets it, so
# notifications are attributed to Trubka.
AUMID = "Trubka.Desktop"
# Link schemes Trubka handles: dialling, and its own enrolment links.
DIAL_SCHEMES = ("tel", "callto", "sip")
SCHEMES = (*DIAL_SCHEMES, "trubka")


def launch_command() -> list[str]:
    """How to start this Trubka again: the bundle's own executable when frozen
    (PyInstaller), else the `trubka` script on PATH, else this interpreter."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    exe = shutil.which("trubka")
    return [exe] if exe else [sys.executable, "-m", "trubka.desktop.cli"]
