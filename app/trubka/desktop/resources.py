"""Icons and translations; `.qm` files are compiled from `.ts`, never committed.

Where the resources are, first match wins:
* `TRUBKA_RESOURCES` (a directory with `icons/` and `translations/`);
* inside the package, `trubka/resources` — an installed wheel, and the PyInstaller
  bundle, which puts them at the same place;
* the source checkout's `resources/`;
* `<prefix>/share/trubka/resources` (a distribution's own packaging).

Compiled translations: a checkout compiles each `.ts` next to itself with
`pyside6-lrelease` from the PySide6 wheel (`python -m trubka.desktop.resources`, or any
start of the app). An installed package is never written to (uninstalling must leave
nothing behind), so it compiles into the user's cache directory instead. A bundle ships
the `.qm` files alone, compiled when it was built, and has no `.ts` to compile.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path

import platformdirs

log = logging.getLogger("trubka.desktop.resources")

PACKAGE = Path(__file__).resolve().parents[1] / "resources"
SOURCE = Path(__file__).resolve().parents[3] / "resources"


def _root() -> tuple[Path, str]:
    """(the resources directory, which kind of place it is)."""
    if os.environ.get("TRUBKA_RESOURCES"):
        return Path(os.environ["TRUBKA_RESOURCES"]), "env"
    candidates = [(PACKAGE, "package"), (SOURCE, "source"),
                  (Path(sys.prefix) / "share" / "trubka" / "resources", "prefix")]
    return next(((p, k) for p, k in candidates if (p / "icons").is_dir()), (SOURCE, "source"))


ROOT, KIND = _root()
ICONS = ROOT / "icons"
TRANSLATIONS = ROOT / "translations"


def icon_path(name: str) -> str:
    return str(ICONS / f"{name}.svg")


@cache
def icon(name: str):  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QIcon

    return QIcon(icon_path(name))


def _lrelease() -> str | None:
    import PySide6

    for candidate in (Path(PySide6.__file__).parent / "lrelease",
                      Path(sys.executable).parent / "pyside6-lrelease"):
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return shutil.which("pyside6-lrelease") or shutil.which("lrelease")


def qm_dir() -> Path:
    """Next to the `.ts` in a writable checkout (or `TRUBKA_RESOURCES`); otherwise a
    per-installation directory in the user's cache, so two installations never share
    (or overwrite) each other's compiled files."""
    if KIND in ("source", "env") and os.access(TRANSLATIONS, os.W_OK):
        return TRANSLATIONS
    tag = hashlib.sha256(str(TRANSLATIONS.resolve()).encode()).hexdigest()[:12]
    return Path(platformdirs.user_cache_dir("trubka", appauthor=False)) / "translations" / tag


def build_translations(force: bool = False, out_dir: Path | None = None) -> list[Path]:
    """Compile every `.ts` whose `.qm` is missing or stale into `out_dir` (default
    `qm_dir()`); returns the `.qm` paths."""
    sources = sorted(TRANSLATIONS.glob("trubka_*.ts"))
    if not sources:
        return []
    out_dir = out_dir or qm_dir()
    out_dir.mkdir(parents=True, exist_ok=True)
    built = []
    tool = _lrelease()
    for ts in sources:
        qm = out_dir / (ts.stem + ".qm")
        if force or not qm.exists() or qm.stat().st_mtime < ts.stat().st_mtime:
            if tool is None:
                log.warning("no lrelease found; %s stays untranslated", ts.name)
                continue
            subprocess.run([tool, "-silent", str(ts), "-qm", str(qm)], check=True,  # noqa: S603
                           capture_output=True)
        built.append(qm)
    return built


def translation_file(language: str) -> Path | None:
    if not (TRANSLATIONS / f"trubka_{language}.ts").exists():
        shipped = TRANSLATIONS / f"trubka_{language}.qm"  # a bundle: compiled at build time
        return shipped if shipped.exists() else None
    build_translations()
    qm = qm_dir() / f"trubka_{language}.qm"
    return qm if qm.exists() else None


if __name__ == "__main__":  # pragma: no cover - a build step
    # `python -m trubka.desktop.resources [OUT_DIR]`: compile every translation (into
    # OUT_DIR when given: the bundle build) and print the .qm paths.
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else None
    for path in build_translations(force=True, out_dir=target):
        print(path)
