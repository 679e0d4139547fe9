"""What people read when something fails: one sentence saying what happened and what
to do. Provider refusals use the wording SPEC F3 prescribes, verbatim (core.errors)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from trubka.core.errors import provider_error_text
from trubka.desktop.api import ApiError

if TYPE_CHECKING:
    from trubka.desktop.services import Notifier


# What people read for each ApiError kind ({detail}: the error's own message).
TEXTS = {
    "dns": QT_TRANSLATE_NOOP(
        "Errors", "The relay's name could not be resolved (DNS). Check the address."
    ),
    "refused": QT_TRANSLATE_NOOP(
        "Errors", "The relay refused the connection. Is it running, and is the port right?"
    ),
    "tls": QT_TRANSLATE_NOOP(
        "Errors",
        "The relay's TLS certificate is not trusted: {detail}. Add your CA file in Settings.",
    ),
    "timeout": QT_TRANSLATE_NOOP(
        "Errors", "The relay did not answer in time. Check the network."
    ),
    "network": QT_TRANSLATE_NOOP("Errors", "No connection to the relay: {detail}"),
    "unauthorized": QT_TRANSLATE_NOOP(
        "Errors",
        "Signed out: the relay does not accept this token. Enter a new one in Settings.",
    ),
    "wrong_ext": QT_TRANSLATE_NOOP(
        "Errors", "This token belongs to extension {detail}, not the one in Settings."
    ),
    "no_relay": QT_TRANSLATE_NOOP(
        "Errors", "Trubka is not set up yet: enter the relay address and token in Settings."
    ),
    "not_configured": QT_TRANSLATE_NOOP(
        "Errors", "The relay has no PBX configured yet. Ask your administrator."
    ),
    "invalid": QT_TRANSLATE_NOOP("Errors", "The relay refused the request: {detail}"),
    "not_found": QT_TRANSLATE_NOOP("Errors", "Not found: {detail}"),
    "unsupported": QT_TRANSLATE_NOOP("Errors", "Your PBX does not support this."),
    "forbidden": QT_TRANSLATE_NOOP(
        "Errors", "The relay does not allow this: {detail}"),
    "conflict": QT_TRANSLATE_NOOP("Errors", "The relay refused the request: {detail}"),
    "gone": QT_TRANSLATE_NOOP("Errors", "No longer valid: {detail}"),
    "too_large": QT_TRANSLATE_NOOP("Errors", "Too much data for the relay at once."),
    "rate_limited": QT_TRANSLATE_NOOP(
        "Errors", "Too many attempts. Wait a minute and try again."),
    "unavailable": QT_TRANSLATE_NOOP(
        "Errors", "The relay is temporarily unavailable. Try again in a minute."),
    "enrollment_used": QT_TRANSLATE_NOOP(
        "Errors", "This link has already been used — ask your administrator for a new one."),
    "enrollment_expired": QT_TRANSLATE_NOOP(
        "Errors", "This link has expired — ask your administrator for a new one."),
    "enrollment_unknown": QT_TRANSLATE_NOOP(
        "Errors", "The relay does not know this link — check that it was copied whole, "
        "or ask your administrator for a new one."),
    "server": QT_TRANSLATE_NOOP("Errors", "The relay failed: {detail}"),
    "protocol": QT_TRANSLATE_NOOP(
        "Errors", "The relay sent something this version cannot read: {detail}"
    ),
}
FALLBACK = QT_TRANSLATE_NOOP("Errors", "Error: {detail}")


def error_text(error: ApiError, language: str = "ru") -> str:
    if error.kind == "provider":
        # The relay words a PBX's refusal as that PBX's integration prescribes (SPEC F3).
        return error.user_text.get(language) or provider_error_text(
            error.message, language, error.provider)
    text = QCoreApplication.translate("Errors", str(TEXTS.get(error.kind, FALLBACK)))
    return text.format(detail=error.message)


def failure_reporter(notifier: Notifier,
                     language: Callable[[], str]) -> Callable[[ApiError], None]:
    """The usual reaction to a failed background request: say what happened, except for
    "signed out", which the tray and its own notice already say."""
    def report(error: ApiError) -> None:
        if error.kind != "unauthorized":
            notifier.error(QCoreApplication.translate("TrubkaApp", "Trubka"),
                           error_text(error, language()))
    return report
