"""All outbound HTTP goes through here: one place to configure TLS and timeouts.

Certificates are verified against the operating system's store via `truststore`, so a
corporate or national root CA the OS trusts works; a custom CA file can be added.
Keeping construction in one module makes a switch of HTTP library a one-line change.
"""

from __future__ import annotations

import ssl
from pathlib import Path

import httpx
import truststore

USER_AGENT = "trubka/0.1"


def ssl_context(ca_file: str | Path | None = None) -> ssl.SSLContext:
    """The OS trust store, plus `ca_file` when given."""
    context = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    if ca_file:
        context.load_verify_locations(cafile=str(ca_file))
    return context


def make_client(
    timeout: float = 10.0, ca_file: str | Path | None = None, **kwargs: object
) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        timeout=httpx.Timeout(timeout),
        verify=ssl_context(ca_file),
        headers={"User-Agent": USER_AGENT},
        follow_redirects=False,
        **kwargs,  # type: ignore[arg-type]
    )
