"""Render the application icon (resources/icons/trubka.svg) for packages, with Qt's SVG
renderer from the PySide6 wheel — no network, no extra tools.

    python packaging/render_icons.py hicolor OUT_DIR    # OUT_DIR/<N>x<N>/apps/<APP_ID>.png
                                                        # and OUT_DIR/scalable/apps/<APP_ID>.svg
    python packaging/render_icons.py ico OUT_FILE.ico   # Windows executable icon
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

from trubka.desktop.platform import APP_ID
from trubka.desktop.resources import icon_path

SIZES = (16, 22, 24, 32, 48, 64, 128, 256)


def render(size: int) -> QImage:
    renderer = QSvgRenderer(icon_path("trubka"))
    if not renderer.isValid():
        raise SystemExit(f"cannot read {icon_path('trubka')}")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    return image


def hicolor(out: Path) -> None:
    for size in SIZES:
        target = out / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        if not render(size).save(str(target), "PNG"):
            raise SystemExit(f"could not write {target}")
    scalable = out / "scalable" / "apps" / f"{APP_ID}.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(icon_path("trubka"), scalable)


def ico(out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    if not render(256).save(str(out), "ICO"):
        raise SystemExit(f"could not write {out}")


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("hicolor", "ico"):
        print(__doc__, file=sys.stderr)
        return 2
    app = QGuiApplication.instance() or QGuiApplication([])
    (hicolor if argv[0] == "hicolor" else ico)(Path(argv[1]))
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
