"""Every error reply the relay sends, in the catalogue's one shape (core/errors.py), and
the same shapes declared in `/openapi.json`, so a generated client can read them."""

from __future__ import annotations

import logging
import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException

from trubka.core.errors import (
    BodyTooLarge,
    Conflict,
    InvalidRequest,
    NotFound,
    ProviderError,
    RateLimited,
    TrubkaError,
    Unauthorized,
)
from trubka.providers import SPECS

log = logging.getLogger("trubka.relay")


class WebhookRefusal(BaseModel):
    """A webhook's 400/401 for JSON-speaking PBXs, exactly as SPEC §2.1 fixes it."""

    error: str = Field(description='"Invalid parameters" or "Invalid token"')


class FieldProblem(BaseModel):
    field: str
    message: str


class ErrorBody(BaseModel):
    """Every error reply: a sentence, a stable code, and what the error adds."""

    error: str = Field(description="what went wrong, in English")
    code: str = Field(description="stable, machine-readable: dispatch on this")
    detail: list[FieldProblem] | None = Field(None, description="invalid_request: each field")
    provider: str | None = Field(None, description="provider_error: which PBX refused")
    user_text: dict[str, str] | None = Field(
        None, description="provider_error: the sentence people read, per language")
    retry_after: int | None = Field(None, description="rate_limited: seconds to wait")


_DESCRIPTIONS = {
    401: "No valid token (or session, or ticket)", 403: "Not allowed for this user",
    404: "Not found", 409: "Conflicts with the relay's configuration", 410: "No longer valid",
    413: "Request body too large", 422: "Invalid request", 429: "Too many attempts",
    502: "The PBX refused or failed", 503: "Temporarily unavailable, retry later",
}


# An operation whose credential travels in its body (sign-in, enrolment): no bearer header.
NO_BEARER: dict[str, Any] = {"security": []}


def responses(*errors: type[TrubkaError]) -> dict[int | str, dict[str, Any]]:
    """The `responses=` of a route that may fail with `errors` (Unauthorized, request
    validation and a too-large body are added for every API route by `install`)."""
    statuses = sorted({e.http_status for e in errors})
    return {status: {"model": ErrorBody, "description": _DESCRIPTIONS.get(status, "Error")}
            for status in statuses}


COMMON = (Unauthorized, InvalidRequest, BodyTooLarge, RateLimited)
__all__ = ["COMMON", "Conflict", "ErrorBody", "NotFound", "install", "responses"]


def error_response(exc: TrubkaError) -> JSONResponse:
    body = exc.body()
    if isinstance(exc, ProviderError) and exc.provider in SPECS:
        # the sentence people read, in each language (SPEC F3)
        body["user_text"] = SPECS[exc.provider].error_texts(exc.message)
    return JSONResponse(body, status_code=exc.http_status, headers=exc.headers())


def install(app: FastAPI) -> None:
    @app.exception_handler(TrubkaError)
    async def trubka_error(request: Request, exc: TrubkaError) -> JSONResponse:
        if isinstance(exc, ProviderError):
            log.warning("provider %s refused: %s", exc.provider, exc.message)
        return error_response(exc)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        detail = [{"field": ".".join(str(p) for p in e.get("loc", ())[1:]) or "body",
                   "message": str(e.get("msg", ""))} for e in exc.errors()]
        text = "; ".join(f"{d['field']}: {d['message']}" for d in detail) or "Invalid request"
        return error_response(InvalidRequest(text, detail))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        """Starlette's own refusals (no such route, wrong method) in the same shape."""
        if exc.status_code == 400:  # FastAPI: a body it could not parse (too deep, …)
            return error_response(InvalidRequest("body: not readable JSON", [
                {"field": "body", "message": "not readable JSON"}]))
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "error")
        headers = dict(exc.headers or {})
        if exc.status_code == 405:  # every method of the path, not only one route's
            headers["Allow"] = allowed(app, request.url.path) or headers.get("Allow", "")
        return JSONResponse({"error": str(exc.detail), "code": code},
                            status_code=exc.status_code, headers=headers)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = _schema(app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def allowed(app: FastAPI, path: str) -> str:
    """The methods the relay serves on `path` (its documented paths), for `Allow`; a
    fixed path (`/users/import`) is its own resource, not an instance of `/users/{ext}`."""
    paths: dict[str, Any] = app.openapi().get("paths", {})
    if path in paths:
        matching = [paths[path]]
    else:
        matching = [operations for template, operations in paths.items() if re.fullmatch(
            re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)), path)]
    methods = {m.upper() for operations in matching for m in operations}
    if "GET" in methods:
        methods.add("HEAD")
    return ", ".join(sorted(methods))


def _schema(app: FastAPI) -> dict[str, Any]:
    """FastAPI's document, with its validation-error shape replaced by the relay's and
    the bearer scheme declared on the API (webhooks carry their PBX's own auth)."""
    schema = get_openapi(title=app.title, version=app.version, description=app.description,
                         routes=app.routes)
    components = schema.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    components["securitySchemes"] = {"bearer": {
        "type": "http", "scheme": "bearer",
        "description": "a desktop token (`trubka-relay users add`)"}}
    ref = {"$ref": "#/components/schemas/ErrorBody"}
    schemas["WebhookRefusal"] = WebhookRefusal.model_json_schema()
    for path, operations in schema.get("paths", {}).items():
        for operation in operations.values():
            replies = operation.setdefault("responses", {})
            if path.startswith("/hooks/"):
                _webhook_replies(replies, ref)
                continue
            if "422" in replies:
                replies["422"] = {"description": _DESCRIPTIONS[422],
                                  "content": {"application/json": {"schema": ref}}}
            if path.startswith("/api/"):
                operation.setdefault("security", [{"bearer": []}])
                for status in ("401", "413", "429"):
                    replies.setdefault(status, {"description": _DESCRIPTIONS[int(status)],
                                                "content": {"application/json": {"schema": ref}}})
    return schema


def _webhook_replies(replies: dict[str, Any], ref: dict[str, str]) -> None:
    """What a webhook may answer: the PBX's own format on success, the SPEC-fixed JSON
    (or a SOAP fault, for a SOAP-speaking PBX) when refused, the catalogue otherwise."""
    text = {"schema": {"type": "string"}}
    pbx = {"application/json": {"schema": {}}, "text/plain": text, "text/xml": text,
           "application/soap+xml": text}
    refusal = {"application/json": {"schema": {"$ref": "#/components/schemas/WebhookRefusal"}},
               "text/xml": text, "application/soap+xml": text}
    replies.clear()
    replies["200"] = {"description": "The PBX's own reply format", "content": pbx}
    for status, what in (("400", "Unreadable or invalid webhook"),
                         ("401", "Wrong credentials, signature or a replayed signature")):
        replies[status] = {"description": what, "content": refusal}
    replies["404"] = {"description": "Unknown or unconfigured provider, or a wrong path "
                      "secret", "content": {"application/json": refusal["application/json"]}}
    replies["500"] = {"description": "SOAP 1.1 fault for an envelope the service cannot "
                      "act on", "content": {"text/xml": text}}
    for status in ("429", "503"):
        replies[status] = {"description": _DESCRIPTIONS[int(status)],
                           "content": {"application/json": {"schema": ref}}}
