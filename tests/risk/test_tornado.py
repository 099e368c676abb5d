"""Tests of igemo_fin.risk.tornado: one driver at a time through the Monte Carlo's kernel."""

from __future__ import annotations

import pytest

from igemo_fin.risk.tornado import TORNADO_COLUMNS, tornado

from risk_portfolios import A_PV_COSTS, A_PV_SALES, V, df, risk, with_a


class TestTornado:
    def test_drivers(self):
        pf, ev = with_a([risk("A", "eenmalig_eur", 20, 10_000, 50_000, 80_000, name="sanering")])
        frame = tornado(pf, ev, "A")
        assert list(frame.columns) == list(TORNADO_COLUMNS)
        t = frame.set_index("driver")
        base = ev.figures["npv_forward"].iloc[0]
        assert frame["npv_base"].tolist() == pytest.approx([base] * len(frame))
        assert t.loc["kosten", "npv_low"] == pytest.approx(base - 0.1 * A_PV_COSTS)
        assert t.loc["kosten", "npv_high"] == pytest.approx(base + 0.1 * A_PV_COSTS)
        assert t.loc["kosten", "low_setting"] == "kosten +10 %"
        assert t.loc["verkoopprijs", "swing"] == pytest.approx(0.2 * A_PV_SALES)
        assert t.loc["vertraging", "low_setting"] == "2 jaar later"
        assert t.loc["risico_1", "npv_low"] == pytest.approx(base - 80_000 * df(V))
        assert t.loc["risico_1", "label"] == "Risico: sanering"
        assert frame["swing"].is_monotonic_decreasing

    def test_unknown_project(self):
        pf, ev = with_a()
        with pytest.raises(KeyError):
            tornado(pf, ev, "NOPE")
