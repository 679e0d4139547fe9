"""The PySide 6.12 refcount work-around keeps a long-running app alive."""

from __future__ import annotations

import os
import subprocess
import sys

CODE = """
import os
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
from trubka.desktop import qtcompat
qtcompat.install()
label = QLabel()
for i in range(300_000):
    label.setText("x")
    app.processEvents()
print("alive")
"""


def test_hundreds_of_thousands_of_qt_calls() -> None:
    """300,000 void Qt calls (more than None's refcount) do not abort the interpreter."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True,
                          env=env, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "alive" in proc.stdout
