"""The one contact model and its one validation path (core.contacts)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trubka.core.contacts import Contact, ContactInvalid, crm_url_allowed, validate
from trubka.core.numbers import valid_extension


def test_valid_contact_is_normalised() -> None:
    """Whitespace is folded, numbers become E.164 and duplicates collapse."""
    contact = validate({"name": "  Иван   Петров ", "phones": ["8 999 123-45-67",
                                                              "+7 (999) 123-45-67", "101"],
                        "responsible_ext": "100", "crm_url": "e1c://server/srv/base"}, "RU")
    assert contact.name == "Иван Петров"
    assert [p.canonical for p in contact.phones] == ["+79991234567", "101"]
    assert contact.phones[0].raw == "8 999 123-45-67"


@pytest.mark.parametrize(("fields", "field"), [
    ({"name": ""}, "name"),
    ({"name": "x" * 301}, "name"),
    ({"name": "A", "phones": ["not a phone"]}, "phones"),
    ({"name": "A", "phones": ["1"] * 0 + [str(100 + i) for i in range(21)]}, "phones"),
    ({"name": "A", "crm_url": "javascript:alert(1)"}, "crm_url"),
    ({"name": "A", "crm_url": "data:text/html,x"}, "crm_url"),
    ({"name": "A", "crm_url": "https://"}, "crm_url"),
    ({"name": "A", "email": "not an address"}, "email"),
    ({"name": "A", "responsible_ext": "10 0"}, "responsible_ext"),
    ({"name": "A\x00B"}, "name"),
    ({"name": "A\ud800"}, "name"),
    ({"name": b"bytes"}, "name"),
    ({"name": "A", "note": "x" * 10_001}, "note"),
])
def test_each_rule_names_its_field(fields: dict[str, object], field: str) -> None:
    """A broken rule is reported against the field that broke it."""
    with pytest.raises(ContactInvalid) as caught:
        validate(fields, "RU")
    assert field in caught.value.problems


def test_note_keeps_lines() -> None:
    """A note may span lines; other fields may not carry control characters."""
    assert validate({"name": "A", "note": "one\ntwo"}, "RU").note == "one\ntwo"


@given(st.dictionaries(st.sampled_from(["name", "company", "phones", "email", "note",
                                        "crm_url", "responsible_ext"]),
                       st.one_of(st.text(max_size=50), st.lists(st.text(max_size=20)),
                                 st.integers(), st.none())))
def test_any_input_is_a_contact_or_a_refusal(fields: dict[str, object]) -> None:
    """Whatever comes in, validation returns a contact or raises ContactInvalid."""
    try:
        contact = validate(fields, "RU")
    except ContactInvalid as exc:
        assert exc.problems
    else:
        assert contact.name and Contact.from_dict(contact.to_dict()) == contact


def test_wire_form_round_trips_and_tolerates_old_snapshots() -> None:
    """A call snapshot stored before phones/source existed still reads."""
    old = {"id": 7, "name": "A", "company": "B", "responsible_ext": "", "note": "",
           "crm_url": ""}
    contact = Contact.from_dict(old)
    assert contact is not None and contact.phones == () and contact.source == ""
    with pytest.raises(TypeError):
        Contact.from_dict({"id": "7", "name": "A"})


def test_crm_links_opened_only_for_known_schemes() -> None:
    """Only http(s) with a host, e1c and configured extra schemes count as CRM links."""
    assert crm_url_allowed("https://crm.example/x")
    assert crm_url_allowed("e1c://server/srv/base#e1cib/data/x")
    assert not crm_url_allowed("javascript:alert(1)")
    assert not crm_url_allowed("file:///etc/passwd")
    assert crm_url_allowed("bitrix24://x", extra_schemes=["bitrix24"])


@pytest.mark.parametrize(("text", "ok"), [("100", True), ("2001-a", True), ("a", True),
                                          ("", False), ("-1", False), ("10 0", False),
                                          ("x" * 33, False), ("100;", False)])
def test_one_extension_rule(text: str, ok: bool) -> None:
    """The relay and the desktop accept the same extensions."""
    assert valid_extension(text) is ok
