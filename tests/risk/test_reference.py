"""Tests of igemo_fin.risk.reference: the P50 and P80 of the reference class applied to the forecast."""

from __future__ import annotations

import pandas as pd
import pytest

from igemo_fin.postcalc.calculation import reference_class
from igemo_fin.risk.reference import UPLIFT_COLUMNS, reference_uplift

from risk_portfolios import A_PV_COSTS, A_PV_OTHER, A_PV_SALES, R, with_a


class TestReferenceUplift:
    def test_p50_and_p80_applied(self):
        members = pd.DataFrame({"project_code": ["X", "Y", "Z"], "type": "bedrijventerrein",
                                "cost_ratio": [1.0, 1.1, 1.3], "revenue_ratio": [0.9, 1.0, 1.05],
                                "delay_years": [0.0, 1.0, 2.0]})
        pf, ev = with_a()
        frame = reference_uplift(pf, ev, reference_class(members))
        assert list(frame.columns) == list(UPLIFT_COLUMNS)
        f = frame.set_index("level")
        # P50: costs x 1.1, revenues x 1.0, one year later
        p50 = -1.1 * A_PV_COSTS + (A_PV_SALES + A_PV_OTHER) / (1 + R)
        assert f.loc["p50", "npv_forward"] == pytest.approx(p50, rel=1e-12)
        # P80: costs x 1.22, revenues x 0.94 (the 20th percentile), 1.6 years later
        v = 1 / (1 + R)
        p80 = -1.22 * A_PV_COSTS + 0.94 * (A_PV_SALES + A_PV_OTHER) * v * (0.4 + 0.6 * v)
        assert f.loc["p80", "npv_forward"] == pytest.approx(p80, rel=1e-12)
        assert f.loc["p80", "basis"] == "type" and f.loc["p80", "class_size"] == 3
        assert f.loc["p80", "result_nominal"] < f.loc["p50", "result_nominal"] < f.loc["p50", "result_base"]
