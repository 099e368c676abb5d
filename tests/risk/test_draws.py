"""Tests of igemo_fin.risk.draws: the triangular impact and the seeded random streams."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from igemo_fin.risk.draws import EFFECT_KINDS, DrawCache, draw_effects, draw_rate_shift, draw_reference, triangular_ppf

from risk_portfolios import A_FLOWS, MIXED_RISKS, make_portfolio, project, risk


class TestTriangularPpf:
    @pytest.mark.parametrize("low, mode, high", [(0, 0, 10), (0, 5, 25), (2, 8, 8), (-5, 0, 5), (1, 1, 1)])
    def test_sample_mean_and_variance(self, low, mode, high):
        # Mean (a + b + c) / 3, variance (a^2 + b^2 + c^2 - ab - ac - bc) / 18.
        u = np.random.default_rng(1).random(200_000)
        x = triangular_ppf(u, low, mode, high)
        a, c, b = low, mode, high
        mean = (a + b + c) / 3
        var = (a * a + b * b + c * c - a * b - a * c - b * c) / 18
        assert x.mean() == pytest.approx(mean, abs=0.01 * max(1, b - a))
        assert x.var() == pytest.approx(var, rel=0.02, abs=1e-12)
        assert x.min() >= a and x.max() <= b

    def test_same_distribution_as_numpy(self):
        # Quantiles against numpy's own triangular sampler.
        u = np.random.default_rng(2).random(100_000)
        ours = np.quantile(triangular_ppf(u, 0, 5, 25), [0.1, 0.5, 0.9])
        theirs = np.quantile(np.random.default_rng(3).triangular(0, 5, 25, 100_000), [0.1, 0.5, 0.9])
        np.testing.assert_allclose(ours, theirs, rtol=0.02)

    def test_refuses_unordered(self):
        with pytest.raises(ValueError):
            triangular_ppf(0.5, 5, 1, 10)


def register(*risks):
    return make_portfolio([project("A"), project("B")], A_FLOWS, risks).risks


class TestDrawEffects:
    def test_every_kind_is_there_and_a_fixed_impact_happens_at_its_chance(self):
        # kans 25 %, impact fixed at 10: a quarter of the iterations at 10, the rest at 0.
        draws = draw_effects(register(risk("A", "kosten_pct", 25, 10)), ["A", "B"], 20_000, 1)
        assert tuple(draws) == EFFECT_KINDS
        cost = draws["kosten_pct"]
        assert set(np.unique(cost[:, 0]).tolist()) == {0.0, 10.0}
        assert abs((cost[:, 0] > 0).mean() - 0.25) < 0.015
        assert not cost[:, 1].any() and not draws["prijs_pct"].any()

    def test_one_risk_does_not_depend_on_the_other_projects(self):
        # The stream of a risk is its row in the register: dropping project B from the columns
        # (its risk is then skipped) leaves A's draws as they were.
        risks = register(risk("B", "prijs_pct", 50, 0, 5, 10), risk("A", "kosten_pct", 40, 0, 5, 30))
        both = draw_effects(risks, ["A", "B"], 500, 7)
        alone = draw_effects(risks, ["A"], 500, 7)
        assert np.array_equal(both["kosten_pct"][:, 0], alone["kosten_pct"][:, 0])
        assert both["prijs_pct"][:, 1].any() and not alone["prijs_pct"].any()

    def test_a_longer_run_extends_a_shorter_one(self):
        risks = register(*MIXED_RISKS)
        short = draw_effects(risks, ["A"], 100, 9)
        long = draw_effects(risks, ["A"], 1_000, 9)
        for kind in EFFECT_KINDS:
            assert np.array_equal(short[kind], long[kind][:100])

    def test_risks_of_one_kind_add_up(self):
        draws = draw_effects(register(risk("A", "eenmalig_eur", 100, 4), risk("A", "eenmalig_eur", 100, 6)),
                             ["A"], 10, 0)
        assert draws["eenmalig_eur"][:, 0].tolist() == [10.0] * 10

    def test_equals_the_impact_drawn_for_every_iteration(self):
        # Only the iterations where a risk happens get its inverse CDF: the sums are those of the plain
        # formula that draws an impact for every iteration and adds 0 where the risk does not happen.
        risks = register(*MIXED_RISKS, risk("B", "kosten_pct", 60, 0, 2, 9), risk("A", "kosten_pct", 50, 1, 3, 4))
        draws = draw_effects(risks, ["A", "B"], 2_000, 11)
        plain = {kind: np.zeros((2_000, 2)) for kind in EFFECT_KINDS}
        for row, r in enumerate(risks.itertuples(index=False)):
            u = np.random.default_rng(np.random.SeedSequence(11, spawn_key=(0, row))).random((2_000, 2))
            impact = triangular_ppf(u[:, 1], r.min, r.waarschijnlijk, r.max)
            plain[r.soort][:, "AB".index(r.project_code)] += np.where(u[:, 0] < r.kans_pct / 100, impact, 0.0)
        for kind in EFFECT_KINDS:
            assert np.array_equal(draws[kind], plain[kind])

    def test_a_risk_that_never_happens_is_still_checked(self):
        risks = register(risk("A", "kosten_pct", 0, 5, 1, 10))
        with pytest.raises(ValueError):
            draw_effects(risks, ["A"], 10, 0)


class TestDrawCache:
    def test_the_same_inputs_get_the_same_draws_once(self):
        pf = make_portfolio([project("A"), project("B")], A_FLOWS, MIXED_RISKS)
        cache = DrawCache()
        first = cache.get(pf, ["A", "B"], 300, 5, None, 50.0)
        assert cache.get(pf, ["A", "B"], 300, 5, None, 50.0) is first
        for kind in EFFECT_KINDS:
            assert np.array_equal(first.effects[kind], draw_effects(pf.risks, ["A", "B"], 300, 5)[kind])
            assert not first.effects[kind].flags.writeable
        assert np.array_equal(first.rate_shift, draw_rate_shift(50.0, 300, 5))

    @pytest.mark.parametrize("change", ["seed", "iterations", "register", "spread", "codes"])
    def test_other_inputs_draw_again(self, change):
        pf = make_portfolio([project("A"), project("B")], A_FLOWS, MIXED_RISKS)
        args = {"portfolio": pf, "codes": ["A", "B"], "iterations": 300, "entropy": 5, "rate_spread_bp": 0.0}
        cache = DrawCache()
        first = cache.get(**args)
        other = {"seed": {"entropy": 6}, "iterations": {"iterations": 301}, "spread": {"rate_spread_bp": 10.0},
                 "codes": {"codes": ["A"]},
                 "register": {"portfolio": make_portfolio([project("A"), project("B")], A_FLOWS, MIXED_RISKS[:2])}}
        assert cache.get(**(args | other[change])) is not first


class TestDrawReference:
    MEMBERS = pd.DataFrame({"project_code": ["X", "Y", "Z"], "type": "bedrijventerrein",
                            "cost_ratio": [1.0, 1.1, np.nan], "revenue_ratio": 1.0, "delay_years": [0.0, 1.0, 2.0]})

    def test_members_drawn_for_active_projects_only(self):
        pf = make_portfolio([project("A"), project("F", status="afgerond")], A_FLOWS)
        cost, revenue, delay, warnings = draw_reference(pf, ["A", "F"], self.MEMBERS, 3_000, 2)
        # an empty cost_ratio counts as 1 (no overrun known)
        assert set(cost[:, 0].tolist()) == {1.0, 1.1} and set(delay[:, 0].tolist()) == {0.0, 1.0, 2.0}
        assert abs((delay[:, 0] == 2.0).mean() - 1 / 3) < 0.04
        assert (cost[:, 1] == 1).all() and (revenue[:, 1] == 1).all() and not delay[:, 1].any()
        assert warnings == []

    def test_small_and_empty_classes_are_reported(self):
        pf = make_portfolio([project("A")], A_FLOWS)
        *_, warnings = draw_reference(pf, ["A"], self.MEMBERS.iloc[:2], 10, 2)
        assert len(warnings) == 1 and "maar 2" in warnings[0]
        cost, _, _, warnings = draw_reference(pf, ["A"], self.MEMBERS.iloc[:0], 10, 2)
        assert (cost == 1).all() and "niet gebruikt" in warnings[0]


def test_rate_shift_is_reproducible_and_has_its_spread():
    shift = draw_rate_shift(50.0, 40_000, 3)
    assert np.array_equal(shift, draw_rate_shift(50.0, 40_000, 3))
    assert abs(shift.mean()) < 0.01 and shift.std() == pytest.approx(0.5, rel=0.02)
