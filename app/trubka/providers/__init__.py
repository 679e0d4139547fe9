"""One module per PBX, all the same shape (see base.py); each exports a `SPEC`
(spec.py) and this table lists them. Nothing else in Trubka names a PBX."""

from __future__ import annotations

from trubka.providers import beeline, crm_api, mobilon, prostiezvonki, zadarma
from trubka.providers.spec import ProviderSpec

SPECS: dict[str, ProviderSpec] = {
    spec.name: spec for spec in (prostiezvonki.SPEC, crm_api.SPEC, zadarma.SPEC, beeline.SPEC,
                                 mobilon.SPEC)
}


def spec(name: str) -> ProviderSpec:
    """The spec of provider `name`; KeyError naming the known ones otherwise."""
    try:
        return SPECS[name]
    except KeyError:
        known = ", ".join(sorted(SPECS))
        raise KeyError(f"unknown provider {name!r} (known: {known})") from None
