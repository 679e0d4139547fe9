"""`mypy --strict` holds for core, providers and the relay (pyproject's [tool.mypy])."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_core_providers_relay_type_check_strictly() -> None:
    """No type error in the plain-Python layers; the config makes them --strict."""
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "app/trubka/core", "app/trubka/providers",
         "app/trubka/relay", "app/trubka/http.py"],
        cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
