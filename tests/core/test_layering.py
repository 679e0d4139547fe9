"""One direction of dependency (STYLE): desktop → core ← relay ← providers → core.

core imports no framework; providers import no relay; the relay imports no desktop or
Qt; the desktop imports no relay outside the demo, which embeds one. Checked on the
imports each module really executes, in a fresh interpreter.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

FRAMEWORKS = ("PySide6", "fastapi", "starlette", "websockets", "httpx", "sqlalchemy",
              "uvicorn")


def loaded_after_importing(package: str, skip: tuple[str, ...] = ()) -> set[str]:
    """Every module loaded by importing all modules of `package` (but `skip`)."""
    code = (
        "import sys, pkgutil, importlib\n"
        f"pkg = importlib.import_module({package!r})\n"
        "for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        f"    if not m.name.endswith({(*skip, '.__main__')!r}) \\\n"
        "            and '.migrations' not in m.name:\n"
        "        importlib.import_module(m.name)\n"
        "print('\\n'.join(sorted(sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    return set(out.stdout.split())


def top(modules: set[str], *names: str) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in names)


def within(modules: set[str], *prefixes: str) -> list[str]:
    return sorted(m for m in modules if m.startswith(prefixes))


def test_core_imports_no_frameworks() -> None:
    """Importing every core module pulls in no Qt, web framework, sockets, HTTP or SQL."""
    assert top(loaded_after_importing("trubka.core"), *FRAMEWORKS) == []


def test_providers_import_no_relay_and_no_desktop() -> None:
    """Providers translate PBX messages; they never reach into the relay or the desktop."""
    loaded = loaded_after_importing("trubka.providers")
    assert within(loaded, "trubka.relay", "trubka.desktop") == []
    assert top(loaded, "PySide6", "fastapi", "starlette", "sqlalchemy", "uvicorn") == []


def test_relay_imports_no_desktop_and_no_qt() -> None:
    """The relay runs on servers without Qt."""
    loaded = loaded_after_importing("trubka.relay")
    assert within(loaded, "trubka.desktop") == [] and top(loaded, "PySide6") == []


@pytest.mark.parametrize("optional", ["redis", "asyncpg"])
def test_relay_default_install_needs_no_scale_out_packages(optional: str) -> None:
    """Every relay module but the Redis hub and the Redis-shared guards imports without
    the Redis client and asyncpg, which only --redis-url and a postgresql:// URL need
    (imported lazily then)."""
    assert top(loaded_after_importing("trubka.relay", skip=(".hub.redis", ".redis_guards")),
               optional) == []


def test_desktop_imports_no_relay_outside_the_demo() -> None:
    """The desktop shares only core with the relay; `trubka demo` embeds one."""
    loaded = loaded_after_importing("trubka.desktop", skip=(".demo",))
    assert within(loaded, "trubka.relay", "trubka.providers") == []
    assert top(loaded, "fastapi", "starlette", "sqlalchemy", "uvicorn") == []
