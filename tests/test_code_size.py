"""Modules stay under 400 lines and functions under 50 (issue: one seam per concern;
STYLE.md: a module a reader can hold, a function that does one thing)."""

from __future__ import annotations

import ast
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app" / "trubka"
MAX_MODULE = 400
MAX_FUNCTION = 50


def _sources() -> list[Path]:
    return sorted(p for p in APP.rglob("*.py") if "migrations" not in p.parts)


def test_no_module_over_400_lines() -> None:
    """Every product module is under the limit (Alembic migrations are generated data)."""
    long = {str(p.relative_to(APP)): n for p in _sources()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE}
    assert not long, long


def test_no_function_over_50_lines() -> None:
    """Every function and method, nested ones included, is under the limit."""
    long = []
    for path in _sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION:
                    long.append(f"{path.relative_to(APP)}:{node.lineno} {node.name} ({length})")
    assert not long, long
