"""nginx with the nchan module as a second baseline for bench/fanout.py (`--peer nchan`).

The issue that set the relay's CPU targets compared it with a real peer doing the same
job in C: nginx + nchan (Debian's `libnginx-mod-nchan`) takes an HTTP POST per message and
delivers it to the WebSocket subscribers of its channel, from memory — no durable commit,
no parsing of a PBX's body, no state machine. One nginx worker on 127.0.0.1, a channel per
employee: `POST /pub/<ext>` publishes, `ws://…/sub/<ext>` subscribes.

    sudo apt-get install libnginx-mod-nchan   # with nginx-light or nginx-core
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

MODULE = Path("/usr/lib/nginx/modules/ngx_nchan_module.so")


def available() -> str | None:
    """Why the peer cannot run here, or None."""
    if shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists():
        return "nginx is not installed"
    if not MODULE.exists():
        return f"{MODULE} is missing (apt-get install libnginx-mod-nchan)"
    return None


def config(tmp: Path, port: int) -> str:
    user = "user root root;" if os.geteuid() == 0 else ""
    return f"""
load_module {MODULE};
{user}
worker_processes 1;
worker_rlimit_nofile 16384;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 8192; }}
http {{
    access_log off;
    keepalive_requests 1000000;  # the load generator keeps its connections
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    server {{
        listen 127.0.0.1:{port};
        location ~ ^/pub/(\\w+)$ {{
            nchan_publisher;
            nchan_channel_id $1;
        }}
        location ~ ^/sub/(\\w+)$ {{
            nchan_subscriber websocket;
            nchan_channel_id $1;
        }}
    }}
}}
"""


def start(tmp: Path, port: int) -> tuple[subprocess.Popen[bytes], list[int]]:
    """nginx in the foreground; the process and the pids whose CPU counts (its worker)."""
    conf = tmp / "nginx.conf"
    conf.write_text(config(tmp, port))
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    proc = subprocess.Popen([nginx, "-c", str(conf), "-g", "daemon off;"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            said = proc.stderr.read().decode() if proc.stderr else ""
            raise RuntimeError(f"nginx exited: {said}")
        children = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True,
                                  text=True).stdout.split()
        if children:
            return proc, [proc.pid, *map(int, children)]
        time.sleep(0.05)
    proc.kill()
    raise RuntimeError("nginx did not start its worker")
