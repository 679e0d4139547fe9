"""core imports neither Qt, nor the web framework, nor sockets (STYLE: one direction)."""

from __future__ import annotations

import subprocess
import sys


def test_core_imports_no_frameworks() -> None:
    """Importing every core module pulls in no Qt, FastAPI, Starlette, websockets or httpx."""
    code = (
        "import sys, pkgutil, importlib, trubka.core as c\n"
        "for m in pkgutil.iter_modules(c.__path__):\n"
        "    importlib.import_module('trubka.core.' + m.name)\n"
        "bad = [n for n in sys.modules if n.split('.')[0] in "
        "('PySide6','fastapi','starlette','websockets','httpx','sqlalchemy','uvicorn')]\n"
        "print(','.join(sorted(bad)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == ""
