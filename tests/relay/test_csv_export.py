"""Issue 10 item 14, end to end: `contacts export` neutralises formula cells (phones in
E.164 included) and `contacts import` of that export gives back the same book."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import httpx

from tests.conftest import Relay, auth, run_cli
from trubka.core.csvcells import TRIGGERS
from trubka.relay.addressbook import parse_csv

HOSTILE = [
    {"name": "=HYPERLINK(\"https://evil.example.invalid\",\"Нажми\")", "company": "+1 ООО",
     "note": "@SUM(A1:A9)", "phones": ["+7 903 111-22-33"]},
    {"name": "-Минус", "company": "'=уже с апострофом", "note": "\tс табуляцией",
     "phones": ["8 495 765-43-21", "+44 20 7946 0958"]},
    {"name": "Обычный", "company": "Ромашка", "note": "", "phones": []},
]


def test_export_neutralises_and_reimports_losslessly(relay: Relay, tmp_path: Path) -> None:
    """No exported cell starts with a formula trigger; importing the export into an
    empty relay gives the same contacts, phones and all."""
    token = relay.add_user("Иванов", "100")
    with httpx.Client(base_url=relay.url, headers=auth(token)) as http:
        for contact in HOSTILE:
            assert http.post("/api/v1/contacts", json=contact).status_code == 201
        before = sorted(map(repr, (_shape(c) for c in http.get("/api/v1/contacts").json())))
    out = tmp_path / "export.csv"
    relay.cli("contacts", "export", str(out))
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert all(not cell.startswith(TRIGGERS) for row in rows for cell in row), rows
    assert any(cell.startswith("'+7") for row in rows for cell in row)
    other = tmp_path / "other"
    run_cli(other, "contacts", "import", str(out))
    run_cli(other, "contacts", "export", str(tmp_path / "again.csv"))
    assert (tmp_path / "again.csv").read_text(encoding="utf-8") == out.read_text(
        encoding="utf-8")
    read_back = parse_csv(out.read_text(encoding="utf-8"), "RU")  # what the import reads
    assert sorted(map(repr, (_shape(c.to_dict()) for c in read_back))) == before


def _shape(contact: dict[str, object]) -> tuple[object, ...]:
    return tuple(contact[k] for k in ("name", "company", "note", "phones"))
