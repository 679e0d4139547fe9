"""Reading a webhook's fields, bounded: the one place a PBX's JSON or form body becomes
text the relay may store (SPEC §7: bad input is a 400, never a 5xx, never half-written).

Every way a value gets in is limited before the work it costs is done: JSON nesting is
measured on the raw bytes before the parser recurses (a body of `[[[[…` would otherwise
exhaust Python's recursion limit), number literals are refused by length before they
are converted (a 1,000-digit number overflows `float()`; a 5,000-digit one trips
Python's int-conversion guard), NaN/Infinity are refused, and every string is checked
to be text the database can hold (a JSON `\\ud800` escape decodes to a lone surrogate,
which no UTF-8 store accepts).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import fields as dataclass_fields
from typing import Any
from urllib.parse import parse_qsl

from trubka.core.errors import InvalidParameters
from trubka.providers.base import Webhook, WebhookRequest

MAX_FIELD = 512  # characters a field is expected to need; 4× that is refused
MAX_DEPTH = 1  # a webhook body is one flat object
MAX_NUMBER = 32  # characters of a JSON number literal (an int64 has 20)

_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
# A JSON string literal, matched possessively so a malformed body cannot backtrack.
_STRING = re.compile(rb'"(?:[^"\\]++|\\.)*+"', re.DOTALL)
_BRACKETS = re.compile(rb"[\[\]{}]")


def json_depth(body: bytes, limit: int) -> int:
    """How deeply `body` nests arrays and objects, counted up to `limit + 1` (enough to
    refuse it) on the bytes outside string literals; linear, no recursion."""
    bare = _STRING.sub(b'""', body)
    if bare.count(b"[") + bare.count(b"{") <= limit:
        return bare.count(b"[") + bare.count(b"{")
    depth = deepest = 0
    for match in _BRACKETS.finditer(bare):
        depth += 1 if match.group() in (b"[", b"{") else -1
        deepest = max(deepest, depth)
        if deepest > limit:
            break
    return deepest


def _number(text: str) -> str:
    if len(text) > MAX_NUMBER:
        raise InvalidParameters(f"a number of {len(text)} characters")
    return text


def _no_constant(name: str) -> Any:
    raise InvalidParameters(f"{name} is not a number")


def loads(body: bytes, max_depth: int = MAX_DEPTH) -> Any:
    """`json.loads` with bounded nesting and number literals; numbers stay their text.
    Bytes are decoded as `json.loads` decodes them (UTF-8/16/32 by their first bytes)."""
    if json_depth(body, max_depth) > max_depth:
        raise InvalidParameters(f"JSON nested deeper than {max_depth}")
    try:
        return _DECODER.decode(body.decode(json.detect_encoding(body), "surrogatepass"))
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise InvalidParameters("body is not JSON") from exc


def _float_text(text: str) -> str:
    """A fraction or exponent literal as the decimal text a field expects: `42.0` → "42",
    `1.5` → "1.5"; refused when it is not finite."""
    value = float(_number(text))
    if value != value or value in (float("inf"), float("-inf")):
        raise InvalidParameters("a number out of range")
    return str(int(value)) if value.is_integer() and abs(value) < 1e18 else repr(value)


# One decoder for every body: `json.loads` with hooks builds a decoder and its scanner per
# call, a tenth of a small body's parsing.
_DECODER = json.JSONDecoder(parse_int=_number, parse_float=_float_text,
                            parse_constant=_no_constant)


def checked(key: str, value: str) -> str:
    """One field's value: bounded, without NUL, and text a UTF-8 store can hold."""
    if len(value) > MAX_FIELD * 4 or "\x00" in value:
        raise InvalidParameters(f"{key[:40]!r}: value too long")
    if not storable(value) or not storable(key):
        raise InvalidParameters(f"{key[:40]!r}: not valid Unicode text")
    return value


def storable(text: str) -> bool:
    """Whether `text` encodes as UTF-8 (lone surrogates do not)."""
    if text.isascii():  # a flag of the string: most fields, without encoding them
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def read_fields(request: WebhookRequest) -> dict[str, str]:
    """A JSON object or a form body as a flat str→str map (SPEC §2.1: accept both).

    Numbers become their decimal text; nested values, lists, booleans and null are
    refused as wrong types. Raises InvalidParameters on anything unreadable.
    """
    body = request.body
    ctype = request.content_type
    looks_json = body.lstrip()[:1] in (b"{", b"[")
    if ctype == "application/json" or (ctype not in _FORM_TYPES and looks_json):
        data = loads(body)
        if not isinstance(data, dict):
            raise InvalidParameters("body is not a JSON object")
        out: dict[str, str] = {}
        for key, value in data.items():
            if value is None:
                continue
            if not isinstance(value, str):  # numbers arrive as their text (loads)
                raise InvalidParameters(f"{key[:40]!r}: wrong type")
            out[checked(key, key)] = checked(key, value)
        return out
    try:
        text = body.decode("utf-8")
        pairs = parse_qsl(text, keep_blank_values=True, strict_parsing=bool(text),
                          errors="strict")
    except (UnicodeDecodeError, ValueError) as exc:
        raise InvalidParameters("body is neither JSON nor a form") from exc
    return {checked(key, key): checked(key, value) for key, value in pairs}


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}  # of each kind of parsed item, once


def _strings(item: object) -> Iterable[str]:
    names = _FIELD_NAMES.get(type(item))
    if names is None:
        names = _FIELD_NAMES[type(item)] = tuple(
            spec.name for spec in dataclass_fields(item))  # type: ignore[arg-type]
    for name in names:
        value = getattr(item, name)
        if isinstance(value, str):
            yield value


def check_text(webhook: Webhook) -> Webhook:
    """Refuse a parsed webhook carrying text no store can hold: the relay's last check at
    the boundary, whatever the provider's body format (JSON, form, multipart, XML)."""
    items: list[object] = [*webhook.events]
    if webhook.lookup is not None:
        items.append(webhook.lookup)
    for item in items:
        for text in _strings(item):
            if "\x00" in text or not storable(text):
                raise InvalidParameters("a value that is not valid Unicode text")
    return webhook
