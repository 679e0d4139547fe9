"""Issue 10 item 15, the relay's side: a vCard import goes through the one validation path
(core.contacts.validate), like the API and CSV — each class of value it used to let
through (links with other schemes, over-long fields, base64 `ENCODING=b` values) is
checked, and a file with any bad card imports nothing."""

from __future__ import annotations

import base64
from pathlib import Path

import httpx
import pytest

from tests.conftest import Relay, auth


def card(*lines: str) -> str:
    return "BEGIN:VCARD\r\nVERSION:3.0\r\n" + "".join(f"{line}\r\n" for line in lines) + \
        "END:VCARD\r\n"


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def book(relay: Relay, token: str) -> list[dict[str, object]]:
    with httpx.Client(base_url=relay.url, headers=auth(token)) as http:
        return http.get("/api/v1/contacts").json()  # type: ignore[no-any-return]


REFUSED = {
    "javascript: link": (card("FN:A", "URL:javascript:alert(1)"), "crm_url"),
    "data: link": (card("FN:A", "URL:data:text/html,<script>x</script>"), "crm_url"),
    "file: link": (card("FN:A", "URL:file:///etc/passwd"), "crm_url"),
    "name over 300": (card("FN:" + "Я" * 301), "name"),
    "note over 10000": (card("FN:A", "NOTE:" + "ж" * 10_001), "note"),
    "link over 2000": (card("FN:A", "URL:https://crm.example.invalid/" + "a" * 2000), "crm_url"),
    "21 numbers": (card("FN:A", *[f"TEL:+7903111{n:04d}" for n in range(21)]), "phones"),
    "company over 300": (card("FN:A", "ORG:" + "o" * 301), "company"),
    "control characters": (card("FN:A\\nB", "ORG:x\x07y"), "company"),
    "binary base64 name": ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN;ENCODING=b:"
                           + base64.b64encode(b"\xff\xfe\x00").decode() + "\r\nEND:VCARD\r\n",
                           "binary"),
    "base64 javascript link": (card("FN:A", "URL;ENCODING=b:" + b64("javascript:x")),
                               "crm_url"),
}


@pytest.mark.parametrize(("text", "problem"), REFUSED.values(), ids=REFUSED.keys())
def test_bad_cards_import_nothing(relay: Relay, tmp_path: Path, text: str, problem: str,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    """Each class of bad value in a vCard: the import is refused, naming the card and
    the field, and the book stays empty."""
    token = relay.add_user("Иванов", "100")
    good = card("FN:Хороший", "TEL:+79031112233")
    (tmp_path / "book.vcf").write_text(good + text, encoding="utf-8")
    relay.cli("contacts", "import", str(tmp_path / "book.vcf"), expect=2)
    err = capsys.readouterr().err
    assert "card 2" in err and problem in err, err
    assert book(relay, token) == []


def test_base64_text_values_arrive_as_text(relay: Relay, tmp_path: Path) -> None:
    """`ENCODING=b` text values (name, note, company, link) are decoded to the text
    they carry, never stored as a Python bytes literal."""
    token = relay.add_user("Иванов", "100")
    text = card("FN;ENCODING=b:" + b64("Сидоров Олег"), "ORG;ENCODING=b:" + b64("Лютик"),
                "NOTE;ENCODING=b:" + b64("звонить после обеда"),
                "URL;ENCODING=b:" + b64("https://crm.example.invalid/7"), "TEL:+79031112233")
    (tmp_path / "b64.vcf").write_text(text, encoding="utf-8")
    relay.cli("contacts", "import", str(tmp_path / "b64.vcf"))
    [oleg] = book(relay, token)
    assert (oleg["name"], oleg["company"], oleg["note"], oleg["crm_url"]) == (
        "Сидоров Олег", "Лютик", "звонить после обеда", "https://crm.example.invalid/7")
