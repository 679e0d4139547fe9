"""Search / CRM URL templates: validation and expansion with URL-encoded values."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trubka.core.templates import DEFAULT_SEARCH, TemplateError, expand, validate


def test_expand_placeholders() -> None:
    """{phone}, {digits}, {local}, {contact_id} and {name} expand, URL-encoded."""
    t = "https://crm.example.ru/?p={phone}&d={digits}&l={local}&id={contact_id}&n={name}"
    assert expand(t, "8 (999) 123-45-67", contact_id=7, name="Иван") == (
        "https://crm.example.ru/?p=%2B79991234567&d=79991234567&l=89991234567&id=7"
        "&n=%D0%98%D0%B2%D0%B0%D0%BD")
    assert expand(DEFAULT_SEARCH, "89991234567") == "https://yandex.ru/search/?text=%2B79991234567"


@pytest.mark.parametrize("bad", ["", "yandex.ru/?q={phone}", "javascript:{phone}",
                                 "https://x/?q={phone", "https://x/?q={nope}",
                                 "https://x/?q=1", "https:///?q={phone}"])
def test_validate_refuses(bad: str) -> None:
    """Empty, scheme-less, script, unbalanced, unknown-placeholder and host-less are refused."""
    with pytest.raises(TemplateError):
        validate(bad)


@given(st.text(max_size=40))
def test_expand_never_injects(raw: str) -> None:
    """Whatever the number text, the expanded URL keeps the template's host and path."""
    url = expand("https://search.example/find?q={phone}", raw.replace("{", ""))
    assert url.startswith("https://search.example/find?q=")
    assert "&" not in url[len("https://search.example/find?q="):]
