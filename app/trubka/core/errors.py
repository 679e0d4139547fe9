"""One catalogue of the errors that cross a boundary, with their codes and texts.

The relay turns them into HTTP replies; the desktop shows `user_text` to people. Texts
that a PBX's own integration prescribes (SPEC §2.1, F3) are quoted verbatim here.
"""

from __future__ import annotations


class TrubkaError(Exception):
    """Base of the catalogue. `code` is stable and machine-readable."""

    code = "error"
    http_status = 500

    def __init__(self, message: str = "") -> None:
        super().__init__(message or self.code)
        self.message = message or self.code


class InvalidToken(TrubkaError):
    """A webhook or API request carried a wrong or missing secret."""

    code = "invalid_token"
    http_status = 401

    def __init__(self, message: str = "Invalid token") -> None:
        super().__init__(message)


class InvalidParameters(TrubkaError):
    """A webhook body the relay cannot read: malformed, wrong types, unknown command."""

    code = "invalid_parameters"
    http_status = 400

    def __init__(self, detail: str = "") -> None:
        super().__init__("Invalid parameters")
        self.detail = detail


class NotConfigured(TrubkaError):
    """The operation needs a provider setting the administrator has not made."""

    code = "not_configured"
    http_status = 409


class NotSupported(TrubkaError):
    """The configured PBX offers no such operation (e.g. DND)."""

    code = "not_supported"
    http_status = 404


class ProviderError(TrubkaError):
    """The PBX's API refused or failed a request; `message` is its own text."""

    code = "provider_error"
    http_status = 502

    def __init__(self, provider: str, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.provider = provider
        self.status = status


# The texts people see when a provider refuses a call (SPEC F3). Prostye Zvonki's wording
# is the vendor's own; the others follow it.
_PROVIDER_ERROR_TEXT = {
    "ru": {
        "prostiezvonki": "При выполнении запроса к Простым звонкам произошла ошибка: {error}. "
        "Пожалуйста, обратитесь в поддержку Простых звонков.",
        "_": "При выполнении запроса к АТС ({provider}) произошла ошибка: {error}. "
        "Пожалуйста, обратитесь в поддержку вашей АТС.",
    },
    "en": {
        "prostiezvonki": "The request to Prostye Zvonki failed: {error}. "
        "Please contact Prostye Zvonki support.",
        "_": "The request to the PBX ({provider}) failed: {error}. "
        "Please contact your PBX's support.",
    },
}

PROVIDER_TITLES = {
    "prostiezvonki": "Простые звонки",
    "crm-api": "Облачная АТС",
    "zadarma": "Zadarma",
    "beeline": "Билайн",
    "mobilon": "Mobilon",
}

PROVIDER_TITLES_EN = {
    "prostiezvonki": "Prostye Zvonki",
    "crm-api": "cloud PBX",
    "zadarma": "Zadarma",
    "beeline": "Beeline",
    "mobilon": "Mobilon",
}


def provider_error_text(provider: str, error: str, language: str = "ru") -> str:
    """The sentence a person sees for a provider's refusal, their PBX's text inside."""
    table = _PROVIDER_ERROR_TEXT.get(language, _PROVIDER_ERROR_TEXT["en"])
    template = table.get(provider, table["_"])
    titles = PROVIDER_TITLES if language == "ru" else PROVIDER_TITLES_EN
    title = titles.get(provider, provider)
    return template.format(error=error.rstrip(". "), provider=title)
