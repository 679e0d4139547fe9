"""Number normalisation, display and matching (SPEC §6)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trubka.core.numbers import (
    InvalidNumber,
    display,
    for_clipboard,
    matches,
    normalize,
    parse_dial_url,
)


@pytest.mark.parametrize("raw", ["8 999 123-45-67", "+7 (999) 123-45-67", "9991234567",
                                 "89991234567", "79991234567", "+79991234567"])
def test_russian_notations_are_one_number(raw: str) -> None:
    """All common Russian notations normalise to the same E.164."""
    assert normalize(raw).canonical == "+79991234567"


def test_short_numbers_stay_digits() -> None:
    """Extensions and short numbers are kept as digits, not forced into E.164."""
    assert normalize("100").canonical == "100"
    assert normalize("3333333").canonical == "3333333"
    assert not normalize("100").valid


def test_other_countries_and_international_prefix() -> None:
    """A + number of another country and the 00 prefix are understood."""
    assert normalize("+1 650 253 0000").canonical == "+16502530000"
    assert normalize("00 44 20 7946 0958").canonical == "+442079460958"
    assert normalize("8-10-44-20-7946-0958").canonical == "+442079460958"


@pytest.mark.parametrize("raw", ["", "   ", "abc", "12ab34", "+", "--", "1" * 40,
                                 "89991234567; rm -rf /", "\x00123"])
def test_garbage_is_refused(raw: str) -> None:
    """Text that is not a dialable number raises InvalidNumber."""
    with pytest.raises(InvalidNumber):
        normalize(raw)


def test_display_and_clipboard() -> None:
    """Displayed formatted, copied as digits with +."""
    assert display("89991234567") == "+7 999 123-45-67"
    assert for_clipboard("8 (999) 123-45-67") == "+79991234567"
    assert display("100") == "100"


def test_last_digits_rule() -> None:
    """More than N digits: the last N decide; N or fewer: only a full match."""
    assert matches("79991234567", "74951234567", 7) is True
    assert matches("79991234567", "74951234560", 7) is False
    assert matches("1234567", "71234567", 7) is False
    assert matches("1234567", "1234567", 7) is True


@pytest.mark.parametrize("url", ["tel:+7-999-123-45-67", "tel:89991234567;ext=1",
                                 "callto://+79991234567", "callto:89991234567",
                                 "sip:89991234567@pbx.local", "TEL:%2B79991234567",
                                 "+7 999 123 45 67"])
def test_dial_urls(url: str) -> None:
    """tel:, callto: and sip: links yield the number."""
    assert parse_dial_url(url).canonical == "+79991234567"


@pytest.mark.parametrize("url", ["http://evil.example/tel:1", "javascript:alert(1)",
                                 "tel:", "tel:abc", "sip:@host", "tel:" + "1" * 300])
def test_bad_dial_urls(url: str) -> None:
    """Anything else from outside is refused, never dialled."""
    with pytest.raises(InvalidNumber):
        parse_dial_url(url)


@given(st.text(max_size=80))
def test_normalize_never_crashes(text: str) -> None:
    """Any text either normalises or raises InvalidNumber."""
    try:
        number = normalize(text)
    except InvalidNumber:
        return
    assert number.digits.isdigit()
