"""Phone number normalisation, display and matching (SPEC §6).

Every number is reduced to one canonical form: E.164 (`+79991234567`) when
`phonenumbers` says it is a valid number for the default country, otherwise its bare
digits (extensions, short and service numbers stay as they are). Matching works on
the digits of that form, so `8 999 123-45-67`, `+7 (999) 123-45-67` and `9991234567`
are one number.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

import phonenumbers

DEFAULT_COUNTRY = "RU"
DEFAULT_LAST_DIGITS = 5
MAX_NUMBER_LENGTH = 32

_ALLOWED = re.compile(r"^[\s\d+()\-./]*$")
# An employee's extension as the relay and the desktop accept it: what PBXs use for
# internal numbers (digits, sometimes with letters or separators, e.g. "100", "2001-a").
_EXTENSION = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]{0,31}$")
_SCHEMES = ("tel", "callto", "sip", "sips")


class InvalidNumber(ValueError):
    """The text is not something a phone can dial."""


@dataclass(frozen=True, slots=True)
class Number:
    """A normalised number. `canonical` is E.164 or bare digits; `digits` has no `+`."""

    canonical: str
    raw: str
    valid: bool

    @property
    def digits(self) -> str:
        return self.canonical.lstrip("+")


def normalize(raw: str, country: str = DEFAULT_COUNTRY) -> Number:
    """Normalise `raw`; raises InvalidNumber when it holds no dialable digits."""
    text = (raw or "").strip()
    if not text or len(text) > MAX_NUMBER_LENGTH * 2 or not _ALLOWED.match(text):
        raise InvalidNumber(raw)
    plus = text.startswith("+")
    digits = re.sub(r"\D", "", text)
    if not digits or len(digits) > MAX_NUMBER_LENGTH:
        raise InvalidNumber(raw)
    if not plus and digits.startswith("00") and len(digits) > 4:
        plus, digits = True, digits[2:]
    candidate = ("+" if plus else "") + digits
    e164 = _e164(candidate, country)
    return Number(e164, text, True) if e164 is not None else Number(candidate, text, False)


@functools.lru_cache(maxsize=8192)
def _e164(candidate: str, country: str) -> str | None:
    """The E.164 form of a valid number, else None. Cached: phonenumbers takes 50–70 µs
    (15–20 in the plain forms, `_Plan`), and one call's number comes in every event of
    the call and in its lookups."""
    plan = _plan(country)
    national = plan.national(candidate) if plan is not None else None
    if plan is not None and national is not None:
        # phonenumbers' own verdict, on the number its parser would have read
        parsed = phonenumbers.PhoneNumber(country_code=plan.code, national_number=int(national))
        return f"+{plan.code}{national}" if phonenumbers.is_valid_number(parsed) else None
    return _parsed_e164(candidate, country)


def _parsed_e164(candidate: str, country: str) -> str | None:
    """The reading of phonenumbers' general parser: the E.164 form of a valid number."""
    try:
        parsed = phonenumbers.parse(candidate, country)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    return str(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164))


@dataclass(frozen=True, slots=True)
class _Plan:
    """How a country's numbers are read in the two forms nearly all of them arrive in —
    `+<country code><national number>` and `<national prefix><national number>` — without
    phonenumbers' general parser, which costs two thirds of a new number's ~50 µs. Its
    rules are the parser's own for those forms; anything else (a prefix the parser might
    or might not strip, an international call prefix, a length the country does not have)
    is left to the parser (tests/core/test_numbers.py compares the two)."""

    code: int
    prefix: str  # the national prefix, plain digits ("8"), or "" for none
    lengths: frozenset[int]  # lengths a national number of the country may have
    general: re.Pattern[str]  # the country's national number pattern
    international: re.Pattern[str] | None  # its international call prefix ("810")

    def national(self, candidate: str) -> str | None:
        """The national number the parser would read out of `candidate` (digits with an
        optional leading `+`), or None when it is not one of the plain forms."""
        code = str(self.code)
        if candidate.startswith("+"):
            if not candidate.startswith(code, 1):
                return None
            national = candidate[1 + len(code):]
            if self.prefix and national.startswith(self.prefix):
                return None  # the parser tries to strip it and may keep it
        else:
            if not self.prefix or not candidate.startswith(self.prefix) \
                    or candidate.startswith(code) or self.general.fullmatch(candidate) \
                    or (self.international is not None and self.international.match(candidate)):
                return None
            national = candidate[len(self.prefix):]
        if not national or national[0] == "0" or len(national) not in self.lengths:
            return None
        return national


@functools.cache
def _plan(country: str) -> _Plan | None:
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(country)
    if metadata is None or metadata.country_code is None or metadata.general_desc is None:
        return None
    code, general = metadata.country_code, metadata.general_desc
    if metadata.national_prefix_transform_rule or general.national_number_pattern is None \
            or phonenumbers.region_code_for_country_code(code) != country:
        return None  # a country sharing its code with its main one, or one that rewrites
    prefix = metadata.national_prefix_for_parsing or ""
    if prefix and not prefix.isdigit():
        return None  # a pattern of prefixes (carrier codes): the parser's job
    lengths = frozenset(general.possible_length)  # local-only lengths are apart from these
    international = re.compile(metadata.international_prefix) \
        if metadata.international_prefix else None
    return _Plan(code, prefix, lengths, re.compile(general.national_number_pattern),
                 international)


def valid_extension(text: str) -> bool:
    """An extension: 1–32 letters, digits, `.`, `_` or `-`, starting with a letter or digit."""
    return bool(_EXTENSION.match(text))


def try_normalize(raw: str | None, country: str = DEFAULT_COUNTRY) -> Number | None:
    try:
        return normalize(raw or "", country)
    except InvalidNumber:
        return None


def display(number: str, country: str = DEFAULT_COUNTRY) -> str:
    """Format for people: `+7 999 123-45-67`; short numbers stay as they are."""
    n = try_normalize(number, country)
    if n is None:
        return number
    if not n.valid:
        return n.canonical
    parsed = phonenumbers.parse(n.canonical, None)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def for_clipboard(number: str, country: str = DEFAULT_COUNTRY) -> str:
    """Digits with `+` where the number is international, as people paste them."""
    n = try_normalize(number, country)
    return n.canonical if n else number


def suffix_key(digits: str) -> str:
    """The digits reversed: a last-N-digits match becomes an indexable prefix match."""
    return digits[::-1]


def common_suffix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(reversed(a), reversed(b), strict=False):
        if x != y:
            break
        n += 1
    return n


def matches(query_digits: str, stored_digits: str, last_digits: int) -> bool:
    """SPEC §6: full match, or the last N digits when the query has more than N."""
    if query_digits == stored_digits:
        return True
    if len(query_digits) > last_digits:
        return query_digits[-last_digits:] == stored_digits[-last_digits:] and len(
            stored_digits
        ) >= last_digits
    return False


def parse_dial_url(url: str, country: str = DEFAULT_COUNTRY) -> Number:
    """Read the number out of a `tel:`, `callto:` or `sip:` URL (or a bare number).

    `tel:+7-999-123-45-67;ext=1`, `callto://+79991234567`, `sip:89991234567@pbx.local`.
    Raises InvalidNumber for anything else, so a crafted link cannot dial garbage.
    """
    text = (url or "").strip()
    if len(text) > 256:
        raise InvalidNumber(url)
    scheme, sep, _ = text.partition(":")
    if sep and scheme.lower() in _SCHEMES:
        parts = urlsplit(text)
        body = parts.netloc + parts.path if parts.netloc else parts.path
        body = unquote(body).split(";", 1)[0].split("?", 1)[0]
        if scheme.lower() in ("sip", "sips"):
            body = body.split("@", 1)[0]
        text = body.strip("/")
    elif sep:
        raise InvalidNumber(url)
    return normalize(text, country)
