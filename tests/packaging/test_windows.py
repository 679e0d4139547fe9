"""Windows integration without Windows: `trubka integrate` and start-at-login against a
hand-written fake `winreg`, resolved the way the shell resolves a link and Default Apps
finds a candidate; and the Inno Setup script kept identical to the same entries."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path, PureWindowsPath

import pytest

from tests.packaging.conftest import REPO
from tests.packaging.fake_winreg import FakeWinreg
from trubka.desktop import integrate
from trubka.desktop.platform import AUMID, SCHEMES, windows

EXE = r"C:\Users\Иван Петров\AppData\Local\Programs\Trubka\trubka.exe"
ISS = REPO / "packaging" / "windows" / "trubka.iss"


def open_command(reg: FakeWinreg, scheme: str) -> str:
    """What the shell runs for `scheme:` links with no per-user choice made: the
    scheme's own key must say it is a URL protocol and name a command."""
    reg.value(rf"Software\Classes\{scheme}", "URL Protocol")
    return str(reg.value(rf"Software\Classes\{scheme}\shell\open\command", ""))


def default_apps_candidate(reg: FakeWinreg, app: str, scheme: str) -> str:
    """What Default Apps offers for `scheme` under the registered app `app`: its
    Capabilities' URLAssociations name a ProgID whose open command runs."""
    capabilities = reg.value(r"Software\RegisteredApplications", app)
    reg.value(capabilities, "ApplicationName")
    progid = reg.value(rf"{capabilities}\URLAssociations", scheme)
    return str(reg.value(rf"Software\Classes\{progid}\shell\open\command", ""))


def test_integrate_registers_every_scheme_and_default_apps() -> None:
    """`trubka integrate --install` makes each scheme open Trubka with the link as one
    argument, and offers Trubka in Default Apps for each; --uninstall leaves HKCU as it
    found it."""
    reg = FakeWinreg()
    before = reg.dump()
    integrate.install_windows([EXE], winreg=reg)
    command = f'"{EXE}" "%1"'
    for scheme in SCHEMES:
        assert open_command(reg, scheme) == command
        assert default_apps_candidate(reg, "Trubka", scheme) == command
    assert windows.default_apps_uri() == "ms-settings:defaultapps?registeredAppUser=Trubka"
    assert reg.value(r"Software\Classes\Trubka.Url\Application", "AppUserModelID") == AUMID
    integrate.uninstall_windows([EXE], winreg=reg)
    assert reg.dump() == before
    assert all(h.closed for h in reg.handles)


def test_install_twice_then_uninstall_is_clean() -> None:
    """Re-running the registration (an upgrade, or integrate after the installer) and then
    uninstalling once leaves nothing behind."""
    reg = FakeWinreg()
    before = reg.dump()
    integrate.install_windows([EXE], winreg=reg)
    integrate.install_windows([EXE], winreg=reg)
    integrate.uninstall_windows([EXE], winreg=reg)
    assert reg.dump() == before


def test_uninstall_keeps_what_other_apps_wrote() -> None:
    """Shared keys keep other applications' values: another Default Apps registration, a
    different tel: handler set after ours, an extra verb on callto:."""
    reg = FakeWinreg()
    with reg.CreateKey(reg.HKEY_CURRENT_USER, r"Software\RegisteredApplications") as key:
        reg.SetValueEx(key, "Softphone", 0, reg.REG_SZ, r"Software\Softphone\Capabilities")
    with reg.CreateKey(reg.HKEY_CURRENT_USER, r"Software\Classes\callto\shell\dial\command") as key:
        reg.SetValueEx(key, "", 0, reg.REG_SZ, r'"C:\Softphone\sp.exe" "%1"')
    integrate.install_windows([EXE], winreg=reg)
    with reg.CreateKey(reg.HKEY_CURRENT_USER, r"Software\Classes\tel\shell\open\command") as key:
        reg.SetValueEx(key, "", 0, reg.REG_SZ, r'"C:\Softphone\sp.exe" "%1"')
    integrate.uninstall_windows([EXE], winreg=reg)
    left = reg.dump()
    assert left[r"Software\RegisteredApplications"] == {
        "Softphone": r"Software\Softphone\Capabilities"}
    assert left[r"Software\Classes\callto\shell\dial\command"] == {
        "": r'"C:\Softphone\sp.exe" "%1"'}
    assert left[r"Software\Classes\tel\shell\open\command"] == {"": r'"C:\Softphone\sp.exe" "%1"'}
    assert not [k for k in left if "trubka" in k.lower()]


def test_start_at_login_run_value() -> None:
    """Start at login is the HKCU Run value "Trubka" with the quoted program (the same the
    installer's "startup" task writes); turning it off removes only that value."""
    reg = FakeWinreg()
    with reg.CreateKey(reg.HKEY_CURRENT_USER, windows.RUN_KEY) as key:
        reg.SetValueEx(key, "OneDrive", 0, reg.REG_SZ, r'"C:\OneDrive.exe" /background')
    where = integrate.set_autostart(True, [EXE], winreg=reg)
    assert where == rf"HKCU\{windows.RUN_KEY}"
    assert reg.value(windows.RUN_KEY, "Trubka") == f'"{EXE}"'
    integrate.set_autostart(False, [EXE], winreg=reg)
    assert reg.dump()[windows.RUN_KEY] == {"OneDrive": r'"C:\OneDrive.exe" /background'}


def test_run_value_length_limit() -> None:
    """A Run command line over 260 characters is refused rather than silently cut."""
    with pytest.raises(ValueError):
        windows.run_at_login(["C:\\" + "x" * 260 + "\\trubka.exe"])


def test_registration_needs_one_program() -> None:
    """A `python -m` launch cannot be a link handler; integrate says so instead of writing
    a command that would not start."""
    with pytest.raises(ValueError):
        integrate.install_windows([r"C:\Python\python.exe", "-m", "trubka.desktop.cli"],
                                  winreg=FakeWinreg())


def test_process_identity_matches_the_shortcut() -> None:
    """The AppUserModelID the process sets is the one the Start-menu shortcut carries (so
    toasts are attributed to Trubka): the installer's and the CLI's value both equal AUMID."""
    calls: list[str] = []

    class Shell32:
        def SetCurrentProcessExplicitAppUserModelID(self, aumid: str) -> int:
            calls.append(aumid)
            return 0

    windows.set_process_identity(Shell32())
    assert calls == [AUMID]
    assert f'#define AppUserModelID "{AUMID}"' in ISS.read_text(encoding="utf-8-sig")
    assert 'AppUserModelID: "{#AppUserModelID}"' in ISS.read_text(encoding="utf-8-sig")
    cli = (REPO / "app/trubka/desktop/cli.py").read_text(encoding="utf-8")
    set_in_cli = re.findall(r"SetCurrentProcessExplicitAppUserModelID\(([^)]*)\)", cli)
    assert set_in_cli or "set_process_identity(" in cli
    assert all(a.strip() in (f'"{AUMID}"', "AUMID") for a in set_in_cli), set_in_cli


def test_paths() -> None:
    """Company defaults live in %ProgramData%\\Trubka\\trubka.ini and the user's own
    settings in %LOCALAPPDATA%\\trubka\\settings.ini (platformdirs' choice for "trubka")."""
    env = {"ProgramData": r"D:\PD", "LOCALAPPDATA": r"C:\Users\u\AppData\Local"}
    assert windows.company_defaults_path(env) == PureWindowsPath(r"D:\PD\Trubka\trubka.ini")
    assert windows.user_settings_path(env) == PureWindowsPath(
        r"C:\Users\u\AppData\Local\trubka\settings.ini")
    assert windows.company_defaults_path({}) == PureWindowsPath(
        r"C:\ProgramData\Trubka\trubka.ini")


# -- the Inno Setup script -------------------------------------------------------------------

_PARAM = re.compile(r'(\w+): ("(?:[^"]|"")*"|[^;]*)')


def inno_entries(text: str) -> list[dict[str, str]]:
    """The [Registry] lines of an .iss, parsed as Inno does: quoted values with `""` for a
    quote and `{{` for a brace."""
    section = text.split("[Registry]", 1)[1]
    rows = []
    for line in section.splitlines():
        if not line.startswith("Root:"):
            continue
        row = {}
        for name, raw in _PARAM.findall(line):
            value = raw.strip()
            if value.startswith('"'):
                value = value[1:-1].replace('""', '"').replace("{{", "{")
            row[name] = value
        rows.append(row)
    return rows


def apply_as_inno(reg: FakeWinreg, rows: list[dict[str, str]], app: str) -> None:
    for row in rows:
        with reg.CreateKey(reg.HKEY_CURRENT_USER, row["Subkey"]) as key:
            if row["ValueType"] == "string":
                reg.SetValueEx(key, row["ValueName"], 0, reg.REG_SZ,
                               row["ValueData"].replace("{app}", app))


def uninstall_as_inno(reg: FakeWinreg, rows: list[dict[str, str]]) -> None:
    """Inno's uninstaller: entries in reverse; uninsdeletekey removes the key and all
    below it, uninsdeletevalue the value, uninsdeletekeyifempty the key if it is empty."""
    for row in reversed(rows):
        flags = row.get("Flags", "").split()
        if "uninsdeletevalue" in flags:
            with reg.OpenKey(reg.HKEY_CURRENT_USER, row["Subkey"], 0, reg.KEY_SET_VALUE) as k:
                reg.DeleteValue(k, row["ValueName"])
        if "uninsdeletekey" in flags:
            windows._delete_tree(reg, row["Subkey"])
        if "uninsdeletekeyifempty" in flags:
            windows._delete_if_empty(reg, row["Subkey"])


def test_iss_is_generated_from_the_entries() -> None:
    """The committed trubka.iss is exactly what gen_iss.py makes from the Python entries,
    so the installer and `trubka integrate` cannot drift apart."""
    result = subprocess.run([sys.executable, str(REPO / "packaging/windows/gen_iss.py"),
                             "--check"], capture_output=True, text=True, timeout=60,
                            check=False)
    assert result.returncode == 0, result.stderr
    assert ISS.read_bytes().startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM for Inno < 6.3


def test_installer_writes_and_removes_what_integrate_does() -> None:
    """Read as Inno reads it, the installer writes the very values `trubka integrate`
    writes (plus the optional Run value), and its uninstaller leaves HKCU empty."""
    rows = inno_entries(ISS.read_text(encoding="utf-8-sig"))
    app = str(PureWindowsPath(EXE).parent)
    installer, integrated = FakeWinreg(), FakeWinreg()
    before = installer.dump()
    apply_as_inno(installer, rows, app)
    integrate.install_windows([EXE], winreg=integrated)
    expected = integrated.dump()
    expected[windows.RUN_KEY] = {"Trubka": f'"{EXE}"'}
    assert installer.dump() == expected
    startup = [r for r in rows if r.get("Tasks") == "startup"]
    assert [r["Subkey"] for r in startup] == [windows.RUN_KEY]
    uninstall_as_inno(installer, rows)
    assert installer.dump() == before


def test_iss_relay_parameter_and_per_user_mode() -> None:
    """The script never asks for elevation, installs into per-user places, and takes the
    relay address from /RELAY= for the company defaults (elevated) or the user's settings."""
    text = ISS.read_text(encoding="utf-8-sig")
    assert re.search(r"^PrivilegesRequired=lowest$", text, re.M)
    assert not re.search(r"^PrivilegesRequiredOverridesAllowed", text, re.M)
    assert "DefaultDirName={autopf}" in text and "{autoprograms}" in text
    defaults = windows.company_defaults_path({"ProgramData": "{commonappdata}"})
    user = windows.user_settings_path({"LOCALAPPDATA": "{localappdata}"})
    for path, check in ((defaults, "WriteCompanyDefaults"), (user, "WriteUserRelay")):
        line = next(ln for ln in text.splitlines() if ln.startswith(f'Filename: "{path}"'))
        assert 'Section: "trubka"; Key: "relay_url"; String: "{param:RELAY}"' in line
        assert f"Check: {check}" in line
    assert Path(ISS).parent.joinpath("gen_iss.py").exists()
