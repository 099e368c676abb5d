"""A rate stress against the basis: what a higher cash-credit rate costs, in total and per project.

The stress itself is an evaluation of the same basis with ``rate_shift_bp`` raised
(:meth:`~igemo_fin.valuation.basis.Basis.with_`): from the valuation year on, the credit's rate and,
unless the board fixed one, the discount rate move up. This module only compares the two
evaluations, so the Kaskrediet page, the board and the command line read one difference.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from igemo_fin.valuation.evaluate import Evaluation

__all__ = ["STRESS_PROJECT_COLUMNS", "RateStress", "rate_stress"]

#: Columns of :attr:`RateStress.by_project`: the projects whose future interest rises by more than
#: half a euro, most affected first.
STRESS_PROJECT_COLUMNS = ("project_code", "naam", "extra_interest")  # [EUR]

#: Differences below this are rounding, not interest the stress adds [EUR].
_NOTICEABLE = 0.5


@dataclass(frozen=True)
class RateStress:
    """The stressed evaluation against the basis.

    ``extra_interest``: the interest still to pay (years ``>= V``, all projects) after the stress
    minus before; ``npv_forward_active``: the active projects' forward value after the stress, and
    ``npv_forward_change`` its change (after minus before) [EUR]."""

    shift_bp: float
    extra_interest: float
    npv_forward_active: float
    npv_forward_change: float
    by_project: pd.DataFrame


def rate_stress(base: Evaluation, stressed: Evaluation) -> RateStress:
    """Compare ``stressed`` (the same basis with a higher ``rate_shift_bp``) with ``base``.

    Projects are matched by code, so the two evaluations may list them in any order."""
    before, after = base.portfolio_totals(), stressed.portfolio_totals()
    base_interest = base.figures.set_index("project_code")["interest_future"]
    rows = stressed.figures[["project_code", "naam", "interest_future"]]
    extra = rows["interest_future"].to_numpy() - base_interest.reindex(rows["project_code"]).to_numpy()
    by_project = pd.DataFrame({"project_code": rows["project_code"].to_numpy(), "naam": rows["naam"].to_numpy(),
                               "extra_interest": extra})
    by_project = (by_project[by_project["extra_interest"] > _NOTICEABLE]
                  .sort_values("extra_interest", ascending=False, kind="stable").reset_index(drop=True))
    return RateStress(
        shift_bp=float(stressed.basis.rate_shift_bp - base.basis.rate_shift_bp),
        extra_interest=after["interest_future"] - before["interest_future"],
        npv_forward_active=after["npv_forward_active"],
        npv_forward_change=after["npv_forward_active"] - before["npv_forward_active"],
        by_project=by_project,
    )
