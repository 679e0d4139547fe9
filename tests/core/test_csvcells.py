"""Issue 10 item 14: the one CSV cell neutraliser (OWASP CSV injection) and its inverse."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trubka.core.csvcells import TRIGGERS, neutralise, restore


@pytest.mark.parametrize("cell", ["=1+2", "+79991234567", "-2", "@SUM(A1)", "\tx", "\rx",
                                  "=HYPERLINK(\"http://x\",\"y\")", "'=already"])
def test_formula_triggers_are_prefixed(cell: str) -> None:
    """Every cell a spreadsheet would evaluate starts with `'` once written."""
    assert neutralise(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["Иванов", "", "1+2", "a=b", " =x", "ООО «Ромашка»"])
def test_other_cells_are_untouched(cell: str) -> None:
    """Text that starts with anything else is written as it is."""
    assert neutralise(cell) == cell == restore(cell)


@given(st.text())
def test_restore_undoes_neutralise_for_any_text(cell: str) -> None:
    """The round trip is lossless, a leading apostrophe included."""
    written = neutralise(cell)
    assert restore(written) == cell
    assert not written.startswith(TRIGGERS)
