"""The docs name every CLI command, setting, endpoint and metric the code has (Datasette style).

Each test collects what the code offers, looks for each name in the docs, and fails with the
exact names missing and the file they belong in, so a new command, route or metric fails here
until it is documented.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from trubka.providers import SPECS
from trubka.relay.app import create_app
from trubka.relay.cli import build_parser
from trubka.relay.config import RelayConfig
from trubka.relay.metrics import Metrics
from trubka.relay.store.settings import SETTINGS

DOCS = Path(__file__).resolve().parent.parent / "docs"
OPERATIONS = DOCS / "operations.md"
ROUTE_DOCS = (DOCS / "protocol.md", DOCS / "operations.md", DOCS / "architecture.md")
# FastAPI's own pages, not part of the relay's interface.
BUILTIN_ROUTES = {"/docs", "/docs/oauth2-redirect", "/redoc"}


def _read(path: Path) -> str:
    assert path.is_file(), f"{path.relative_to(DOCS.parent)} is missing"
    return path.read_text(encoding="utf-8")


def _choices(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def cli_commands() -> Iterator[str]:
    """`serve`, `provider set`, `users add`, …: each command, or command and action."""
    for command, sub in _choices(build_parser()).items():
        actions = _choices(sub)
        if not actions:
            yield command
        for action in actions:
            yield f"{command} {action}"


def _missing(names: list[str], text: str) -> list[str]:
    return [name for name in names if name not in text]


def _report(kind: str, missing: list[str], where: str) -> str:
    listed = ", ".join(f"`{name}`" for name in missing)
    return f"{where} does not mention these {kind}: {listed}. Document each one in {where}."


def test_every_cli_command_is_in_operations() -> None:
    """Every `trubka-relay` command and action (walked from build_parser) is in operations.md."""
    commands = list(cli_commands())
    assert "provider set" in commands and "serve" in commands  # the walk itself works
    missing = _missing(commands, _read(OPERATIONS))
    assert not missing, _report("trubka-relay commands", missing, "docs/operations.md")


def test_every_setting_is_in_operations() -> None:
    """Every key of store.settings.SETTINGS is in operations.md."""
    missing = _missing(sorted(SETTINGS), _read(OPERATIONS))
    assert not missing, _report("settings keys", missing, "docs/operations.md")


def walk(routes: Iterable[Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """(path, route) of `app.routes`, looking inside included routers (FastAPI ≥ 0.16x keeps
    an `include_router` as one lazy `_IncludedRouter` entry holding the original router)."""
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            context = getattr(route, "include_context", None)
            yield from walk(inner.routes, prefix + getattr(context, "prefix", ""))
        elif isinstance(getattr(route, "path", None), str):
            yield prefix + route.path, route
            yield from walk(getattr(route, "routes", None) or (), prefix + route.path)


def route_paths(routes: Iterable[Any], prefix: str = "") -> Iterator[str]:
    """Paths of `app.routes`, nested ones included."""
    return (path for path, _ in walk(routes, prefix))


def test_every_route_is_documented(tmp_path: Path) -> None:
    """Every route path of create_app() is in protocol.md, operations.md or architecture.md."""
    app = create_app(RelayConfig(data_dir=tmp_path))
    found = set(route_paths(app.routes)) | set(app.openapi()["paths"])
    paths = sorted(found - BUILTIN_ROUTES)
    assert {"/api/v1/events", "/hooks/{provider}", "/healthz"} <= found  # the walk works
    text = "\n".join(_read(path) for path in ROUTE_DOCS)
    missing = _missing(paths, text)
    where = " or ".join(f"docs/{p.name}" for p in ROUTE_DOCS)
    assert not missing, _report("route paths", missing, where)


def test_every_metric_is_in_operations() -> None:
    """Every metric the relay exports (metrics.Metrics) is in operations.md."""
    names = []
    for family in Metrics().registry.collect():
        names.append(family.name + "_total" if family.type == "counter" else family.name)
    assert names, "Metrics() registered nothing"
    missing = _missing(sorted(names), _read(OPERATIONS))
    assert not missing, _report("metrics", missing, "docs/operations.md")


def test_every_provider_has_a_setup_page() -> None:
    """Every provider spec's set-up guide (docs/providers/<name>.md) exists."""
    missing = [spec.guide for spec in SPECS.values()
               if not (DOCS.parent / spec.guide).is_file()]
    assert not missing, f"missing provider set-up pages: {', '.join(missing)}"
