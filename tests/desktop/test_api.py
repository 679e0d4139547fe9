"""The REST client names failures the way "Test connection" reports them."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from trubka.desktop.api import ApiError, RelayApi
from trubka.desktop.errors import error_text


class _Quiet(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        return None


@pytest.fixture
def plain_http() -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


async def failure(url: str) -> ApiError:
    api = RelayApi(url, "trk_whatever-token", timeout=5)
    try:
        with pytest.raises(ApiError) as caught:
            await api.me()
        return caught.value
    finally:
        await api.aclose()


async def test_dns_failure() -> None:
    """An unknown host is a DNS failure."""
    assert (await failure("https://relay.nonexistent.invalid")).kind == "dns"


async def test_refused() -> None:
    """A closed port is "refused"."""
    assert (await failure("http://127.0.0.1:9")).kind == "refused"


async def test_tls_failure(plain_http: int) -> None:
    """TLS that cannot be established is reported as a TLS problem."""
    error = await failure(f"https://127.0.0.1:{plain_http}")
    assert error.kind == "tls"
    assert "TLS certificate" in error_text(error, "en")


async def test_unauthorized(relay: object) -> None:
    """A wrong token is "unauthorized", and the words say to sign in again."""
    error = await failure(relay.url)  # type: ignore[attr-defined]
    assert error.kind == "unauthorized"
    assert "Signed out" in error_text(error, "en")


async def test_errors_are_told_apart_by_code(relay: object) -> None:
    """The client names a relay's refusal by its `code`, whatever the HTTP status: a
    missing contact is not_found, an over-long number invalid, a 401 unauthorized."""
    from tests.conftest import Relay

    assert isinstance(relay, Relay)
    api = RelayApi(relay.url, relay.add_user("Иванов", "100"), timeout=5)
    try:
        with pytest.raises(ApiError) as missing:
            await api.contact(12345)
        assert (missing.value.kind, missing.value.code) == ("not_found", "not_found")
        with pytest.raises(ApiError) as bad:
            await api.dial("not a number at all")
        assert bad.value.kind == "invalid" and bad.value.code in ("invalid_number",
                                                                  "invalid_request")
        assert error_text(bad.value, "en").startswith("The relay refused the request:")
    finally:
        await api.aclose()
