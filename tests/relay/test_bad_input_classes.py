"""Issue 10 items 1–5: each class of bad input (nesting depth, number size, text that no
store holds, XML encodings, integer ranges) is a 4xx for every provider and every REST
route, never a 5xx, and writes nothing."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests import fuzzing
from tests.conftest import Relay, auth
from tests.fakes.pbx import FakePbx
from trubka.providers.fields import json_depth, loads
from trubka.providers.xml import ENCODINGS
from trubka.relay.app import create_app
from trubka.relay.config import RelayConfig

INVALID = {"error": "Invalid parameters"}


@pytest.fixture
def every_pbx(relay: Relay, fake_pbx: FakePbx) -> Iterator[Relay]:
    """A relay with all five providers configured and employee ext 100."""
    fuzzing.prepare(relay.cli, relay.add_user, fake_pbx)
    yield relay


def post(relay: Relay, hook: fuzzing.Hook) -> httpx.Response:
    with httpx.Client(base_url=relay.url, timeout=10) as http:
        return http.request(hook.method, hook.path, content=hook.body, headers=hook.headers)


def nothing_written(relay: Relay) -> None:
    assert relay.sql("select count(*) from calls") == [(0,)]
    assert relay.sql("select count(*) from events") == [(0,)]


def assert_refused(reply: httpx.Response, name: str) -> None:
    """400, in the provider's format: the SPEC body, or a SOAP fault for Mobilon."""
    assert reply.status_code == 400, (name, reply.status_code, reply.text[:200])
    if name != "mobilon":
        assert reply.json() == INVALID
    else:
        assert b"Fault" in reply.content


@pytest.mark.parametrize("name", fuzzing.PROVIDERS)
def test_a_valid_webhook_of_each_provider_rings(every_pbx: Relay, name: str) -> None:
    """The control for the classes below: the same webhook with a plain number is taken."""
    reply = post(every_pbx, fuzzing.valid(name, "89031112233"))
    assert reply.status_code == 200, reply.text
    assert every_pbx.sql("select count(*) from calls") == [(1,)]


UNSTORABLE = {"lone high surrogate": "8903\ud800", "lone low surrogate": "\udfff",
              "reversed pair": "\udc00\ud800", "nul": "8903\x001"}


@pytest.mark.parametrize("text", UNSTORABLE.values(), ids=UNSTORABLE.keys())
@pytest.mark.parametrize("name", fuzzing.PROVIDERS)
def test_text_no_store_can_hold_is_400_with_valid_credentials(
        every_pbx: Relay, name: str, text: str) -> None:
    """A lone UTF-16 surrogate (sent as a JSON escape, or as the CESU-8 bytes of it in
    XML) or a NUL, with valid credentials: 400, nothing written (it was a 503 the PBX
    would retry forever, from the database refusing the string)."""
    reply = post(every_pbx, fuzzing.valid(name, text))
    assert_refused(reply, name)
    nothing_written(every_pbx)


def test_a_surrogate_in_a_json_key_or_a_form_is_400(every_pbx: Relay) -> None:
    """Keys are text too; a form's %-escapes must be UTF-8 (not replaced silently)."""
    good = fuzzing.valid("prostiezvonki", "89031112233")
    key = good.body.replace(b'"phone"', b'"ph\\ud800one"')
    form = b"cmd=event&type=INCOMING&user=100&callid=f1&crm_token=" + \
        fuzzing.TOKEN.encode() + b"&phone=%ED%A0%80"
    for body, ctype in ((key, "application/json"), (form, "application/x-www-form-urlencoded"),
                        (b"cmd=event&phone=%FF%FE", "application/x-www-form-urlencoded")):
        reply = post(every_pbx, fuzzing.Hook("/hooks/prostiezvonki", {"Content-Type": ctype},
                                             body))
        assert (reply.status_code, reply.json()) == (400, INVALID), body
    nothing_written(every_pbx)


DEPTHS = [2, 3, 64, 999, 1000, 5000, 30_000]


@pytest.mark.parametrize("depth", DEPTHS)
@pytest.mark.parametrize("token", [fuzzing.TOKEN, "wrong"], ids=["valid", "invalid-token"])
def test_nesting_of_any_depth_is_400(every_pbx: Relay, depth: int, token: str) -> None:
    """Arrays and objects nested 2 … 30,000 deep inside a webhook (within the 64 KiB
    body limit), with a valid token or not: 400, before any recursion (it was a 500
    from RecursionError, before the token was even looked at)."""
    for nested in (b"[" * depth + b"]" * depth, b'{"a":' * depth + b"1" + b"}" * depth):
        body = b'{"cmd": "event", "crm_token": "' + token.encode() + b'", "phone": ' + \
            nested + b"}"
        reply = post(every_pbx, fuzzing.Hook("/hooks/prostiezvonki",
                                             {"Content-Type": "application/json"}, body))
        assert (reply.status_code, reply.json()) == (400, INVALID)
    nothing_written(every_pbx)


NUMBERS = ["9" * 33, "9" * 1000, "9" * 5000, "-" + "9" * 1000, "1e400", "-1e400",
           "1." + "5" * 1000, "NaN", "Infinity", "-Infinity"]


@pytest.mark.parametrize("literal", NUMBERS, ids=lambda n: n[:12] + f"…{len(n)}")
@pytest.mark.parametrize("token", [fuzzing.TOKEN, "wrong"], ids=["valid", "invalid-token"])
def test_number_literals_too_long_or_not_finite_are_400(
        every_pbx: Relay, literal: str, token: str) -> None:
    """A number literal over 32 characters, or one that is not finite, as a field's
    value: 400 whatever the token (a 1,000-digit one was a 500 from `float()`)."""
    body = ('{"cmd": "history", "type": "in", "status": "success", "user": "100", '
            f'"callid": "n1", "crm_token": "{token}", "duration": {literal}}}').encode()
    reply = post(every_pbx, fuzzing.Hook("/hooks/prostiezvonki",
                                         {"Content-Type": "application/json"}, body))
    assert (reply.status_code, reply.json()) == (400, INVALID)
    nothing_written(every_pbx)


def test_numbers_within_bounds_still_arrive_as_their_text() -> None:
    """42 → "42", 42.0 → "42", 1.5 → "1.5", 1e3 → "1000": the bounds refuse only what no
    PBX sends."""
    data = loads(b'{"a": 42, "b": 42.0, "c": 1.5, "d": 1e3, "e": -7}')
    assert data == {"a": "42", "b": "42", "c": "1.5", "d": "1000", "e": "-7"}


def test_depth_is_measured_without_recursion_and_ignores_strings() -> None:
    """Brackets inside strings do not count; the scan stops once the limit is passed."""
    assert json_depth(b'{"a": "[[[[{{{{", "b": "\\"[["}', 1) == 1
    assert json_depth(b"[" * 1_000_000, 1) == 2
    assert json_depth(b"[]" * 100_000, 1) == 1


ENCODING_CASES = ["x-unknown", "rot13", "base64", "zlib", "hex", "utf-32", "UTF-7",
                  "unicode_escape", "idna", "mbcs", "utf_8_sig", "punycode"]


@pytest.mark.parametrize("encoding", ENCODING_CASES)
@pytest.mark.parametrize("name", ["beeline", "mobilon"])
def test_xml_declaring_an_unsupported_encoding_is_400(
        every_pbx: Relay, name: str, encoding: str) -> None:
    """An XML declaration naming an encoding outside the supported set — unknown names
    and Python codecs that are not text encodings alike — is 400 (it was a 500 from
    expat's LookupError), for both XML-speaking providers."""
    hook = fuzzing.valid(name, "89031112233")
    body = re.sub(rb'encoding="[^"]*"', f'encoding="{encoding}"'.encode(), hook.body, count=1)
    assert_refused(post(every_pbx, fuzzing.Hook(hook.path, hook.headers, body)), name)
    nothing_written(every_pbx)


@pytest.mark.parametrize("encoding", ["windows-1251", "koi8-r", "ISO-8859-1", "US-ASCII"])
def test_supported_declared_encodings_are_read(every_pbx: Relay, encoding: str) -> None:
    """The encodings a Russian PBX build might declare are read as declared."""
    assert {"utf-8", "cp1251", "koi8-r"} <= ENCODINGS
    hook = fuzzing.valid("beeline", "89031112233")
    body = re.sub(rb'encoding="[^"]*"', f'encoding="{encoding}"'.encode(), hook.body, count=1)
    assert post(every_pbx, fuzzing.Hook(hook.path, hook.headers, body)).status_code == 200


# -- integer ranges in REST paths and queries ------------------------------------------

def _is_int(schema: dict[str, Any]) -> bool:
    options = schema.get("anyOf", [schema])
    return any(option.get("type") == "integer" for option in options)


def int_parameters() -> list[tuple[str, str, str, str]]:
    """(method, path, where, name) of every int path or query parameter of every route
    the relay declares, read from the application's own OpenAPI document (so admin
    routes are covered as they land)."""
    document = create_app(RelayConfig()).openapi()
    found = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for param in operation.get("parameters", []):
                if param["in"] in ("path", "query") and _is_int(param.get("schema", {})):
                    found.append((method.upper(), path, param["in"], param["name"]))
    return found


INTS = int_parameters()


def _url(path: str, where: str, name: str, value: int) -> tuple[str, dict[str, Any]]:
    filled = re.sub(r"\{[^}]+\}", lambda m: str(value) if m.group()[1:-1] == name else "1",
                    path)
    return filled, ({name: str(value)} if where == "query" else {})


def test_the_enumeration_finds_the_known_int_parameters() -> None:
    """The scan sees contact ids (paths) and limits/offsets (queries)."""
    assert ("GET", "/api/v1/contacts/{contact_id}", "path", "contact_id") in INTS
    assert ("GET", "/api/v1/contacts", "query", "offset") in INTS
    assert ("GET", "/api/v1/calls", "query", "limit") in INTS


@pytest.mark.parametrize(("method", "path", "where", "name"), INTS,
                         ids=[f"{m} {p} {n}" for m, p, _, n in INTS])
def test_integers_outside_64_bits_are_422(relay: Relay, method: str, path: str,
                                         where: str, name: str) -> None:
    """2^63, 2^64, -2^63-1 and 10^30 in any int path or query parameter: 422 in the
    catalogue's shape (they were a 500 where the database met them); 2^63-1 is < 500."""
    token = relay.add_user("Иванов", "100")
    relay.cli("users", "set-role", "--ext", "100", "admin")  # the admin API's parameters too
    with httpx.Client(base_url=relay.url, headers=auth(token), timeout=10) as http:
        for value in (2**63, 2**64, -(2**63) - 1, 10**30):
            url, params = _url(path, where, name, value)
            reply = http.request(method, url, params=params, json={"note": "x", "dnd": True})
            assert reply.status_code == 422, (url, reply.text)
            assert reply.json()["code"] == "invalid_request"
        url, params = _url(path, where, name, 2**63 - 1)
        assert http.request(method, url, params=params, json={}).status_code < 500


def raw_status(relay: Relay, hook: fuzzing.Hook, target: bytes) -> int:
    """POST `hook` to the request target `target` as bytes on the wire (httpx would
    percent-encode them): the status of the reply."""
    url = httpx.URL(relay.url)
    head = [b"POST " + target + b" HTTP/1.1", b"Host: " + url.netloc,
            b"Content-Length: " + str(len(hook.body)).encode(), b"Connection: close"]
    head += [f"{k}: {v}".encode() for k, v in hook.headers.items()]
    with socket.create_connection((url.host, url.port), timeout=10) as conn:
        conn.sendall(b"\r\n".join(head) + b"\r\n\r\n" + hook.body)
        reply = b""
        while b"\r\n" not in reply and (chunk := conn.recv(4096)):
            reply += chunk
    return int(reply.split(b" ", 2)[1])


@pytest.mark.parametrize("name", fuzzing.PROVIDERS)
def test_a_query_string_that_is_not_utf8_is_no_5xx(every_pbx: Relay, name: str) -> None:
    """Raw bytes past ASCII in the query string (which Starlette's `request.url` cannot
    read as UTF-8): refused by the HTTP parser or taken by the route, never a 5xx."""
    hook = fuzzing.valid(name, "89031112233")
    joiner = b"&" if "?" in hook.path else b"?"
    status = raw_status(every_pbx, hook, hook.path.encode() + joiner + b"x=\xff\xfe%FF")
    assert status < 500, (name, status)
