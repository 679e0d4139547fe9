"""One spec per CRM, and no CRM named anywhere else: a new CRM is one module plus its
test file (the providers' rule, tests/providers/test_specs.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from trubka.core.errors import LANGUAGES
from trubka.relay.crm import SPECS
from trubka.relay.crm.base import parse_map

ROOT = Path(__file__).resolve().parents[3]
APP = ROOT / "app" / "trubka"


def test_every_spec_is_complete() -> None:
    """Each spec names itself, titles itself in every language, has a set-up page and a
    test file, and is either asked per number or indexed; its option flags are unique."""
    for name, spec in SPECS.items():
        assert spec.name == name
        assert set(spec.titles) >= set(LANGUAGES), name
        assert (ROOT / spec.guide).is_file(), spec.guide
        module = spec.cls.__module__.rsplit(".", 1)[1]
        assert (Path(__file__).parent / f"test_{module}.py").is_file(), module
        assert spec.capabilities.lookup != spec.capabilities.index, name
        flags = [o.flag for o in spec.options]
        assert len(flags) == len(set(flags)), name
        assert bool(spec.writes) == spec.capabilities.write_calls, name
        assert spec.env_name(spec.options[0]).startswith("TRUBKA_RELAY_CRM_"), name


@pytest.mark.parametrize("name", sorted(SPECS))
def test_a_crm_is_named_only_in_its_own_module(name: str) -> None:
    """Outside relay/crm/<module>.py no product code spells a connector's name, so the
    CLI's choices, docs checks and statuses can only come from the specs."""
    module = SPECS[name].cls.__module__.rsplit(".", 1)[1]
    pattern = re.compile(rf"""["'/]{re.escape(name)}["'/]""")
    offenders = [str(p.relative_to(APP)) for p in sorted(APP.rglob("*.py"))
                 if "migrations" not in p.parts and p.name != f"{module}.py"
                 and pattern.search(p.read_text(encoding="utf-8"))]
    assert not offenders, f"{name!r} appears in {offenders}"


def test_secrets_come_from_the_environment(tmp_path: Path) -> None:
    """`TRUBKA_RELAY_CRM_<NAME>_<OPTION>`: the documented variable names."""
    assert SPECS["amocrm"].env_name(SPECS["amocrm"].options[1]) == "TRUBKA_RELAY_CRM_AMOCRM_TOKEN"
    onec = SPECS["1c-odata"]
    password = next(o for o in onec.options if o.name == "password")
    assert onec.env_name(password) == "TRUBKA_RELAY_CRM_1C_ODATA_PASSWORD"
    assert onec.env_value(password, {"TRUBKA_RELAY_CRM_1C_ODATA_PASSWORD": "p"}) == "p"


def test_map_option() -> None:
    """`--map "5123=100, 5124=101"`; anything else is refused with the item."""
    assert parse_map("5123=100, 5124=101") == {"5123": "100", "5124": "101"}
    with pytest.raises(ValueError, match="5125"):
        parse_map("5123=100,5125")
