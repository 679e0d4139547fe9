"""The admin console at `/admin/` and the employees' web client at `/app/` (SPEC §9.5).

Pages are rendered on the server from the same admin-layer calls the admin API makes;
a little plain JavaScript (web/static/console.js, app.js) sends the forms to the API with
the session's CSRF token and keeps the live parts live. Without a session a page shows
the sign-in form; a session without the administrator role gets 403 on every console
page, as on every admin endpoint.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, PlainTextResponse

import trubka
from trubka.core.errors import NotFound
from trubka.core.numbers import display
from trubka.core.templates import DEFAULT_SEARCH
from trubka.providers import SPECS
from trubka.relay import admin
from trubka.relay.admin import overview
from trubka.relay.deps import Credential, Relay, identify, relay_of
from trubka.relay.routes.admin_api import setting_rows, statuses, user_rows
from trubka.relay.web.app_texts import TEXTS as APP_TEXTS
from trubka.relay.web.console_texts import TEXTS
from trubka.relay.web.pages import render

router = APIRouter(include_in_schema=False)
Loader = Callable[[Relay, Request], Awaitable[dict[str, Any]]]


async def _overview(relay: Relay, request: Request) -> dict[str, Any]:
    users = await user_rows(relay)
    return {"providers": [p for p in await statuses(relay, request) if p.configured],
            "online": [u for u in users if u.connected],
            "calls": await overview.live_calls(relay.admin)}


async def _users(relay: Relay, request: Request) -> dict[str, Any]:
    return {"users": await user_rows(relay)}


async def _pbx(relay: Relay, request: Request) -> dict[str, Any]:
    return {"providers": await statuses(relay, request), "users": await user_rows(relay)}


async def _settings(relay: Relay, request: Request) -> dict[str, Any]:
    return {"settings": await setting_rows(relay)}


async def _book(relay: Relay, request: Request) -> dict[str, Any]:
    return {}


async def _live(relay: Relay, request: Request) -> dict[str, Any]:
    return {"calls": await overview.live_calls(relay.admin)}


def _date(text: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(text).replace(tzinfo=UTC) if text else None
    except ValueError:
        return None


async def _journal(relay: Relay, request: Request) -> dict[str, Any]:
    q = request.query_params
    kind = q.get("filter", "all")
    kind = kind if kind in ("all", "missed", "in", "out") else "all"
    until = _date(q.get("to"))
    query = overview.JournalQuery(
        ext=q.get("ext", "")[:32], kind=kind, since=_date(q.get("from")),
        until=until + timedelta(days=1) if until else None, phone=q.get("phone", "")[:40],
        limit=200)
    export = {"format": "csv", "limit": "10000", "ext": query.ext, "filter": kind,
              "phone": query.phone, "since": query.since.date().isoformat() if query.since
              else "", "until": query.until.date().isoformat() if query.until else ""}
    return {"rows": await overview.journal(relay.admin, query), "query": query,
            "filters": {k: q.get(k, "") for k in ("ext", "filter", "from", "to", "phone")},
            "users": await admin.list_users(relay.admin),
            "csv_href": "/api/v1/admin/journal?" + urlencode({k: v for k, v in export.items()
                                                              if v})}


PAGES: dict[str, Loader] = {
    "overview": _overview, "users": _users, "pbx": _pbx, "settings": _settings,
    "book": _book, "live": _live, "journal": _journal,
}


def _when(value: object) -> str:
    """A time for people: HH:MM today, else the date (UTC; the page's JS localises)."""
    if isinstance(value, str):
        value = _date(value[:26]) if value else None
    if not isinstance(value, datetime):
        return ""
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


async def _signed_in(request: Request) -> Credential | None:
    return await identify(relay_of(request), request)


async def _page(request: Request, name: str) -> HTMLResponse:
    relay = relay_of(request)
    credential = await _signed_in(request)
    common: dict[str, Any] = {"page": name, "version": trubka.__version__,
                              "when": _when, "display": display}
    if credential is None:
        return render(request, "console/signin.html", TEXTS, **common)
    if not credential.user.is_admin:
        return render(request, "console/forbidden.html", TEXTS, status=403, me=credential.user,
                      csrf=credential.csrf or "", **common)
    data = await PAGES[name](relay, request)
    return render(request, f"console/{name}.html", TEXTS, me=credential.user,
                  csrf=credential.csrf or "", **common, **data)


def _route(path: str, name: str) -> None:
    async def page(request: Request) -> HTMLResponse:
        return await _page(request, name)

    router.add_api_route(path, page, methods=["GET"], name=f"console_{name}",
                         response_class=HTMLResponse)


_route("/admin/", "overview")
for _name in PAGES:
    if _name != "overview":
        _route(f"/admin/{_name}", _name)


def _guides() -> Path:
    """Provider set-up guides: inside the wheel, or the checkout's docs/providers."""
    packaged = Path(trubka.__file__).parent / "guides"
    return packaged if packaged.is_dir() else Path(trubka.__file__).parents[2] / "docs" / \
        "providers"


@router.get("/admin/guides/{name}", response_class=PlainTextResponse)
async def guide(request: Request, name: str) -> PlainTextResponse:
    """A PBX's set-up guide (Markdown, shown as text) to the signed-in administrator."""
    credential = await _signed_in(request)
    if credential is None or not credential.user.is_admin:
        return PlainTextResponse("Sign in at /admin/ as an administrator", status_code=403)
    path = _guides() / f"{name}.md"
    if name not in SPECS or not path.is_file():
        raise NotFound("No such guide")
    return PlainTextResponse(path.read_text(encoding="utf-8"),
                             media_type="text/markdown; charset=utf-8")


@router.get("/app/", response_class=HTMLResponse)
async def web_client(request: Request) -> HTMLResponse:
    """The employees' web client: the sign-in form, or the call card, dial box, journal
    and address book (everything live comes over the events socket)."""
    credential = await _signed_in(request)
    return render(request, "app.html", APP_TEXTS, me=credential.user if credential else None,
                  csrf=(credential.csrf or "") if credential else "",
                  search_template=DEFAULT_SEARCH)
