"""Every documented install path from the built wheel (issue 8): fresh virtualenvs outside
the checkout with only the named extra, and `uv tool install`."""

from __future__ import annotations

import json
import os
import shutil
import sys
import tomllib
import zipfile
from pathlib import Path

import httpx
import pytest

import trubka
from tests.conftest import DATA, WEBHOOK_TOKEN, Relay, ws_client
from tests.fakes.pbx import FakePbx
from tests.packaging.conftest import (
    REPO,
    Program,
    clean_env,
    free_port,
    make_venv,
    need,
    probe,
    run,
    site_packages,
    uv,
)
from trubka.desktop.settings import Preferences, PreferenceStore

pytestmark = pytest.mark.slow

RESOURCE_PROBE = r"""
import json, sys
from PySide6.QtCore import QCoreApplication, QTranslator
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication
from trubka.desktop import resources
app = QApplication([])
qm = resources.translation_file("ru")
translator = QTranslator()
loaded = bool(qm) and translator.load(str(qm))
app.installTranslator(translator)
print(json.dumps({
    "root": str(resources.ROOT), "kind": resources.KIND,
    "icons": {p.stem: QSvgRenderer(str(p)).isValid() for p in resources.ICONS.glob("*.svg")},
    "qm": str(qm), "loaded": loaded,
    "text": QCoreApplication.translate("Dialer", "Your phone rings first, then {number}."),
}))
"""


def russian(source: str) -> str:
    """The Russian translation of `source`, read from the checkout's .ts."""
    import xml.etree.ElementTree as ET

    root = ET.parse(REPO / "resources/translations/trubka_ru.ts").getroot()
    for message in root.iter("message"):
        if message.findtext("source") == source:
            return message.findtext("translation") or ""
    raise KeyError(source)


def test_version_is_one_number() -> None:
    """pyproject's version (the .deb's and installer's) is the one `trubka --version` says."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert project["version"] == trubka.__version__


def test_wheel_carries_resources(wheel: Path) -> None:
    """The wheel holds every icon and .ts as trubka/resources, and no compiled .qm; the
    relay's page templates and static files, and the PBX guides as trubka/guides."""
    names = set(zipfile.ZipFile(wheel).namelist())
    web = REPO / "app/trubka/relay/web"
    for path in [*(web / "templates").rglob("*.html"), *(web / "static").iterdir()]:
        assert f"trubka/relay/web/{path.relative_to(web)}" in names, path
    for path in (REPO / "docs/providers").glob("*.md"):
        assert f"trubka/guides/{path.name}" in names
    for path in (REPO / "resources").rglob("*"):
        if path.is_file() and path.suffix != ".qm":
            assert f"trubka/resources/{path.relative_to(REPO / 'resources')}" in names
    assert not [n for n in names if n.endswith(".qm") or n.startswith("tests/")]


@pytest.fixture(scope="module")
def desktop_venv(tmp_path_factory: pytest.TempPathFactory, wheel: Path,
                 constraints: Path) -> Path:
    return make_venv(tmp_path_factory.mktemp("desktop") / "venv", wheel, "desktop", constraints)


def test_desktop_extra_finds_resources_outside_the_checkout(desktop_venv: Path,
                                                            tmp_path: Path) -> None:
    """`trubka[desktop]` alone: --version works; icons and the Russian translation come from
    the venv's site-packages, compiled into the user's cache, the package left untouched."""
    env = clean_env(tmp_path / "home")
    version = run([desktop_venv / "trubka", "--version"], env=env, cwd=tmp_path)
    assert version.stdout.strip() == f"trubka {trubka.__version__}"
    relay_absent = run([desktop_venv / "python", "-c", "import fastapi"], env=env,
                       cwd=tmp_path, check=False)
    assert relay_absent.returncode != 0  # only the desktop extra is installed

    found = probe(desktop_venv / "python", env, tmp_path, RESOURCE_PROBE)
    packages = site_packages(desktop_venv / "python")
    assert Path(str(found["root"])).is_relative_to(packages), found
    assert found["kind"] == "package"
    icons = found["icons"]
    assert isinstance(icons, dict) and icons.get("handset") and all(icons.values()), icons
    assert found["loaded"] is True
    assert Path(str(found["qm"])).is_relative_to(tmp_path / "home" / ".cache")
    assert found["text"] == russian("Your phone rings first, then {number}.")
    assert not list((packages / "trubka").rglob("*.qm")), "the package stays untouched"


def test_desktop_extra_app_runs_in_russian(desktop_venv: Path, pz_relay: Relay,
                                           fake_pbx: FakePbx, tmp_path: Path,
                                           programs: list[Program]) -> None:
    """The installed `trubka` starts offscreen from outside the checkout, connects, takes a
    `trubka dial` from a second launch and tells the user in Russian that the PBX calls."""
    token = pz_relay.add_user("Иванов Иван", "100")
    profile = tmp_path / "profile"
    PreferenceStore(profile).save(Preferences(relay_url=pz_relay.url, ext="100",
                                              language="ru"))
    env = clean_env(tmp_path / "home", TRUBKA_LOG_DIR=str(tmp_path / "logs"))
    app = Program([desktop_venv / "trubka", "--profile", profile, "--token", token, "-v"],
                  env, tmp_path)
    programs.append(app)
    app.wait_for(r"connection: connected")
    handed = run([desktop_venv / "trubka", "--profile", profile, "dial", "+79991234567"],
                 env=env, cwd=tmp_path, timeout=60)
    assert handed.returncode == 0
    app.wait_for(r"request from another launch: dial")
    expected = russian("Your phone rings first, then {number}.").split("{")[0]
    app.wait_for(r"info shown: " + expected)
    assert [r.path for r in fake_pbx.requests] == ["/crmapi/v1/makecall"]


@pytest.fixture(scope="module")
def relay_venv(tmp_path_factory: pytest.TempPathFactory, wheel: Path,
               constraints: Path) -> Path:
    return make_venv(tmp_path_factory.mktemp("relay") / "venv", wheel, "relay", constraints)


class VenvRelay:
    """`trubka-relay serve` from an installed venv, on a free loopback port."""

    def __init__(self, bin_dir: Path, data_dir: Path) -> None:
        self.bin = bin_dir
        self.data_dir = data_dir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.ws_url = f"ws://127.0.0.1:{self.port}"

    def cli(self, *args: str, env: dict[str, str], cwd: Path) -> str:
        out = run([self.bin / "trubka-relay", "--data-dir", self.data_dir, *args], env=env,
                  cwd=cwd, timeout=60)
        return out.stdout


async def test_relay_extra_serves_and_maintains(relay_venv: Path, tmp_path: Path,
                                                programs: list[Program]) -> None:
    """`trubka[relay]` alone (no redis, asyncpg or Qt): serve starts on SQLite, a webhook
    reaches the employee's socket, and maintain runs."""
    env = clean_env(tmp_path / "home")
    scale_absent = run([relay_venv / "python", "-c", "import redis"], env=env, cwd=tmp_path,
                    check=False)
    assert scale_absent.returncode != 0  # the scale extra is not installed
    relay = VenvRelay(relay_venv, tmp_path / "data")
    relay.cli("provider", "set", "prostiezvonki", "--webhook-token", WEBHOOK_TOKEN, env=env,
              cwd=tmp_path)
    token = relay.cli("users", "add", "--name", "Иванов Иван", "--ext", "100", env=env,
                      cwd=tmp_path).strip().splitlines()[-1]
    server = Program([relay_venv / "trubka-relay", "--data-dir", relay.data_dir, "serve",
                      "--port", str(relay.port)], env, tmp_path)
    programs.append(server)
    server.wait_for("Uvicorn running on")
    post = json.loads((DATA / "prostiezvonki/incoming-answered.jsonl").read_text()
                      .splitlines()[0])
    async with ws_client(relay, token) as desk:
        assert (await desk.frame())["type"] == "hello"
        async with httpx.AsyncClient(base_url=relay.url, timeout=10) as http:
            reply = await http.post("/hooks/prostiezvonki", json=post)
        assert reply.status_code == 200, reply.text
        frame = await desk.frame()
        assert frame["type"] == "call" and frame["call"]["state"] == "ringing", frame
        await _browser_pages_served(relay, token)
    server.stop()
    relay.cli("maintain", env=env, cwd=tmp_path)


async def _browser_pages_served(relay: VenvRelay, token: str) -> None:
    """The console, the web client, their scripts and a PBX guide come from the wheel
    (no browser, no Node): a session signs in and every page and script answers."""
    async with httpx.AsyncClient(base_url=relay.url, timeout=10) as http:
        assert (await http.post("/api/v1/session", json={"token": token})).status_code == 200
        for path in ("/app/", "/admin/", "/static/app.js", "/static/console.js",
                     "/static/common.js", "/static/book.js", "/static/trubka.css"):
            reply = await http.get(path)
            assert reply.status_code in (200, 403) and len(reply.text) > 100, path


def test_relay_extra_redis_url_names_the_extra(relay_venv: Path, tmp_path: Path) -> None:
    """`trubka[relay]` given a Redis URL without the Redis client: exit 2 with one line
    naming `trubka[scale]`, no traceback."""
    env = clean_env(tmp_path / "home")
    result = run([relay_venv / "trubka-relay", "--data-dir", tmp_path / "data",
                  "--redis-url", "redis://127.0.0.1:6379/0", "serve", "--port",
                  str(free_port())], env=env, cwd=tmp_path, timeout=30, check=False)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "trubka[scale]" in lines[0], result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_relay_command_without_the_relay_extra(desktop_venv: Path, tmp_path: Path) -> None:
    """`trubka[desktop]` also installs the `trubka-relay` command: without the relay's
    packages it says in one line which extra to install (exit 2), no traceback."""
    result = run([desktop_venv / "trubka-relay", "--help"], env=clean_env(tmp_path / "home"),
                 cwd=tmp_path, timeout=30, check=False)
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "trubka[relay]" in lines[0], result.stderr


def test_demo_without_the_relay_extra_says_what_to_do(desktop_venv: Path, tmp_path: Path) -> None:
    """`trubka demo` embeds a relay: from a desktop-only install it exits 2 with one line
    saying how to get one, no traceback."""
    result = run([desktop_venv / "trubka", "demo"], env=clean_env(tmp_path / "home"),
                 cwd=tmp_path, timeout=60, check=False)
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "trubka[relay,desktop]" in lines[0], result.stderr


def test_relay_extra_postgres_url_names_the_extra(relay_venv: Path, tmp_path: Path) -> None:
    """`trubka[relay]` given a PostgreSQL URL without asyncpg: one line naming
    `trubka[scale]`, exit 2, for `serve` and an admin command alike."""
    for command in (["serve", "--port", str(free_port())], ["users", "list"]):
        result = run([relay_venv / "trubka-relay", "--database-url",
                      "postgresql://postgres@127.0.0.1:5432/postgres", *command],
                     env=clean_env(tmp_path / "home"), cwd=tmp_path, timeout=30, check=False)
        assert result.returncode == 2, result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and "trubka[scale]" in lines[0], result.stderr


def test_uv_tool_install(wheel: Path, constraints: Path, tmp_path: Path) -> None:
    """docs/install.md's `uv tool install "./trubka-<version>-py3-none-any.whl[desktop]"`
    puts a working `trubka` on the tool bin dir, with its resources in the tool's own
    environment; `uv tool uninstall trubka` removes it."""
    env = clean_env(tmp_path / "home", UV_TOOL_DIR=str(tmp_path / "tools"),
                    UV_TOOL_BIN_DIR=str(tmp_path / "bin"), UV_CONSTRAINT=str(constraints),
                    UV_PYTHON=sys.executable)
    run([uv(), "tool", "install", f"./{wheel.name}[desktop]"], env=env, cwd=wheel.parent)
    trubka_bin = tmp_path / "bin" / "trubka"
    version = run([trubka_bin, "--version"], env=env, cwd=tmp_path)
    assert version.stdout.strip() == f"trubka {trubka.__version__}"
    python = tmp_path / "tools" / "trubka" / "bin" / "python"
    found = probe(python, env, tmp_path, RESOURCE_PROBE)
    assert Path(str(found["root"])).is_relative_to(tmp_path / "tools"), found
    assert found["text"] == russian("Your phone rings first, then {number}.")
    run([uv(), "tool", "uninstall", "trubka"], env=env, cwd=tmp_path)
    assert not trubka_bin.exists() and not (tmp_path / "tools" / "trubka").exists()


def test_pipx_install(wheel: Path, constraints: Path, tmp_path: Path) -> None:
    """docs/install.md's `pipx install "./trubka-<version>-py3-none-any.whl[desktop]"` (pipx
    from the distribution, its own Python and pip) gives a `trubka` that finds its
    translations; `pipx uninstall trubka` removes it."""
    pipx = shutil.which("pipx")
    need(pipx, "pipx is not installed")
    # pip's download cache stays the user's own, so only the first run downloads Qt.
    cache = os.environ.get("PIP_CACHE_DIR") or str(Path.home() / ".cache" / "pip")
    env = clean_env(tmp_path / "home", PIPX_HOME=str(tmp_path / "pipx"),
                    PIPX_BIN_DIR=str(tmp_path / "bin"), PIP_CONSTRAINT=str(constraints),
                    PIP_CACHE_DIR=cache, PIP_DISABLE_PIP_VERSION_CHECK="1")
    run([pipx, "install", f"./{wheel.name}[desktop]"], env=env, cwd=wheel.parent, timeout=600)
    version = run([tmp_path / "bin" / "trubka", "--version"], env=env, cwd=tmp_path)
    assert version.stdout.strip() == f"trubka {trubka.__version__}"
    python = tmp_path / "pipx" / "venvs" / "trubka" / "bin" / "python"
    found = probe(python, env, tmp_path, RESOURCE_PROBE)
    assert found["kind"] == "package" and found["loaded"] is True, found
    assert found["text"] == russian("Your phone rings first, then {number}.")
    run([pipx, "uninstall", "trubka"], env=env, cwd=tmp_path)
    assert not (tmp_path / "bin" / "trubka").exists()
