"""Company defaults: a system-wide `trubka.ini` an administrator (or the installer's
silent mode) puts beside the machine's other policies, read before the user's settings.

Same keys as the user's `settings.ini`, plus `locked = key1, key2`: locked keys are the
company's value whatever the user's file says, and the settings dialog shows them
read-only. Where the file lives is decided in one function, `company_defaults_paths`.
"""

from __future__ import annotations

import logging
import os
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from trubka.desktop.inifile import read_ini

log = logging.getLogger("trubka.desktop.defaults")
FILE = Path("trubka") / "trubka.ini"


@dataclass(frozen=True, slots=True)
class CompanyDefaults:
    values: dict[str, str] = field(default_factory=dict)  # raw, as in settings.ini
    locked: frozenset[str] = frozenset()
    sources: tuple[Path, ...] = ()  # the files they came from, first wins


def company_defaults_paths(platform: str = sys.platform,
                           env: Mapping[str, str] | None = None) -> list[Path]:
    """Where company defaults are looked for, in precedence order (first wins).

    Linux and other XDG systems: `<dir>/trubka/trubka.ini` for every dir of
    `$XDG_CONFIG_DIRS` (default `/etc/xdg`), as QSettings' system scope reads them.
    Windows: `%ProgramData%\\Trubka\\trubka.ini` (usually `C:\\ProgramData`)."""
    env = os.environ if env is None else env
    if platform == "win32":
        base = env.get("ProgramData") or env.get("PROGRAMDATA") or r"C:\ProgramData"
        return [Path(base) / "Trubka" / "trubka.ini"]
    dirs = [d for d in (env.get("XDG_CONFIG_DIRS") or "/etc/xdg").split(":") if d]
    return [Path(d) / FILE for d in dirs]


def read_company_defaults(paths: list[Path] | None = None) -> CompanyDefaults:
    """Merge the files key by key, the first file that sets a key winning."""
    values: dict[str, str] = {}
    sources = []
    for path in company_defaults_paths() if paths is None else paths:
        data = read_ini(path)
        if data:
            sources.append(path)
        for key, value in data.items():
            values.setdefault(key, value)
    locked = frozenset(k for k in re.split(r"[\s,;]+", values.pop("locked", "")) if k)
    if sources:
        log.info("company defaults from %s; locked: %s", ", ".join(map(str, sources)),
                 ", ".join(sorted(locked)) or "none")
    return CompanyDefaults(values, locked, tuple(sources))
