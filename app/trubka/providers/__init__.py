"""One module per PBX, all the same shape (see base.py); this table names them."""

from __future__ import annotations

from trubka.providers.base import Provider
from trubka.providers.beeline import Beeline
from trubka.providers.crm_api import CrmApi
from trubka.providers.mobilon import Mobilon
from trubka.providers.prostiezvonki import ProstieZvonki
from trubka.providers.zadarma import Zadarma

PROVIDERS: dict[str, type[Provider]] = {
    cls.name: cls for cls in (ProstieZvonki, CrmApi, Zadarma, Beeline, Mobilon)
}


def provider_class(name: str) -> type[Provider]:
    try:
        return PROVIDERS[name]
    except KeyError:
        known = ", ".join(sorted(PROVIDERS))
        raise KeyError(f"unknown provider {name!r} (known: {known})") from None
