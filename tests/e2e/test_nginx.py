"""The shipped nginx config for real: Debian's nginx on loopback, TLS from a self-signed CA,
in front of a relay; the desktop's own client connects through it with that CA configured."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import re
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import WEBHOOK_TOKEN, Relay
from trubka.core.protocol import CallFrame, Hello
from trubka.desktop.api import RelayApi
from trubka.desktop.bridge import ReconnectPolicy, RelayBridge
from trubka.http import ssl_context

PACKAGING = Path(__file__).parents[2] / "packaging" / "relay" / "nginx"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
pytestmark = pytest.mark.skipif(not Path(NGINX).exists() or not shutil.which("openssl"),
                                reason="needs Debian's nginx and openssl (.ci/run installs them)")


def openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def make_certificates(tmp: Path) -> Path:
    """A CA, and a certificate for localhost/127.0.0.1 it signed; returns the CA file."""
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out",
            "ca.pem", "-days", "2", "-subj", "/CN=Trubka Test CA", cwd=tmp)
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out",
            "server.csr", "-subj", "/CN=localhost", cwd=tmp)
    (tmp / "san.ext").write_text("subjectAltName=DNS:localhost,IP:127.0.0.1\n")
    openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
            "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "san.ext",
            cwd=tmp)
    return tmp / "ca.pem"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def render(tmp: Path, tls_port: int, relay_port: int) -> Path:
    """packaging/relay/nginx/trubka.conf with this test's ports, paths and certificate."""
    site = (PACKAGING / "trubka.conf").read_text()
    site = site.replace("server 127.0.0.1:8765", f"server 127.0.0.1:{relay_port}")
    site = site.replace("listen 443 ssl;", f"listen 127.0.0.1:{tls_port} ssl;")
    site = re.sub(r"ssl_certificate\s+\S+;", f"ssl_certificate {tmp / 'server.pem'};", site)
    site = re.sub(r"ssl_certificate_key\s+\S+;", f"ssl_certificate_key {tmp / 'server.key'};",
                  site)
    site = site.replace("/etc/nginx/snippets/trubka-locations.conf",
                        str(PACKAGING / "trubka-locations.conf"))
    site = site.replace("server_name relay.example.ru;", "server_name localhost;")
    site = site[: site.rindex("server {")]  # the port-80 redirect is not needed here
    conf = tmp / "nginx.conf"
    conf.write_text(f"""
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log {tmp}/access.log;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
{site}
}}
""")
    return conf


@pytest.fixture
def tls_front(tmp_path: Path, pz_relay: Relay) -> Iterator[tuple[str, Path]]:
    """nginx with the shipped config on a free port; yields (https URL, CA file)."""
    ca = make_certificates(tmp_path)
    port = free_port()
    conf = render(tmp_path, port, pz_relay.server.port)
    subprocess.run([NGINX, "-t", "-c", str(conf), "-p", str(tmp_path)], check=True,
                   capture_output=True)
    proc = subprocess.Popen([NGINX, "-c", str(conf), "-p", str(tmp_path), "-g",
                             "daemon off; master_process off;"],
                            stderr=subprocess.PIPE)
    deadline = time.monotonic() + 10
    while True:  # an external server: wait until its port accepts
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError((tmp_path / "error.log").read_text()) from None
            time.sleep(0.05)
    try:
        yield f"https://localhost:{port}", ca
    finally:
        proc.terminate()
        proc.wait(10)
        if proc.stderr:
            proc.stderr.close()


async def test_desktop_api_through_nginx_with_custom_ca(tls_front: tuple[str, Path],
                                                        pz_relay: Relay) -> None:
    """The desktop's REST client reaches /me through TLS with the CA file, and is refused
    without it (the OS store does not know the test CA)."""
    url, ca = tls_front
    token = pz_relay.add_user("Иванов", "100")
    api = RelayApi(url, token, ca_file=str(ca))
    try:
        me = await api.me()
        assert (me.name, me.ext) == ("Иванов", "100")
    finally:
        await api.aclose()
    untrusted = RelayApi(url, token)
    try:
        with pytest.raises(Exception, match=r"(?i)certificate|TLS|SSL"):
            await untrusted.me()
    finally:
        await untrusted.aclose()


def test_events_socket_through_nginx(qtbot, tls_front: tuple[str, Path],  # type: ignore[no-untyped-def]
                                     pz_relay: Relay) -> None:
    """The desktop bridge opens wss:// through nginx and receives a call posted to
    the webhook through nginx as well."""
    url, ca = tls_front
    token = pz_relay.add_user("Иванов", "100")
    bridge = RelayBridge(ReconnectPolicy(first=0.05, minimum=0.1, maximum=0.3, factor=1.5,
                                         ping_interval=2.0, ping_timeout=2.0,
                                         open_timeout=5.0))
    frames: list[object] = []
    bridge.frame.connect(frames.append)
    bridge.configure(url, token, str(ca))
    try:
        with qtbot.waitSignal(bridge.frame, timeout=10000,
                              check_params_cb=lambda f: isinstance(f, Hello)):
            bridge.start()
        with qtbot.waitSignal(bridge.frame, timeout=10000,
                              check_params_cb=lambda f: isinstance(f, CallFrame)):
            reply = httpx.post(url + "/hooks/prostiezvonki", verify=ssl_context(ca), json={
                "cmd": "event", "type": "INCOMING", "direction": "in", "user": "100",
                "ext": "100", "phone": "89991234567", "callid": "tls-1",
                "crm_token": WEBHOOK_TOKEN})
            assert reply.status_code == 200
        call = next(f for f in frames if isinstance(f, CallFrame)).call
        assert (call.phone, call.state.value) == ("+79991234567", "ringing")
    finally:
        bridge.shutdown()
