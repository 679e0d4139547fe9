"""Windows integration as data: the per-user registry entries that make Trubka the
handler of tel:, callto:, sip: and trubka: links and a candidate in Default Apps, the
start-at-login value, toast identity and paths.

The same entries are written by `trubka integrate --install` (through `winreg`, passed
in so tests use a fake) and by the Inno Setup installer, whose [Registry] section is
generated from them (`packaging/windows/gen_iss.py`; a test keeps the .iss in step).

Why these keys (facts in research/integration-facts.md §4): a per-user URL handler is
`HKCU\\Software\\Classes\\<scheme>` with `URL Protocol` and `shell\\open\\command`;
Windows lists an app in Default Apps when `HKCU\\Software\\RegisteredApplications` names a
`Capabilities` key whose `URLAssociations` map each scheme to the app's ProgID. Since
Windows 8 no program may make itself the default — the user chooses, and on Windows 11
`default_apps_uri()` opens Settings on Trubka's page.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import PureWindowsPath
from typing import Any

from trubka.desktop.platform import APP_NAME, AUMID, DIAL_SCHEMES, SCHEMES

PROGID = "Trubka.Url"
CAPABILITIES = r"Software\Trubka\Capabilities"
REGISTERED_APPS = r"Software\RegisteredApplications"
RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
DESCRIPTION = "Call popups and click-to-call for tel:, callto: and sip: links"

# What uninstalling does with an entry:
TREE = "tree"      # the key is Trubka's alone: delete it with everything under it
VALUE = "value"    # delete this value (only while it still holds what we wrote)
EMPTY = "empty"    # a key we may share: delete it only when nothing is left in it
INSIDE = ""        # lies inside a TREE key: goes with it


@dataclass(frozen=True, slots=True)
class Entry:
    """One registry write under HKEY_CURRENT_USER. `name` None creates just the key;
    "" is the key's default value."""

    key: str
    name: str | None
    data: str
    uninstall: str
    task: str = ""  # the installer task it belongs to ("" = always)


def open_command(exe: str) -> str:
    return f'"{exe}" "%1"'


def _handler(key: str, exe: str, title: str, owned: bool) -> list[Entry]:
    """A URL-protocol-style class: title, `URL Protocol`, icon and open command."""
    value = INSIDE if owned else VALUE
    keys = [] if owned else [Entry(key, None, "", EMPTY)]
    return [*keys,
            Entry(key, "", title, TREE if owned else VALUE),
            Entry(key, "URL Protocol", "", value),
            *([] if owned else [Entry(rf"{key}\DefaultIcon", None, "", EMPTY)]),
            Entry(rf"{key}\DefaultIcon", "", f"{exe},0", value),
            *([] if owned else [Entry(rf"{key}\shell", None, "", EMPTY),
                                Entry(rf"{key}\shell\open", None, "", EMPTY),
                                Entry(rf"{key}\shell\open\command", None, "", EMPTY)]),
            Entry(rf"{key}\shell\open\command", "", open_command(exe), value)]


def registration(exe: str) -> list[Entry]:
    """Every entry `trubka integrate --install` and the installer write (not the Run
    value: start at login is a separate choice)."""
    entries = _handler(rf"Software\Classes\{PROGID}", exe, "Trubka phone link", owned=True)
    entries += [Entry(rf"Software\Classes\{PROGID}\Application", "ApplicationName",
                      APP_NAME, INSIDE),
                Entry(rf"Software\Classes\{PROGID}\Application", "AppUserModelID", AUMID,
                      INSIDE)]
    for scheme in DIAL_SCHEMES:  # shared with other phone apps: remove only what is ours
        entries += _handler(rf"Software\Classes\{scheme}", exe, f"URL:{scheme}", owned=False)
    entries += _handler(r"Software\Classes\trubka", exe, "URL:Trubka enrolment link",
                        owned=True)
    entries += [Entry(r"Software\Trubka", None, "", EMPTY),
                Entry(CAPABILITIES, "ApplicationName", APP_NAME, TREE),
                Entry(CAPABILITIES, "ApplicationDescription", DESCRIPTION, INSIDE),
                Entry(CAPABILITIES, "ApplicationIcon", f"{exe},0", INSIDE)]
    entries += [Entry(rf"{CAPABILITIES}\URLAssociations", s, PROGID, INSIDE) for s in SCHEMES]
    entries += [Entry(REGISTERED_APPS, None, "", EMPTY),
                Entry(REGISTERED_APPS, APP_NAME, CAPABILITIES, VALUE)]
    return entries


def run_at_login(command: Sequence[str]) -> Entry:
    """The HKCU Run value that starts Trubka at sign-in (≤ 260 characters)."""
    line = " ".join([f'"{command[0]}"', *([subprocess.list2cmdline(command[1:])]
                                           if command[1:] else [])])
    if len(line) > 260:
        raise ValueError("the Run command line is limited to 260 characters")
    return Entry(RUN_KEY, APP_NAME, line, VALUE, task="startup")


# -- applying entries through a winreg module --------------------------------------------


def apply(winreg: Any, entries: Iterable[Entry]) -> None:
    """Write `entries` under HKEY_CURRENT_USER."""
    for entry in entries:
        with winreg.CreateKey(winreg.HKEY_CURRENT_USER, entry.key) as handle:
            if entry.name is not None:
                winreg.SetValueEx(handle, entry.name, 0, winreg.REG_SZ, entry.data)


def _delete_tree(winreg: Any, key: str) -> None:
    try:
        with winreg.OpenKey(winreg.HKEY_CURRENT_USER, key) as handle:
            children: list[str] = []
            while True:
                try:
                    children.append(winreg.EnumKey(handle, len(children)))
                except OSError:
                    break
    except OSError:
        return
    for child in children:
        _delete_tree(winreg, rf"{key}\{child}")
    winreg.DeleteKey(winreg.HKEY_CURRENT_USER, key)


def _delete_value_if_ours(winreg: Any, entry: Entry) -> None:
    try:
        with winreg.OpenKey(winreg.HKEY_CURRENT_USER, entry.key, 0,
                            winreg.KEY_READ | winreg.KEY_SET_VALUE) as handle:
            data, _kind = winreg.QueryValueEx(handle, entry.name)
            if data == entry.data:
                winreg.DeleteValue(handle, entry.name)
    except OSError:
        pass


def _delete_if_empty(winreg: Any, key: str) -> None:
    try:
        with winreg.OpenKey(winreg.HKEY_CURRENT_USER, key) as handle:
            subkeys, values, _modified = winreg.QueryInfoKey(handle)
        if subkeys == 0 and values == 0:
            winreg.DeleteKey(winreg.HKEY_CURRENT_USER, key)
    except OSError:
        pass


def remove(winreg: Any, entries: Sequence[Entry]) -> None:
    """Undo `apply(entries)`, last entry first, leaving what others wrote in shared keys."""
    for entry in reversed(entries):
        if entry.uninstall == TREE:
            _delete_tree(winreg, entry.key)
        elif entry.uninstall == VALUE and entry.name is not None:
            _delete_value_if_ours(winreg, entry)
        elif entry.uninstall == EMPTY:
            _delete_if_empty(winreg, entry.key)


def set_run_at_login(winreg: Any, on: bool, command: Sequence[str]) -> str:
    entry = run_at_login(command)
    if on:
        apply(winreg, [entry])
    else:
        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY, 0,
                                winreg.KEY_SET_VALUE) as handle:
                winreg.DeleteValue(handle, APP_NAME)
        except OSError:
            pass
    return rf"HKCU\{RUN_KEY}"


# -- identity and places -----------------------------------------------------------------


def default_apps_uri() -> str:
    """Windows 11 Settings, open on Trubka's Default Apps page (the best "make Trubka your
    phone app" button; on Windows 10 it opens the general Default Apps page)."""
    return f"ms-settings:defaultapps?registeredAppUser={APP_NAME}"


def set_process_identity(shell32: Any) -> None:
    """Give this process the AppUserModelID the Start-menu shortcut carries, so toasts are
    attributed to Trubka (`shell32` is `ctypes.windll.shell32`)."""
    shell32.SetCurrentProcessExplicitAppUserModelID(AUMID)


def company_defaults_path(environ: dict[str, str] | None = None) -> PureWindowsPath:
    """The administrator's defaults for every user of the machine (QSettings' system
    scope for organisation "Trubka", application "trubka")."""
    env = os.environ if environ is None else environ
    base = env.get("ProgramData") or env.get("PROGRAMDATA") or r"C:\ProgramData"
    return PureWindowsPath(base, "Trubka", "trubka.ini")


def user_settings_path(environ: dict[str, str] | None = None) -> PureWindowsPath:
    """The user's own settings.ini (platformdirs' user config dir for "trubka")."""
    env = os.environ if environ is None else environ
    base = env.get("LOCALAPPDATA") or str(PureWindowsPath(env.get("USERPROFILE", "C:\\"),
                                                            "AppData", "Local"))
    return PureWindowsPath(base, "trubka", "settings.ini")
