"""Number normalisation, display and matching (SPEC §6)."""

from __future__ import annotations

import re

import phonenumbers
import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from trubka.core import numbers
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


# -- the plain forms read without phonenumbers' general parser (core/numbers.py `_Plan`) --

_REGIONS = sorted(phonenumbers.SUPPORTED_REGIONS)


@st.composite
def _candidates(draw: st.DrawFn) -> tuple[str, str]:
    """A country and a number in one of the forms numbers arrive in: with its own country
    code, with its national prefix, bare, or with another country's code; the digits
    often those of a real number of the country, cut and padded to any length."""
    country = draw(st.sampled_from(_REGIONS))
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(country)
    assert metadata is not None
    digits = st.text("0123456789", min_size=1, max_size=16)
    example = phonenumbers.example_number(country)
    if example is not None and draw(st.booleans()):
        real = str(example.national_number)
        cut = draw(st.integers(0, len(real)))
        body = real[:cut] + draw(st.text("0123456789", min_size=max(len(real) - cut - 1, 0),
                                         max_size=len(real) - cut + 1))
    else:
        body = draw(digits)
    prefix = metadata.national_prefix_for_parsing or ""
    form = draw(st.sampled_from(["own code", "national prefix", "bare", "other code"]))
    if form == "own code":
        return country, f"+{metadata.country_code}{body}"
    if form == "national prefix" and prefix.isdigit():
        return country, prefix + body
    if form == "other code":
        return country, f"+{draw(st.sampled_from([1, 7, 44, 49, 375, 380, 998]))}{body}"
    return country, body


@settings(max_examples=1500, deadline=None)
@given(_candidates())
@example(("NO", "+4705605"))  # a national number with a leading zero (kept in E.164)
@example(("RU", "88001234567"))
def test_plain_forms_read_as_the_parser_reads_them(case: tuple[str, str]) -> None:
    """Every country, every form: the E.164 form (or None) is the one phonenumbers'
    parser gives, whether or not the number took the short way."""
    country, candidate = case
    assume(candidate.strip("+"))
    reference = numbers._parsed_e164(candidate, country)  # phonenumbers' general parser
    assert numbers._e164.__wrapped__(candidate, country) == reference


@pytest.mark.parametrize("candidate", ["89991234567", "+79991234567", "84951234567",
                                       "+74951234567", "89000000000",
                                       "+77012345678"])  # Kazakhstan's +7 7…: valid too
def test_russian_numbers_take_the_short_way(candidate: str,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """The forms nearly every Russian number comes in are read without the parser (two
    thirds of a new number's cost), and still judged by phonenumbers' metadata."""
    expected = numbers._parsed_e164(candidate, "RU")

    def no_parser(*args: object) -> None:
        raise AssertionError("the general parser ran")

    monkeypatch.setattr(phonenumbers, "parse", no_parser)
    assert numbers._e164.__wrapped__(candidate, "RU") == expected


@pytest.mark.parametrize(("candidate", "country", "expected"), [
    ("+78124567890", "RU", "+78124567890"),  # after the code, an 8 the parser may strip
    ("81049301234567", "RU", "+49301234567"),  # 810: Russia's international prefix
    ("+77012345678", "KZ", "+77012345678"),  # KZ shares +7 with Russia
    ("12025550143", "US", "+12025550143"),  # the code and the prefix are both 1
])
def test_other_forms_are_left_to_the_parser(candidate: str, country: str,
                                            expected: str) -> None:
    plan = numbers._plan(country)
    assert plan is None or plan.national(candidate) is None
    assert numbers._e164.__wrapped__(candidate, country) == expected


def test_the_plain_forms_rules() -> None:
    """Each of the parser's rules the short way follows, on a made-up country (code 7,
    national prefix 8, national numbers of 9 or 10 digits, international prefix 810):
    whatever a rule sends to the parser is None here."""
    plan = numbers._Plan(7, "8", frozenset({9, 10}), re.compile(r"8\d{9}|9\d{8,9}"),
                         re.compile("810"))
    assert plan.national("+79991234567") == "9991234567"
    assert plan.national("89991234567") == "9991234567"
    assert plan.national("+7899123456") is None  # an 8 after the code: may be stripped
    assert plan.national("+70991234567") is None  # a leading zero (the parser keeps it)
    assert plan.national("+799912345") is None  # a length the country's numbers do not have
    assert plan.national("+6991234567") is None  # another country's code
    assert plan.national("9991234567") is None  # no prefix: the parser decides
    assert plan.national("8991234567") is None  # a whole national number as it is: kept
    assert plan.national("8109991234567") is None  # 810: an international call
    assert plan.national("80991234567") is None  # a leading zero after the prefix
