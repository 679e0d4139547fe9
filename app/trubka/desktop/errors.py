"""What people read when something fails: one sentence saying what happened and what
to do. Provider refusals use the wording SPEC F3 prescribes, verbatim (core.errors)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from trubka.core.errors import provider_error_text
from trubka.desktop.api import ApiError


def error_text(error: ApiError, language: str = "ru") -> str:
    if error.kind == "provider":
        # The relay words a PBX's refusal as that PBX's integration prescribes (SPEC F3).
        return error.user_text.get(language) or provider_error_text(
            error.message, language, error.provider)
    texts = {
        "dns": QCoreApplication.translate(
            "Errors", "The relay's name could not be resolved (DNS). Check the address."
        ),
        "refused": QCoreApplication.translate(
            "Errors", "The relay refused the connection. Is it running, and is the port right?"
        ),
        "tls": QCoreApplication.translate(
            "Errors",
            "The relay's TLS certificate is not trusted: {detail}. Add your CA file in Settings.",
        ),
        "timeout": QCoreApplication.translate(
            "Errors", "The relay did not answer in time. Check the network."
        ),
        "network": QCoreApplication.translate("Errors", "No connection to the relay: {detail}"),
        "unauthorized": QCoreApplication.translate(
            "Errors",
            "Signed out: the relay does not accept this token. Enter a new one in Settings.",
        ),
        "wrong_ext": QCoreApplication.translate(
            "Errors", "This token belongs to extension {detail}, not the one in Settings."
        ),
        "no_relay": QCoreApplication.translate(
            "Errors", "Trubka is not set up yet: enter the relay address and token in Settings."
        ),
        "not_configured": QCoreApplication.translate(
            "Errors", "The relay has no PBX configured yet. Ask your administrator."
        ),
        "invalid": QCoreApplication.translate("Errors", "The relay refused the request: {detail}"),
        "not_found": QCoreApplication.translate("Errors", "Not found: {detail}"),
        "unsupported": QCoreApplication.translate("Errors", "Your PBX does not support this."),
        "server": QCoreApplication.translate("Errors", "The relay failed: {detail}"),
        "protocol": QCoreApplication.translate(
            "Errors", "The relay sent something this version cannot read: {detail}"
        ),
    }
    return texts.get(error.kind, QCoreApplication.translate("Errors", "Error: {detail}")).format(
        detail=error.message
    )
