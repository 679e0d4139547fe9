"""One module per CRM, all the same shape (see base.py); each exports a `SPEC` and this
table lists them. Nothing else in Trubka names a CRM (tests/relay/crm/test_specs.py)."""

from __future__ import annotations

from trubka.relay.crm import amocrm, bitrix24, http_json, onec_odata
from trubka.relay.crm.base import ConnectorSpec

SPECS: dict[str, ConnectorSpec] = {
    spec.name: spec for spec in (onec_odata.SPEC, amocrm.SPEC, bitrix24.SPEC, http_json.SPEC)
}
