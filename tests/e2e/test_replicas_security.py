"""Two relay processes on one PostgreSQL and one Redis (issue 10 items 9, 10, 11): a
token revoked through the CLI loses its socket on the other replica within a second,
and authentication failures and Zadarma signatures seen by one replica count on both."""

from __future__ import annotations

import asyncio
import time
from datetime import datetime

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from tests.conftest import CliRelay, auth, run_cli
from tests.e2e.test_replicas import replicas  # noqa: F401  (the fixture)
from tests.relay.test_zadarma_replay import SECRET, call, post
from trubka.core.protocol import CLOSE_UNAUTHORIZED

pytestmark = pytest.mark.services
Replicas = tuple[CliRelay, CliRelay, str]


async def test_revoking_on_the_cli_closes_the_socket_on_the_other_replica(
        replicas: Replicas) -> None:  # noqa: F811
    """The desktop is connected to B; `users revoke` runs against the shared database
    (beside A): B closes the socket with 4401 within a second; B's API refuses the token."""
    a, b, token = replicas
    async with connect(f"{b.ws_url}/api/v1/events", additional_headers=auth(token)) as ws:
        await asyncio.wait_for(ws.recv(), 5)  # hello
        loop = asyncio.get_running_loop()
        started = loop.time()
        await asyncio.to_thread(run_cli, a.data_dir, "users", "revoke", "--ext", "100",
                                database_url=a.database_url)
        revoked_at = loop.time()
        with pytest.raises(ConnectionClosed) as closed:
            await asyncio.wait_for(ws.recv(), 1.0)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == CLOSE_UNAUTHORIZED
        assert loop.time() - revoked_at < 1.0, (revoked_at - started)
    async with httpx.AsyncClient() as http:
        assert (await http.get(b.url + "/api/v1/me", headers=auth(token))).status_code == 401


async def test_failures_on_one_replica_throttle_the_address_on_both(
        replicas: Replicas) -> None:  # noqa: F811
    """Three wrong tokens sent to A: within half a second (B's view of the failing
    addresses refreshes twice a second) B answers 429 (counted in Redis)."""
    a, b, token = replicas
    run_cli(a.data_dir, "settings", "set", "auth-failure-limit", "3",
            database_url=a.database_url)
    async with httpx.AsyncClient() as http:
        # B has just read the (empty) list of failing addresses: it must read it again.
        assert (await http.get(b.url + "/api/v1/me", headers=auth(token))).status_code == 200
        for _ in range(3):
            assert (await http.get(a.url + "/api/v1/me", headers=auth("trb_x"))
                    ).status_code == 401
        started = time.monotonic()
        for _ in range(40):  # B's own answer is what changes: nothing to wait on but it
            reply = await http.get(b.url + "/api/v1/me", headers=auth(token))
            if reply.status_code != 200:
                break
            await asyncio.sleep(0.05)
        assert reply.status_code == 429 and reply.json()["code"] == "rate_limited"
        assert time.monotonic() - started < 0.5 + 0.3  # the refresh, and a request's time


def test_a_signature_seen_on_one_replica_binds_on_the_other(
        replicas: Replicas) -> None:  # noqa: F811
    """A Zadarma post accepted by A; the same signature with another pbx_call_id sent to
    B is refused (the binding is in Redis), while the exact retry on B passes."""
    a, b, _ = replicas
    run_cli(a.data_dir, "provider", "set", "zadarma", "--api-key", "k", "--api-secret",
            SECRET, "--api-url", "http://127.0.0.1:9", database_url=a.database_url)
    start = datetime.now().strftime("%Y-%m-%d %H:%M:%S")
    with httpx.Client(base_url=a.url) as on_a, httpx.Client(base_url=b.url) as on_b:
        assert post(on_a, call(start)).status_code == 200
        assert post(on_b, call(start)).status_code == 200
        assert post(on_b, call(start, pbx_call_id="in_other")).status_code == 401
