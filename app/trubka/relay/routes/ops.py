"""Liveness, readiness and Prometheus metrics (SPEC §4 R6)."""

from __future__ import annotations

import sqlalchemy as sa
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from trubka.relay.deps import relay_of
from trubka.relay.store import crm as crm_store
from trubka.relay.store import settings, status

router = APIRouter(tags=["operations"])


@router.get("/healthz", summary="Liveness: the process answers")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", summary="Readiness: database and hub reachable, providers listed")
async def readyz(request: Request) -> Response:
    relay = relay_of(request)
    checks: dict[str, object] = {}
    ok = True
    try:
        async with relay.store.read() as conn:
            await conn.execute(sa.text("SELECT 1"))
            configured = [name for name, _ in await settings.provider_configs(conn)]  # fresh
            background = await status.load_all(conn)
            crm = await crm_store.configured(conn)
        checks["database"] = "ok"
        checks["providers"] = configured
        if background:  # e.g. Beeline's subscription; informative, not a readiness gate
            checks["provider_status"] = {k: v for k, v in background.items()
                                         if k in configured}
        if crm is not None:  # the CRM's state: informative, calls ring without it
            state = background.get("crm", {})
            checks["crm"] = state if state.get("connector") == crm[0] else {
                "connector": crm[0], "state": "unknown"}
    except Exception as exc:  # the point of this endpoint is to report, not to fail
        ok = False
        checks["database"] = f"error: {type(exc).__name__}"
    try:
        hub_ok = await relay.hub.ready()
    except Exception:
        hub_ok = False
    checks["hub"] = "ok" if hub_ok else "error"
    ok = ok and hub_ok
    return JSONResponse({"status": "ok" if ok else "unavailable", "checks": checks},
                        status_code=200 if ok else 503)


@router.get("/metrics", summary="Prometheus metrics", response_class=Response)
async def metrics(request: Request) -> Response:
    relay = relay_of(request)
    return Response(relay.metrics.render(), media_type="text/plain; version=0.0.4")
