"""Icons and translations shipped in `resources/`; `.qm` files are built from `.ts`.

`python -m trubka.desktop.resources` (or any start of the app) runs `pyside6-lrelease`
from the PySide6 wheel on each `resources/translations/*.ts` whose `.qm` is missing or
older, so compiled translations are never committed by hand.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path

import platformdirs

log = logging.getLogger("trubka.desktop.resources")

def _root() -> Path:
    """The resources directory: env override, a PyInstaller bundle, the source tree,
    or an installed `share/trubka/resources`."""
    if os.environ.get("TRUBKA_RESOURCES"):
        return Path(os.environ["TRUBKA_RESOURCES"])
    source = Path(__file__).resolve().parents[3] / "resources"
    candidates = [source, Path(sys.prefix) / "share" / "trubka" / "resources"]
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        candidates.insert(0, Path(bundle) / "resources")
    return next((c for c in candidates if (c / "icons").is_dir()), source)


ROOT = _root()
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
    return TRANSLATIONS if os.access(TRANSLATIONS, os.W_OK) else Path(
        platformdirs.user_cache_dir("trubka", appauthor=False)) / "translations"


def build_translations(force: bool = False) -> list[Path]:
    """Compile every `.ts` whose `.qm` is missing or stale; returns the `.qm` paths."""
    out_dir = qm_dir()
    out_dir.mkdir(parents=True, exist_ok=True)
    built = []
    tool = _lrelease()
    for ts in sorted(TRANSLATIONS.glob("trubka_*.ts")):
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
    build_translations()
    qm = qm_dir() / f"trubka_{language}.qm"
    return qm if qm.exists() else None


if __name__ == "__main__":  # pragma: no cover - a build step
    for path in build_translations(force=True):
        print(path)
