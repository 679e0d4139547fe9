"""Rendering the relay's pages: one Jinja2 environment, the language from the browser,
and the headers every page gets (no referrer, no caching, scripts only from here)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

HERE = Path(__file__).parent
STATIC = HERE / "static"
ENV = Environment(loader=FileSystemLoader(HERE / "templates"),
                  autoescape=select_autoescape(["html"]), trim_blocks=True,
                  lstrip_blocks=True)

SECURITY_HEADERS = {
    # Codes and links must never leak to another site through the Referer header.
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
                               "frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
}


def language(request: Request) -> str:
    """Russian unless the browser prefers another language first."""
    header = request.headers.get("accept-language", "").lower()
    for part in header.split(","):
        tag = part.split(";", 1)[0].strip()
        if tag.startswith("ru"):
            return "ru"
        if tag and tag != "*":
            return "en"
    return "ru"


def render(request: Request, template: str, texts: dict[str, dict[str, str]],
           status: int = 200, **context: Any) -> HTMLResponse:
    lang = language(request)
    html = ENV.get_template(template).render(lang=lang, t=texts[lang], **context)
    return HTMLResponse(html, status_code=status, headers=SECURITY_HEADERS)
