"""One spec per PBX, and no PBX known anywhere else: a new PBX is one module plus its
test (issue: one seam per concern)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from trubka.core.errors import LANGUAGES
from trubka.providers import SPECS
from trubka.providers.sim import CallSpec, Step

APP = Path(__file__).resolve().parents[2] / "app" / "trubka"


def test_every_spec_is_complete() -> None:
    """Each spec names itself, titles itself in every language, renders the simulator's
    steps, and has a demo set-up using only its own options."""
    for name, spec in SPECS.items():
        assert spec.name == name
        assert set(spec.titles) >= set(LANGUAGES), name
        options = {o.name for o in spec.options}
        setup = spec.demo("http://127.0.0.1:1/api", "http://127.0.0.1:2")
        assert set(setup.options) <= options, name
        assert spec.sim_token(setup.options) == setup.sim_token, name
        for kind in ("ring", "answer", "end", "lookup"):
            for request in spec.simulate(Step(kind, status="success"), CallSpec(), "t", 0.0):
                assert request.path.startswith(f"/hooks/{name}"), (name, request.path)
        assert all(spec.error_texts("boom")[lang] for lang in LANGUAGES)


def _code_files() -> list[Path]:
    return sorted(p for p in APP.rglob("*.py") if "migrations" not in p.parts)


@pytest.mark.parametrize("name", sorted(SPECS))
def test_a_provider_is_named_only_in_its_own_module(name: str) -> None:
    """Outside providers/<module>.py no product code spells a provider's name, so CLI
    choices, the simulator, the demo and error texts can only come from the specs."""
    module = SPECS[name].cls.__module__.rsplit(".", 1)[1]
    pattern = re.compile(rf"""["'/]{re.escape(name)}["'/]""")
    offenders = [str(p.relative_to(APP)) for p in _code_files()
                 if p.name != f"{module}.py" and pattern.search(p.read_text(encoding="utf-8"))]
    assert not offenders, f"{name!r} appears in {offenders}"


def test_the_scan_would_notice() -> None:
    """The scan above matches a name as code spells it."""
    pattern = re.compile(r"""["'/]zadarma["'/]""")
    assert pattern.search('default="zadarma"') and pattern.search("/hooks/zadarma/x")
    assert not pattern.search("zadarma_format")
