"""The desktop app type-checks: mypy --check-untyped-defs (the config in pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]


@pytest.mark.slow
def test_desktop_type_checks() -> None:
    """`mypy app/trubka/desktop` with --check-untyped-defs finds no error."""
    proc = subprocess.run([sys.executable, "-m", "mypy", "--check-untyped-defs",
                           "app/trubka/desktop"], cwd=ROOT, capture_output=True, text=True,
                          timeout=600, check=False)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
