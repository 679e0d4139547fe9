"""One catalogue of the errors that cross a boundary, with their codes and texts.

Every error reply of the relay is built from one of these, in one shape:
`{"error": <text>, "code": <stable snake_case code>, ...extra}` with the class's HTTP
status (ntfy's errors.go). Clients dispatch on `code`, never on the status or the text.
The two webhook refusals whose bodies SPEC §2.1/§7 fixes (`{"error": "Invalid token"}`,
`{"error": "Invalid parameters"}`) are rendered by the webhook route exactly so.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar


class TrubkaError(Exception):
    """Base of the catalogue. `code` is stable and machine-readable."""

    code: ClassVar[str] = "error"
    http_status: ClassVar[int] = 500
    default_text: ClassVar[str] = "Internal error"

    def __init__(self, message: str = "", **extra: Any) -> None:
        self.message = message or self.default_text
        super().__init__(self.message)
        self.extra: dict[str, Any] = extra

    def body(self) -> dict[str, Any]:
        """The JSON reply: text, code and whatever the error adds."""
        return {"error": self.message, "code": self.code, **self.extra}

    def headers(self) -> dict[str, str]:
        return {}


# -- 4xx: the request -------------------------------------------------------------------

class InvalidParameters(TrubkaError):
    """A webhook body the relay cannot read: malformed, wrong types, unknown command.
    `detail` goes to the log, never to the sender."""

    code = "invalid_parameters"
    http_status = 400
    default_text = "Invalid parameters"

    def __init__(self, detail: str = "") -> None:
        super().__init__()
        self.detail = detail


class InvalidRequest(TrubkaError):
    """A REST request the relay refuses as written: a bad field, query or path value.
    `detail` lists `{"field", "message"}` for each problem."""

    code = "invalid_request"
    http_status = 422
    default_text = "Invalid request"

    def __init__(self, message: str = "", detail: list[dict[str, str]] | None = None,
                 **extra: Any) -> None:
        super().__init__(message, detail=detail or [], **extra)

    @classmethod
    def fields(cls, problems: Mapping[str, str]) -> InvalidRequest:
        detail = [{"field": k, "message": v} for k, v in problems.items()]
        return cls("; ".join(f"{d['field']}: {d['message']}" for d in detail), detail)


class InvalidNumber(InvalidRequest):
    code = "invalid_number"
    default_text = "Not a phone number"


class InvalidToken(TrubkaError):
    """A webhook carried a wrong or missing secret (provider-specific authentication)."""

    code = "invalid_token"
    http_status = 401
    default_text = "Invalid token"


class Unauthorized(TrubkaError):
    """The API or the events socket got no valid bearer token, session or ticket."""

    code = "unauthorized"
    http_status = 401
    default_text = "Invalid or revoked token"

    def headers(self) -> dict[str, str]:
        return {"WWW-Authenticate": "Bearer"}


class Forbidden(TrubkaError):
    """Authenticated, but not allowed (another user's extension, an admin endpoint)."""

    code = "forbidden"
    http_status = 403
    default_text = "Not allowed"


class CsrfFailed(Forbidden):
    """A write authenticated by a browser's session cookie without its CSRF token (the
    `X-CSRF-Token` header the session's page got when it signed in)."""

    code = "csrf_failed"
    default_text = "Missing or wrong CSRF token (send the X-CSRF-Token header)"


class NotFound(TrubkaError):
    code = "not_found"
    http_status = 404
    default_text = "Not found"


class UnknownProvider(NotFound):
    code = "unknown_provider"
    default_text = "Unknown provider"


class ProviderNotConfigured(NotFound):
    """A webhook for a PBX the administrator has not set up."""

    code = "provider_not_configured"
    default_text = "Provider not configured"


class Conflict(TrubkaError):
    code = "conflict"
    http_status = 409
    default_text = "Conflict"


class NotConfigured(Conflict):
    """The operation needs a provider setting the administrator has not made."""

    code = "not_configured"
    default_text = "Not configured"


class NotSupported(Conflict):
    """The configured PBX offers no such operation (e.g. DND)."""

    code = "not_supported"
    default_text = "Not supported by this PBX"


class Gone(TrubkaError):
    """Something that existed and no longer may be used (a used or expired code)."""

    code = "gone"
    http_status = 410
    default_text = "No longer valid"


class EnrollmentUnknown(NotFound):
    code = "enrollment_unknown"
    default_text = "This enrolment link is not valid"


class EnrollmentUsed(Gone):
    code = "enrollment_used"
    default_text = "This enrolment link has been used already"


class EnrollmentExpired(Gone):
    code = "enrollment_expired"
    default_text = "This enrolment link has expired"


class BodyTooLarge(TrubkaError):
    code = "body_too_large"
    http_status = 413
    default_text = "Request body too large"


class RateLimited(TrubkaError):
    """Too many failed attempts from one address; `retry_after` seconds to wait."""

    code = "rate_limited"
    http_status = 429
    default_text = "Too many attempts; try again later"

    def __init__(self, retry_after: int, message: str = "") -> None:
        super().__init__(message, retry_after=retry_after)
        self.retry_after = retry_after

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)}


# -- 5xx: the relay or the PBX -----------------------------------------------------------

class ProviderError(TrubkaError):
    """The PBX's API refused or failed a request; `message` is its own text."""

    code = "provider_error"
    http_status = 502
    default_text = "The PBX refused the request"

    def __init__(self, provider: str, message: str, status: int | None = None) -> None:
        super().__init__(message, provider=provider)
        self.provider = provider
        self.status = status


class Unavailable(TrubkaError):
    """Something the relay depends on failed (the database); retrying later may work."""

    code = "unavailable"
    http_status = 503
    default_text = "Temporarily unavailable, retry later"


CATALOGUE: tuple[type[TrubkaError], ...] = (
    InvalidParameters, InvalidRequest, InvalidNumber, InvalidToken, Unauthorized, Forbidden,
    CsrfFailed,
    NotFound, UnknownProvider, ProviderNotConfigured, Conflict, NotConfigured, NotSupported,
    Gone, EnrollmentUnknown, EnrollmentUsed, EnrollmentExpired, BodyTooLarge, RateLimited,
    ProviderError, Unavailable,
)


# -- what people read when a PBX refuses a call (SPEC F3) -----------------------------------

GENERIC_PROVIDER_ERROR = {
    "ru": "При выполнении запроса к АТС ({provider}) произошла ошибка: {error}. "
          "Пожалуйста, обратитесь в поддержку вашей АТС.",
    "en": "The request to the PBX ({provider}) failed: {error}. "
          "Please contact your PBX's support.",
}
LANGUAGES = ("ru", "en")


def provider_error_text(error: str, language: str, title: str,
                        template: str | None = None) -> str:
    """The sentence a person sees for a PBX's refusal, its own text inside. A PBX whose
    integration prescribes its sentence (Prostye Zvonki) passes it as `template`."""
    if template is None:
        template = GENERIC_PROVIDER_ERROR.get(language, GENERIC_PROVIDER_ERROR["en"])
    return template.format(error=error.rstrip(". "), provider=title)
