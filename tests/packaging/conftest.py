"""Packaging fixtures: the wheel built once per session, fresh virtualenvs outside the
checkout with one extra each, and programs started from them whose log we can wait on.

Tests here need `uv` (and, for the .deb, root and dpkg). Without them they skip with the
reason; with TRUBKA_REQUIRE_PACKAGING=1 (set by .ci/run) they fail instead.
"""

from __future__ import annotations

import json
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
REQUIRE = os.environ.get("TRUBKA_REQUIRE_PACKAGING") == "1"


def need(ok: object, reason: str) -> None:
    """Skip (or, when CI requires packaging tests, fail) unless `ok`."""
    if ok:
        return
    if REQUIRE:
        pytest.fail(f"TRUBKA_REQUIRE_PACKAGING=1 but {reason}")
    pytest.skip(reason)


def uv() -> str:
    path = shutil.which("uv")
    need(path, "uv is not installed")
    return path  # type: ignore[return-value]


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment of a user who has only what was installed: no virtualenv or
    PYTHONPATH leaking in from the test run, a throw-away home and XDG directories."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "UV_PROJECT_ENVIRONMENT")
           and not k.startswith("XDG_") and not k.startswith("TRUBKA_")}
    for name, sub in (("XDG_CONFIG_HOME", ".config"), ("XDG_CACHE_HOME", ".cache"),
                      ("XDG_DATA_HOME", ".local/share"), ("XDG_STATE_HOME", ".local/state")):
        env[name] = str(home / sub)
    env.update(HOME=str(home), QT_QPA_PLATFORM="offscreen", PYTHONUNBUFFERED="1",
               PYTHONDONTWRITEBYTECODE="1", **extra)
    home.mkdir(parents=True, exist_ok=True)
    return env


def run(cmd: Sequence[str | Path], timeout: float = 300, check: bool = True,
        **kwargs: object) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(c) for c in cmd], capture_output=True, text=True,
                            timeout=timeout, check=False, **kwargs)  # type: ignore[call-overload]
    if check and result.returncode != 0:
        raise AssertionError(f"{cmd} exited {result.returncode}\n{result.stdout}\n"
                             f"{result.stderr}")
    return result  # type: ignore[no-any-return]


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`uv build --wheel` of the checkout, once per session, outside the checkout."""
    out = tmp_path_factory.mktemp("wheel")
    run([uv(), "build", "--wheel", "--quiet", "--out-dir", out, REPO], cwd=REPO)
    (built,) = out.glob("trubka-*.whl")
    return built


@pytest.fixture(scope="session")
def constraints(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The locked versions, so a fresh venv gets what the tests ran with (from uv's cache)."""
    path = tmp_path_factory.mktemp("lock") / "constraints.txt"
    run([uv(), "export", "--frozen", "--all-extras", "--no-hashes", "--no-emit-project",
         "--no-header", "--quiet", "--output-file", path], cwd=REPO)
    return path


def make_venv(where: Path, wheel: Path, extra: str, constraints: Path) -> Path:
    """A fresh virtualenv at `where` with `trubka[extra]` from the wheel; returns its bin."""
    assert not where.resolve().is_relative_to(REPO), "venvs live outside the checkout"
    run([uv(), "venv", "--quiet", "--python", sys.executable, where])
    python = where / "bin" / "python"
    run([uv(), "pip", "install", "--quiet", "--python", python, "--constraints", constraints,
         f"{wheel}[{extra}]"])
    return where / "bin"


def site_packages(python: Path) -> Path:
    out = run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"])
    return Path(out.stdout.strip())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Program:
    """A started program whose stderr (or log file) lines we wait for, without sleeps:
    a reader thread queues every line; `wait_for` blocks on the queue."""

    def __init__(self, cmd: Sequence[str | Path], env: dict[str, str], cwd: Path) -> None:
        self.cmd = [str(c) for c in cmd]
        self.proc = subprocess.Popen(self.cmd, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, text=True, env=env, cwd=cwd)
        self.lines: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.lines.append(line)
            self._queue.put(line)
        self._queue.put(None)

    def wait_for(self, pattern: str, timeout: float = 30) -> re.Match[str]:
        """The first new line matching `pattern`; fails with the log when the program
        exits or `timeout` passes first."""
        deadline = time.monotonic() + timeout
        regex = re.compile(pattern)
        while True:
            remaining = deadline - time.monotonic()
            try:
                line = self._queue.get(timeout=max(remaining, 0.01))
            except queue.Empty:
                line = ""
                if remaining <= 0:
                    raise AssertionError(f"no {pattern!r} within {timeout} s from "
                                         f"{self.cmd}:\n{''.join(self.lines)}") from None
            if line is None:
                raise AssertionError(f"{self.cmd} exited ({self.proc.wait()}) before "
                                     f"{pattern!r}:\n{''.join(self.lines)}")
            match = regex.search(line or "")
            if match:
                return match

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(15)
        self._reader.join(5)
        if self.proc.stderr and not self.proc.stderr.closed:
            self.proc.stderr.close()
        return self.proc.returncode


@pytest.fixture
def programs() -> Iterator[list[Program]]:
    """Programs a test starts; all stopped at teardown, even when the test fails."""
    started: list[Program] = []
    yield started
    for program in started:
        program.stop()


def probe(python: Path, env: dict[str, str], cwd: Path, code: str) -> dict[str, object]:
    """Run a small script with an installed interpreter; it prints one JSON object."""
    out = run([python, "-c", code], env=env, cwd=cwd, timeout=60)
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]
