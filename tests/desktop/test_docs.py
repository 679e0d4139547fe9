"""docs/desktop.md names every command, option and setting (STYLE: docs tests)."""

from __future__ import annotations

import argparse
from dataclasses import fields
from pathlib import Path

from trubka.desktop.cli import build_parser
from trubka.desktop.settings import Preferences

DOC = (Path(__file__).parents[2] / "docs" / "desktop.md").read_text(encoding="utf-8")


def _options(parser: argparse.ArgumentParser) -> set[str]:
    found = set()
    for action in parser._actions:
        found.update(o for o in action.option_strings if o.startswith("--") and o != "--help")
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found.add(f"trubka {name}")
                found |= _options(sub)
    return found


def test_every_command_and_option_documented() -> None:
    """Each subcommand and --option of `trubka` appears in docs/desktop.md."""
    missing = [o for o in sorted(_options(build_parser())) if o not in DOC]
    assert not missing


def test_every_setting_documented() -> None:
    """Each settings.ini key appears in docs/desktop.md."""
    missing = [f.name for f in fields(Preferences) if f"`{f.name}`" not in DOC]
    assert not missing
