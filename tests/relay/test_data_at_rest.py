"""Issue 10 item 13: the data directory and the SQLite database (which holds provider
secrets in clear), its WAL and shared-memory files, and enrolment-link files are
private to the relay's user; the systemd unit says so too."""

from __future__ import annotations

import shutil
import stat
import subprocess
from pathlib import Path

import httpx
import pytest

from tests.conftest import WEBHOOK_TOKEN, run_cli
from trubka.relay.config import RelayConfig
from trubka.relay.server import RelayServer

UNIT = Path(__file__).parents[2] / "packaging" / "relay" / "trubka-relay.service"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_server_creates_a_private_directory_and_database(tmp_path: Path) -> None:
    """Under the usual umask (022), a new data dir is 0700 and relay.db, relay.db-wal and
    relay.db-shm (and the configuration stamp relay.db-config) are 0600 once the relay has
    written a provider's secret."""
    data = tmp_path / "fresh" / "relay"
    with RelayServer(RelayConfig(data_dir=data)):
        run_cli(data, "provider", "set", "prostiezvonki", "--webhook-token", WEBHOOK_TOKEN)
        files = {p.name: mode(p) for p in data.iterdir() if p.name.startswith("relay.db")}
        assert mode(data) == 0o700
        assert files == {"relay.db": 0o600, "relay.db-wal": 0o600, "relay.db-shm": 0o600,
                         "relay.db-config": 0o600}  # the configuration stamp


def test_the_cli_creates_them_private_too(tmp_path: Path) -> None:
    """A first `users add` (no server yet) makes the same private directory and files."""
    data = tmp_path / "relay"
    run_cli(data, "users", "add", "--name", "Иванов", "--ext", "100")
    assert mode(data) == 0o700
    assert all(mode(p) == 0o600 for p in data.iterdir() if p.name.startswith("relay.db"))


def test_an_existing_readable_database_is_narrowed(tmp_path: Path) -> None:
    """A database an older relay left 0644 is made 0600 the next time it is opened."""
    data = tmp_path / "relay"
    run_cli(data, "users", "add", "--name", "Иванов", "--ext", "100")
    (data / "relay.db").chmod(0o644)
    run_cli(data, "users", "list")
    assert mode(data / "relay.db") == 0o600


def test_links_out_is_private_from_the_first_byte(tmp_path: Path) -> None:
    """`users import --enroll --links-out` writes its file 0600 (links sign people in),
    with formula cells neutralised like every CSV the relay writes."""
    employees = tmp_path / "people.csv"
    employees.write_text("name,ext\n=cmd|' /C calc'!A0,100\n", encoding="utf-8")
    links = tmp_path / "links.csv"
    run_cli(tmp_path / "relay", "settings", "set", "public-url", "https://relay.example.invalid")
    run_cli(tmp_path / "relay", "users", "import", str(employees), "--enroll",
            "--links-out", str(links))
    assert mode(links) == 0o600
    assert links.read_text(encoding="utf-8").splitlines()[1].startswith("'=cmd")


def test_the_systemd_unit_keeps_its_state_directory_private(tmp_path: Path) -> None:
    """StateDirectoryMode=0700 and UMask=0077; `systemd-analyze verify` accepts the unit
    (its ExecStart pointed at an executable that exists here)."""
    text = UNIT.read_text(encoding="utf-8")
    assert "\nStateDirectoryMode=0700\n" in text and "\nUMask=0077\n" in text
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed")
    unit = tmp_path / "trubka-relay.service"
    unit.write_text(text.replace("/opt/trubka/.venv/bin/trubka-relay", "/bin/true"),
                    encoding="utf-8")
    checked = subprocess.run(["systemd-analyze", "verify", str(unit)], capture_output=True,
                             text=True, check=False)
    assert checked.returncode == 0, checked.stderr


def test_the_relay_still_serves_from_a_private_directory(tmp_path: Path) -> None:
    """Nothing the relay needs is locked out: a webhook round trip works."""
    data = tmp_path / "relay"
    run_cli(data, "provider", "set", "prostiezvonki", "--webhook-token", WEBHOOK_TOKEN)
    with RelayServer(RelayConfig(data_dir=data)) as server:
        reply = httpx.post(server.url + "/hooks/prostiezvonki", json={
            "cmd": "contact", "phone": "89991234567", "crm_token": WEBHOOK_TOKEN})
        assert reply.status_code == 200
