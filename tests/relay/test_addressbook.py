"""`contacts import/export` with CSV and vCard: round trips, and bad files lose nothing."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.conftest import Relay, auth, run_cli

CSV = """name,company,phones,email,responsible_ext,note,crm_url
Смирнова Анна,Ромашка,"8 (999) 123-45-67; +7 495 111-22-33",anna@example.invalid,100,VIP,https://crm.example.invalid/1
"Иванов, Пётр",,89161234567,,,,
"""

VCF = """BEGIN:VCARD
VERSION:3.0
FN:Сидоров Олег
N:Сидоров;Олег;;;
ORG:Лютик
TEL;TYPE=CELL:+7 903 111-22-33
TEL;TYPE=WORK:8 (495) 765-43-21
EMAIL:oleg@example.invalid
NOTE:звонить после обеда
X-TRUBKA-RESPONSIBLE:101
END:VCARD
"""


def contacts(relay: Relay, token: str, q: str = "") -> list[dict]:
    with httpx.Client(base_url=relay.url, headers=auth(token)) as http:
        return http.get("/api/v1/contacts", params={"q": q}).json()  # type: ignore[no-any-return]


@pytest.mark.parametrize(("name", "text"), [("book.csv", CSV), ("book.vcf", VCF)])
@pytest.mark.parametrize("fmt", ["csv", "vcf"])
def test_import_export_round_trip(relay: Relay, tmp_path: Path, name: str, text: str,
                                  fmt: str) -> None:
    """Import, export as CSV or vCard, import that elsewhere: the same address book."""
    token = relay.add_user("Иванов", "100")
    (tmp_path / name).write_text(text, encoding="utf-8")
    out = relay.cli("contacts", "import", str(tmp_path / name))
    assert f"imported {len(contacts(relay, token))} contact(s)" in out
    relay.cli("contacts", "export", str(tmp_path / "first.csv"))
    relay.cli("contacts", "export", str(tmp_path / f"export.{fmt}"))
    elsewhere = tmp_path / "elsewhere"
    run_cli(elsewhere, "contacts", "import", str(tmp_path / f"export.{fmt}"))
    run_cli(elsewhere, "contacts", "export", str(tmp_path / "second.csv"))
    first = (tmp_path / "first.csv").read_text(encoding="utf-8")
    assert (tmp_path / "second.csv").read_text(encoding="utf-8") == first
    assert first.count("\n") == len(contacts(relay, token)) + 1


def test_csv_fields_arrive(relay: Relay, tmp_path: Path) -> None:
    """Several numbers, quoting, responsible and CRM link are read from CSV."""
    token = relay.add_user("Иванов", "100")
    (tmp_path / "b.csv").write_text(CSV, encoding="utf-8")
    relay.cli("contacts", "import", str(tmp_path / "b.csv"))
    [anna] = contacts(relay, token, "смирнова")
    assert anna["phones"] == ["+79991234567", "+74951112233"]
    assert (anna["responsible_ext"], anna["crm_url"]) == ("100",
                                                         "https://crm.example.invalid/1")
    assert [c["name"] for c in contacts(relay, token, "пётр")] == ["Иванов, Пётр"]


def test_vcard_fields_arrive(relay: Relay, tmp_path: Path) -> None:
    """FN, ORG, TEL, EMAIL, NOTE and the responsible extension are read from vCard."""
    token = relay.add_user("Иванов", "100")
    (tmp_path / "b.vcf").write_text(VCF, encoding="utf-8")
    relay.cli("contacts", "import", str(tmp_path / "b.vcf"))
    [oleg] = contacts(relay, token)
    assert (oleg["name"], oleg["company"], oleg["responsible_ext"]) == ("Сидоров Олег",
                                                                       "Лютик", "101")
    assert oleg["phones"] == ["+79031112233", "+74957654321"]
    assert oleg["note"] == "звонить после обеда"


@pytest.mark.parametrize(("name", "text", "problem"), [
    ("bad.csv", "name,phones\nОК,89991234567\n,89990000000\n", "line 3: name: a contact needs"),
    ("bad.csv", "name,phones\nОК,not-a-phone\n", "line 2: phones: not a phone number"),
    ("bad.csv", "fio,phones\nX,1\n", "no 'name' column"),
    ("bad.csv", "name,phones,crm_url\nX,1,javascript:x\n", "crm_url: must be an http(s)"),
    ("bad.vcf", "BEGIN:VCARD\nVERSION:3.0\nTEL:1\nEND:VCARD\n", "card 1: name: a contact"),
    ("bad.vcf", "this is not a vcard", "not a vCard file"),
])
def test_bad_files_import_nothing(relay: Relay, tmp_path: Path, name: str, text: str,
                                  problem: str, capsys: pytest.CaptureFixture[str]) -> None:
    """A file with any bad row is refused whole, saying where and why."""
    token = relay.add_user("Иванов", "100")
    (tmp_path / name).write_text(text, encoding="utf-8")
    relay.cli("contacts", "import", str(tmp_path / name), expect=2)
    assert problem in capsys.readouterr().err
    assert contacts(relay, token) == []


def test_not_utf8_and_missing_file(relay: Relay, tmp_path: Path) -> None:
    """Undecodable bytes and a missing file are clear errors."""
    (tmp_path / "latin.csv").write_bytes(b"name\n\xff\xfe\n")
    relay.cli("contacts", "import", str(tmp_path / "latin.csv"), expect=2)
    relay.cli("contacts", "import", str(tmp_path / "missing.csv"), expect=2)
