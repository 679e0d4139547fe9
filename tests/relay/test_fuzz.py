"""Issue 10, "keep it found": a hypothesis fuzzer per provider's webhook (with valid
credentials and without) and for the REST API: 50 requests per case and engine here
(200 per provider across both engines and both credential cases, in seconds);
`bench/fuzz.py` runs the same strategies for 100,000 bodies per provider.

Whatever arrives: never a 5xx; a refusal writes nothing; every REST error is in the
catalogue's shape."""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import urlencode

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import fuzzing
from tests.conftest import Relay, auth
from tests.fakes.pbx import FakePbx

EXAMPLES = settings(max_examples=50, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.fixture
def every_pbx(relay: Relay, fake_pbx: FakePbx) -> Iterator[Relay]:
    fuzzing.prepare(relay.cli, relay.add_user, fake_pbx, throttle=False)
    yield relay


def events(relay: Relay) -> int:
    return int(relay.sql("select count(*) from events")[0][0])


@pytest.mark.parametrize("authentic", [True, False], ids=["valid-credentials", "wrong"])
@pytest.mark.parametrize("name", fuzzing.PROVIDERS)
def test_webhook_fuzz(every_pbx: Relay, name: str, authentic: bool) -> None:
    """Hostile bodies (encodings, sizes, depths, number ranges, random bytes) to one
    provider's webhook: below 500 always, and a 4xx leaves the event log as it was."""
    with httpx.Client(base_url=every_pbx.url, timeout=10) as http:

        @EXAMPLES
        @given(hook=fuzzing.bodies(name, authentic))
        def run(hook: fuzzing.Hook) -> None:
            before = events(every_pbx)
            reply = http.request(hook.method, hook.path, content=hook.body,
                                 headers=hook.headers)
            assert reply.status_code < 500 or (name == "mobilon" and reply.status_code == 500
                                               and b"Fault" in reply.content), reply.text
            if reply.status_code >= 400:
                assert events(every_pbx) == before, (hook, reply.text)

        run()


ROUTES = [("POST", "/api/v1/contacts"), ("PUT", "/api/v1/contacts/1"),
          ("PATCH", "/api/v1/calls/x"), ("POST", "/api/v1/calls"), ("PUT", "/api/v1/dnd"),
          ("POST", "/api/v1/enroll"), ("POST", "/api/v1/enroll/status"),
          ("GET", "/api/v1/contacts"), ("GET", "/api/v1/lookup"), ("GET", "/api/v1/calls")]
json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), fuzzing.numbers, fuzzing.texts),
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.sampled_from(
                                ["name", "phones", "note", "crm_url", "email", "phone",
                                 "dnd", "code", "company", "responsible_ext"]), inner,
                                max_size=6)), max_leaves=12)
bodies = st.one_of(json_values.map(lambda v: json.dumps(v).encode()), fuzzing.raw)
queries = st.dictionaries(st.sampled_from(["q", "limit", "offset", "phone", "filter",
                                           "before"]),
                          st.one_of(fuzzing.texts, st.integers().map(str)), max_size=4)


def test_rest_api_fuzz(every_pbx: Relay) -> None:
    """Random JSON and raw bodies, and random queries, to every desktop and enrolment
    route with a valid token: below 500, every error in the catalogue's shape."""
    token = every_pbx.add_user("Петров", "101")
    with httpx.Client(base_url=every_pbx.url, headers=auth(token), timeout=10) as http:

        @EXAMPLES
        @given(route=st.sampled_from(ROUTES), body=bodies, query=queries,
               ctype=st.sampled_from(["application/json", "text/plain", ""]))
        def run(route: tuple[str, str], body: bytes, query: dict[str, str],
                ctype: str) -> None:
            method, path = route
            headers = {"Content-Type": ctype} if ctype else {}
            reply = http.request(method, path, params=urlencode(query, errors="surrogatepass"),
                                 content=None if method == "GET" else body, headers=headers)
            assert reply.status_code < 500, (route, body[:200], reply.text)
            if reply.status_code >= 400:
                error = reply.json()
                assert isinstance(error["error"], str) and isinstance(error["code"], str)

        run()
