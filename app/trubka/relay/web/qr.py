"""QR codes of enrolment links, drawn on the server as SVG (segno: pure Python), so the
console needs no script library and no network to show one."""

from __future__ import annotations

import segno


def qr_svg(text: str) -> str:
    """An inline `<svg>` of `text` that scales with its box (dark on white in both
    themes: phone cameras need the contrast)."""
    code = segno.make(text, error="m")
    return code.svg_inline(scale=4, border=2, dark="#000", light="#fff", omitsize=True,
                           title="QR")
