"""Provider secrets from the environment: per-provider names, the old shared ones still
read with a warning (they applied to every PBX)."""

from __future__ import annotations

import logging

import pytest

from trubka.providers import SPECS


def test_per_provider_names_win_and_old_names_warn(caplog: pytest.LogCaptureFixture) -> None:
    """TRUBKA_RELAY_<PROVIDER>_<OPTION> is read first; TRUBKA_RELAY_<OPTION> still works,
    logged as deprecated, without the value."""
    spec = SPECS["crm-api"]
    option = next(o for o in spec.options if o.name == "api_token")
    assert spec.env_name(option) == "TRUBKA_RELAY_CRM_API_API_TOKEN"
    both = {"TRUBKA_RELAY_CRM_API_API_TOKEN": "new", "TRUBKA_RELAY_API_TOKEN": "old"}
    with caplog.at_level(logging.WARNING):
        assert spec.env_value(option, both) == "new"
        assert not caplog.records
        assert spec.env_value(option, {"TRUBKA_RELAY_API_TOKEN": "old-secret"}) == "old-secret"
    assert "TRUBKA_RELAY_API_TOKEN is deprecated" in caplog.text
    assert "old-secret" not in caplog.text
    assert spec.env_value(option, {}) == ""
