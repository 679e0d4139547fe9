"""Smart transfer (SPEC §2.1, §6): the `contact` lookup answers the responsible ext."""

from __future__ import annotations

import httpx
import pytest

from tests.conftest import WEBHOOK_TOKEN, Relay, auth


def ask(relay: Relay, phone: str) -> dict[str, str]:
    with httpx.Client(base_url=relay.url) as http:
        reply = http.post("/hooks/prostiezvonki",
                          json={"cmd": "contact", "phone": phone, "crm_token": WEBHOOK_TOKEN})
    assert reply.status_code == 200
    return reply.json()  # type: ignore[no-any-return]


@pytest.fixture
def book(pz_relay: Relay) -> Relay:
    token = pz_relay.add_user("Иванов", "100")
    with httpx.Client(base_url=pz_relay.url, headers=auth(token)) as http:
        for body in ({"name": "Клиент", "phones": ["8 999 123-45-67"], "responsible_ext": "100"},
                     {"name": "Без ответственного", "phones": ["+7 912 000-11-22"]},
                     {"name": "Уволенный", "phones": ["+7 913 000-33-44"],
                      "responsible_ext": "555"}):
            assert http.post("/api/v1/contacts", json=body).status_code == 201
    return pz_relay


def test_known_client_with_responsible(book: Relay) -> None:
    """Found, has a responsible employee with an extension: {"responsible": "100"}."""
    assert ask(book, "89991234567") == {"contact_name": "Клиент", "responsible": "100"}


@pytest.mark.parametrize("phone", ["89120001122", "89130003344", "84950000000", "garbage"])
def test_otherwise_responsible_is_empty(book: Relay, phone: str) -> None:
    """No contact, no responsible, or a responsible who is no user: {"responsible": ""}."""
    assert ask(book, phone)["responsible"] == ""


def test_last_digits_rule_applies(book: Relay) -> None:
    """With N = 7, another number ending in the same 7 digits finds the client."""
    assert ask(book, "+7 495 123-45-67")["responsible"] == "100"  # last 5 match by default
    book.cli("settings", "set", "last-digits", "7")
    assert ask(book, "+7 495 123-45-67")["responsible"] == "100"  # 1234567 matches
    assert ask(book, "+7 495 023-45-67")["responsible"] == ""  # 0234567 does not


def test_switched_off(book: Relay) -> None:
    """smart-transfer off: the name is still given, the responsible is empty."""
    book.cli("settings", "set", "smart-transfer", "off")
    assert ask(book, "89991234567") == {"contact_name": "Клиент", "responsible": ""}


def test_bad_settings_are_refused(book: Relay) -> None:
    """`settings set` refuses out-of-range values with a reason, changing nothing."""
    book.cli("settings", "set", "last-digits", "0", expect=2)
    book.cli("settings", "set", "last-digits", "21", expect=2)
    book.cli("settings", "set", "smart-transfer", "maybe", expect=2)
    book.cli("settings", "set", "default-country", "XX", expect=2)
    assert "last-digits = 5" in book.cli("settings", "show")


def test_webhook_token_rotation(book: Relay) -> None:
    """`provider set NAME --rotate` makes a new webhook token; the old one is refused."""
    out = book.cli("provider", "set", "prostiezvonki", "--rotate")
    new = out.strip().splitlines()[-1]
    assert new != WEBHOOK_TOKEN and len(new) >= 24
    with httpx.Client(base_url=book.url) as http:
        old = http.post("/hooks/prostiezvonki", json={"cmd": "contact", "phone": "1",
                                                      "crm_token": WEBHOOK_TOKEN})
        fresh = http.post("/hooks/prostiezvonki", json={"cmd": "contact", "phone": "1",
                                                        "crm_token": new})
    assert (old.status_code, fresh.status_code) == (401, 200)


def test_outbound_provider_must_be_a_provider(book: Relay) -> None:
    """A typo in outbound-provider is refused, not saved; booleans show as on/off."""
    book.cli("settings", "set", "outbound-provider", "prostiezvonkki", expect=2)
    book.cli("settings", "set", "outbound-provider", "prostiezvonki")
    shown = book.cli("settings", "show")
    assert "outbound-provider = prostiezvonki" in shown and "smart-transfer = on" in shown
