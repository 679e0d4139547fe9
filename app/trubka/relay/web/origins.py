"""Which web pages may use the relay from a browser (SPEC §9.5).

A browser sends its page's `Origin` with every WebSocket handshake and cross-origin
request, and attaches the relay's cookies whatever page asked (cross-site WebSocket
hijacking), so the events socket checks it: the relay's own origin (its `public-url`,
else the address the request came to) or one listed in `cors-origins`. Clients that are
not browsers send no `Origin` and are judged by their token alone.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.requests import HTTPConnection

from trubka.relay.store.settings import RuntimeSettings

_SCHEMES = {"ws": "http", "wss": "https", "http": "http", "https": "https"}


def origin_of(url: str) -> str:
    """`scheme://host[:port]` of a URL, lower-case, default ports dropped."""
    parts = urlsplit(url.strip())
    scheme = _SCHEMES.get(parts.scheme.lower(), parts.scheme.lower())
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    port = parts.port
    default = {"http": 80, "https": 443}.get(scheme)
    return f"{scheme}://{host}" + (f":{port}" if port and port != default else "")


def own_origin(conn: HTTPConnection) -> str:
    """The origin the request was addressed to (scheme as the trusted proxy says)."""
    scheme = _SCHEMES.get(conn.url.scheme, "http")
    host = conn.headers.get("host") or conn.url.netloc
    return origin_of(f"{scheme}://{host}")


def allowed_origins(conn: HTTPConnection, rt: RuntimeSettings) -> set[str]:
    out = {own_origin(conn)}
    if rt.public_url:
        out.add(origin_of(rt.public_url))
    out.update(origin_of(o) for o in rt.cors_origins)
    return out


def origin_allowed(conn: HTTPConnection, rt: RuntimeSettings) -> bool:
    origin = conn.headers.get("origin")
    if origin is None:
        return True
    return origin_of(origin) in allowed_origins(conn, rt)
