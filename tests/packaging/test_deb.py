"""The Linux package end to end (issue 8): `packaging/linux/build-deb.sh` builds the .deb
once per session, `dpkg -i` installs it system-wide, the installed app is used as an
employee would (offscreen), and `dpkg -r` takes everything away again.

Needs root and dpkg (it really installs the package); skips otherwise, and fails instead
when TRUBKA_REQUIRE_PACKAGING=1. TRUBKA_TEST_DEB=path/to.deb tests a .deb built earlier
instead of building one (for working on these tests; CI always builds).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import DATA, WEBHOOK_TOKEN, Relay
from tests.fakes.pbx import FakePbx
from tests.packaging.conftest import REPO, Program, clean_env, need, run
from trubka.desktop.platform import APP_ID
from trubka.desktop.settings import Preferences, PreferenceStore

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

VERSION = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]
ENTRY = Path(f"/usr/share/applications/{APP_ID}.desktop")
ICON_SIZES = (16, 22, 24, 32, 48, 64, 128, 256)
ICONS = [Path(f"/usr/share/icons/hicolor/{n}x{n}/apps/{APP_ID}.png") for n in ICON_SIZES]
ICONS.append(Path(f"/usr/share/icons/hicolor/scalable/apps/{APP_ID}.svg"))
QT_LIBS = ("libegl1", "libgl1", "libxkbcommon0", "libfontconfig1", "libdbus-1-3",
           "libxcb-cursor0", "libxcb-icccm4")


def installed_version() -> str:
    out = subprocess.run(["dpkg-query", "-W", "-f", "${Status} ${Version}", "trubka"],
                         capture_output=True, text=True, check=False)
    return out.stdout.split()[-1] if "install ok installed" in out.stdout else ""


@pytest.fixture(scope="module")
def deb() -> Path:
    """The .deb, built with the one documented command."""
    need(hasattr(os, "geteuid") and os.geteuid() == 0, "installing a .deb needs root")
    for tool in ("dpkg", "dpkg-deb", "objdump", "uv"):
        need(shutil.which(tool), f"{tool} is not installed")
    prebuilt = os.environ.get("TRUBKA_TEST_DEB")
    if prebuilt:
        return Path(prebuilt)
    result = run([REPO / "packaging/linux/build-deb.sh"], cwd=REPO, timeout=850)
    path = Path(result.stdout.strip().splitlines()[-1])
    assert path == REPO / "dist" / f"trubka_{VERSION}_amd64.deb" and path.is_file()
    return path


@pytest.fixture(scope="module")
def installed(deb: Path) -> Iterator[Path]:
    """`dpkg -i` of the package; removed again after the module even if a test fails."""
    run(["dpkg", "-i", deb], timeout=300)
    try:
        yield deb
    finally:
        if installed_version():
            run(["dpkg", "-r", "trubka"], timeout=300, check=False)


def test_package_metadata(deb: Path) -> None:
    """The control file names the package, version, architecture and the Qt runtime
    libraries; the maintainer scripts are executable."""
    info = run(["dpkg-deb", "--info", deb]).stdout
    fields = dict(line.strip().split(": ", 1) for line in
                  run(["dpkg-deb", "--field", deb]).stdout.splitlines() if ": " in line)
    assert (fields["Package"], fields["Version"], fields["Architecture"]) == (
        "trubka", VERSION, "amd64")
    depends = {alt.strip().split()[0] for group in fields["Depends"].split(",")
               for alt in group.split("|")}
    assert set(QT_LIBS) <= depends, fields["Depends"]
    for script in ("postinst", "postrm"):
        assert any(script in line and "*" in line for line in info.splitlines()), info


def test_installed_entry_icons_and_default_handler(installed: Path, tmp_path: Path) -> None:
    """After `dpkg -i`: the menu entry passes desktop-file-validate, every icon size is in
    hicolor, and in a fresh account `xdg-mime` names Trubka for tel: (the package's entry
    is the handler the system knows; no per-user step needed)."""
    validate = run([shutil.which("desktop-file-validate") or "desktop-file-validate", ENTRY],
                   check=False)
    assert validate.returncode == 0 and not validate.stdout.strip(), validate.stdout
    text = ENTRY.read_text(encoding="utf-8")
    assert "\nExec=/usr/bin/trubka %u\n" in text
    assert ("\nMimeType=x-scheme-handler/tel;x-scheme-handler/callto;x-scheme-handler/sip;"
            "x-scheme-handler/trubka;\n") in text
    assert all(icon.is_file() for icon in ICONS)
    env = clean_env(tmp_path / "home")
    for scheme in ("tel", "callto", "sip", "trubka"):
        query = run(["xdg-mime", "query", "default", f"x-scheme-handler/{scheme}"], env=env)
        assert query.stdout.strip() == ENTRY.name
    version = run(["/usr/bin/trubka", "--version"], env=env, cwd=tmp_path)
    assert version.stdout.strip() == f"trubka {VERSION}"


def test_admin_default_wins_over_another_handler(installed: Path, tmp_path: Path) -> None:
    """With another tel: handler installed, the line docs/install.md gives administrators
    for /etc/xdg/mimeapps.list makes Trubka every user's default (here in a throw-away
    XDG_CONFIG_DIRS, the directory /etc/xdg stands for)."""
    other = tmp_path / "share"
    (other / "applications").mkdir(parents=True)
    (other / "applications" / "softphone.desktop").write_text(
        "[Desktop Entry]\nType=Application\nName=Softphone\nExec=/bin/true %u\n"
        "MimeType=x-scheme-handler/tel;\n")
    run(["update-desktop-database", other / "applications"])
    etc = tmp_path / "etc-xdg"
    env = clean_env(tmp_path / "home", XDG_DATA_DIRS=f"{other}:/usr/local/share:/usr/share",
                    XDG_CONFIG_DIRS=str(etc))

    def query() -> str:
        return run(["xdg-mime", "query", "default", "x-scheme-handler/tel"],
                   env=env).stdout.strip()

    assert query() == "softphone.desktop"
    etc.mkdir()
    (etc / "mimeapps.list").write_text(
        f"[Default Applications]\nx-scheme-handler/tel={ENTRY.name}\n")
    assert query() == ENTRY.name


def incoming(call_id: str, phone: str = "89991234567") -> dict[str, str]:
    post = json.loads((DATA / "prostiezvonki/incoming-answered.jsonl").read_text()
                      .splitlines()[0])
    return {**post, "callid": call_id, "phone": phone, "crm_token": WEBHOOK_TOKEN}


def test_installed_app_pops_a_call_and_takes_links(installed: Path, pz_relay: Relay,
                                                   fake_pbx: FakePbx, tmp_path: Path,
                                                   programs: list[Program]) -> None:
    """/usr/bin/trubka starts offscreen against a relay, pops a call window for a PBX
    call, and `xdg-open tel:...` reaches the running instance, which dials through the
    PBX — the path a click on a phone link takes."""
    import httpx

    token = pz_relay.add_user("Иванов Иван", "100")
    home = tmp_path / "home"
    # DISPLAY: xdg-open uses scheme handlers only in a graphical session; Qt still draws
    # offscreen. The user turned off "ask before calling from links" (a dialog would wait).
    env = clean_env(home, DISPLAY=":99", TRUBKA_LOG_DIR=str(tmp_path / "logs"))
    PreferenceStore(home / ".config" / "trubka").save(Preferences(
        relay_url=pz_relay.url, ext="100", language="en", confirm_links=False))
    app = Program(["/usr/bin/trubka", "--token", token, "-v"], env, tmp_path)
    programs.append(app)
    app.wait_for(r"connection: connected")

    reply = httpx.post(pz_relay.url + "/hooks/prostiezvonki", json=incoming("deb-1"), timeout=10)
    assert reply.status_code == 200, reply.text
    app.wait_for(r"window shown: call \S+ in ringing \+79991234567")

    opened = run(["xdg-open", "tel:+7-999-765-43-21"], env=env, cwd=tmp_path, timeout=60)
    assert opened.returncode == 0
    app.wait_for(r"request from another launch: url")
    app.wait_for(r"dial \+79997654321 \(from url\)")
    app.wait_for(r"dial \+79997654321: the PBX is calling")
    makecalls = [r for r in fake_pbx.requests if r.path == "/crmapi/v1/makecall"]
    assert len(makecalls) == 1
    assert "9997654321" in re.sub(r"\D", "", makecalls[0].body.decode())
    log = (tmp_path / "logs" / "trubka.log").read_text(encoding="utf-8")
    assert "window shown: call" in log and token not in log


def test_remove_leaves_nothing(installed: Path, tmp_path: Path) -> None:
    """`dpkg -r trubka` (what `apt remove` runs) removes the bundle, the command, the menu
    entry and every icon, and the system no longer names Trubka for tel:; running the app
    wrote nothing into /opt/trubka that dpkg does not know about."""
    listed = set(run(["dpkg", "-L", "trubka"]).stdout.split("\n"))
    on_disk = {str(p) for p in Path("/opt/trubka").rglob("*")}
    assert on_disk <= listed, sorted(on_disk - listed)[:10]
    run(["dpkg", "-r", "trubka"], timeout=300)
    assert installed_version() == ""
    assert not Path("/opt/trubka").exists()
    assert not Path("/usr/bin/trubka").exists() and not Path("/usr/bin/trubka").is_symlink()
    assert not ENTRY.exists() and not any(icon.exists() for icon in ICONS)
    cache = Path("/usr/share/applications/mimeinfo.cache")
    assert not cache.exists() or APP_ID not in cache.read_text(encoding="utf-8")
    env = clean_env(tmp_path / "home")
    query = run(["xdg-mime", "query", "default", "x-scheme-handler/tel"], env=env)
    assert APP_ID not in query.stdout


def test_apt_install_and_remove(deb: Path, tmp_path: Path) -> None:
    """The commands docs/install.md gives employees: `apt install ./trubka_<v>_amd64.deb`
    installs it (resolving Depends), `apt remove trubka` leaves nothing behind and
    `apt purge trubka` also drops dpkg's record of it."""
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run(["apt", "install", "-y", f"./{deb.name}"], cwd=deb.parent, env=env, timeout=300)
    try:
        assert installed_version() == VERSION and ENTRY.exists()
        run(["/usr/bin/trubka", "--version"], env=clean_env(tmp_path / "home"), cwd=tmp_path)
    finally:
        run(["apt", "remove", "-y", "trubka"], env=env, timeout=300)
    assert installed_version() == ""
    assert not Path("/opt/trubka").exists() and not ENTRY.exists()
    assert not any(icon.exists() for icon in ICONS)
    run(["apt", "purge", "-y", "trubka"], env=env, timeout=300)  # forget the record too
    status = run(["dpkg-query", "-W", "-f", "${Status}", "trubka"], check=False)
    assert status.returncode != 0 or "not-installed" in status.stdout, status.stdout
