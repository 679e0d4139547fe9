"""What people read when something fails: one sentence saying what happened and what
to do. Provider refusals use the wording SPEC F3 prescribes, verbatim (core.errors)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from trubka.core.errors import provider_error_text
from trubka.desktop.api import ApiError


def _t(text: str) -> str:
    return QCoreApplication.translate("Errors", text)


def error_text(error: ApiError, language: str = "ru") -> str:
    if error.kind == "provider":
        return provider_error_text(error.provider, error.message, language)
    texts = {
        "dns": _t("The relay's name could not be resolved (DNS). Check the address."),
        "refused": _t("The relay refused the connection. Is it running, and is the port right?"),
        "tls": _t("The relay's TLS certificate is not trusted: {detail}. "
                  "Add your CA file in Settings."),
        "timeout": _t("The relay did not answer in time. Check the network."),
        "network": _t("No connection to the relay: {detail}"),
        "unauthorized": _t("Signed out: the relay does not accept this token. "
                           "Enter a new one in Settings."),
        "wrong_ext": _t("This token belongs to extension {detail}, not the one in Settings."),
        "not_configured": _t("The relay has no PBX configured yet. Ask your administrator."),
        "invalid": _t("The relay refused the request: {detail}"),
        "not_found": _t("Not found: {detail}"),
        "unsupported": _t("Your PBX does not support this."),
        "server": _t("The relay failed: {detail}"),
        "protocol": _t("The relay sent something this version cannot read: {detail}"),
    }
    return texts.get(error.kind, _t("Error: {detail}")).format(detail=error.message)
