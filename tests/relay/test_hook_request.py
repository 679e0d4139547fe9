"""`hooks.hook_request` reads a webhook from the ASGI scope without Starlette's URL,
query and header objects; what a provider sees must be what those objects give — the
path of a Mobilon signature or a Beeline secret segment included — for any request, one
whose query string is not UTF-8 (on which Starlette's `request.url` raises) among them."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from starlette.requests import Request

from trubka.relay.routes.hooks import hook_request

# Paths as uvicorn hands them over (percent-decoded): any text, the characters Starlette
# escapes or that URL splitting drops (`?`, `#`, `\`, tabs, spaces, control characters)
# among them.
paths = st.text(alphabet="/abcAZ09-._~!$&'()*+,;=:@%?#\\ \t\n\x00\x7fы€",
                max_size=40).map(lambda p: "/" + p)
header_names = st.text(alphabet="abcdefghijklmnopqrstuvwxyz-", min_size=1, max_size=12)
latin1 = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=255), max_size=30)


def scope(path: str, query: bytes, headers: list[tuple[bytes, bytes]]) -> dict[str, object]:
    return {"type": "http", "method": "POST", "path": path, "raw_path": path.encode(),
            "query_string": query, "root_path": "", "scheme": "http",
            "server": ("127.0.0.1", 8000), "client": ("127.0.0.1", 50000),
            "headers": headers, "http_version": "1.1"}


@settings(max_examples=400, deadline=None)
@given(path=paths,
       query=st.binary(max_size=40) | st.builds(
           lambda pairs: "&".join(f"{k}={v}" for k, v in pairs).encode(),
           st.lists(st.tuples(st.sampled_from(["a", "b", "token", ""]), latin1), max_size=4)),
       headers=st.lists(st.tuples(header_names, latin1), max_size=6),
       host=st.sampled_from([b"relay.example", b"127.0.0.1:8000", b""]))
def test_what_a_provider_sees_is_what_starlette_gives(
        path: str, query: bytes, headers: list[tuple[str, str]], host: bytes) -> None:
    raw = ([(b"host", host)] if host else []) + [
        (name.encode("latin-1"), value.encode("latin-1")) for name, value in headers]
    request = Request(scope(path, query, raw))
    hook = hook_request(request, b"{}")
    reference = Request(scope(path, query, raw))
    assert hook.method == reference.method
    assert hook.path == Request(scope(path, b"", raw)).url.path  # `url` reads the query
    assert dict(hook.query) == dict(reference.query_params)
    assert dict(hook.headers) == {k.lower(): v for k, v in reference.headers.items()}
    assert hook.body == b"{}"
