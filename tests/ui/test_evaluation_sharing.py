"""One evaluation per basis for every page: the Monte Carlo of the official basis runs once, whichever
page a session opens first and however many it opens after."""

from __future__ import annotations

import re

import pytest

from ui import state

from conftest import DEMO_WORKBOOK, ROOT
from apptest_support import assert_clean, open_page

#: The pages the demo user (bestuur, financien, beheer) may open, in navigation order.
PAGES = [p for p in re.findall(r'st\.Page\("(pages/\w+\.py)"', (ROOT / "dashboard.py").read_text(encoding="utf-8"))
         if p != "pages/mijn_gemeente.py"]


@pytest.fixture
def evaluated(monkeypatch, tmp_path):
    """The basis of every evaluation the app computes (a cache miss of :func:`ui.state.evaluate_shared`)."""
    monkeypatch.setenv("IGEMO_WORKBOOK", str(DEMO_WORKBOOK))
    monkeypatch.setenv("IGEMO_DEMO", "1")
    monkeypatch.setenv("IGEMO_DB", str(tmp_path / "igemo.db"))
    state.evaluate_shared.clear()
    seen = []
    evaluate = state.evaluate

    def counting(basis):
        seen.append((basis.valuation_year, state.thresholds_key(basis.thresholds), basis.threshold_source,
                     basis.rate_shift_bp, basis.simulation, basis.data))
        return evaluate(basis)

    monkeypatch.setattr(state, "evaluate", counting)
    yield seen
    state.evaluate_shared.clear()


def test_every_page_shares_the_evaluation_of_its_basis(evaluated):
    at = open_page()
    assert_clean(at)
    official = evaluated[0]
    assert official[4].enabled, "the official basis runs the default simulation"
    for page in PAGES[1:] + PAGES[:1]:
        at.switch_page(page).run()
        assert_clean(at)
    assert evaluated.count(official) == 1
    assert len(evaluated) == len(set(evaluated)), "a basis was evaluated twice"


def test_a_second_session_computes_nothing(evaluated):
    for page in ("pages/overzicht.py", "pages/risico.py", "pages/project.py"):
        assert_clean(open_page(page))
    before = len(evaluated)
    for page in ("pages/overzicht.py", "pages/risico.py", "pages/project.py"):
        assert_clean(open_page(page))
    assert len(evaluated) == before
