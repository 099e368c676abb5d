"""The random draws of the Monte Carlo: the risk register's effects, the reference class and the rate.

DOMAIN.md, "Risk register": each risk happens, independently of the others, with probability
``kans_pct``; when it happens its impact is drawn from a triangular distribution (``min``,
``waarschijnlijk``, ``max``; all three equal is a fixed impact). Several risks of one kind that
happen together add up (percentages add, delays add, one-offs add). What each kind does to the
flows is the kernel's (:mod:`igemo_fin.risk.kernel`).

Notes
-----
**Random numbers.** A :class:`numpy.random.Generator` per risk, seeded from
``SeedSequence(seed, spawn_key=(0, row of the risk in the register))``: the draws of one risk do
not depend on the others, on the chunking or on the number of projects, and the first ``n``
iterations of a longer run are those of a run of ``n``. Whether a risk happens
and its impact come from two uniforms ``U1 < kans_pct / 100`` and ``triangular_ppf(U2)``, drawn for
every iteration whether or not the risk happens; with the same seed a higher ``kans_pct`` only
adds happenings (common random numbers), so ``prob_loss`` never falls when an adverse risk
becomes more likely.

**Reference-class uncertainty** (:func:`draw_reference`): for each active project, per
iteration, one finished project of its reference class (:func:`~igemo_fin.postcalc.calculation.reference_pool`:
same type, or all types when fewer than 3) is drawn with replacement (a bootstrap, which keeps
the observed link between overrun, revenue shortfall and delay and assumes no distribution shape);
its ``cost_ratio`` multiplies the future costs, its ``revenue_ratio`` the future revenues and its
``delay_years`` adds to the delay (a total delay below 0 counts as 0). Draws are independent
across projects: the stream of project ``p`` is ``spawn_key=(1, p)``.

**Rate spread** (:func:`draw_rate_shift`): per iteration one parallel shift of all future
cash-credit rates, normal with mean 0 and standard deviation ``s`` basis points, from the stream
``spawn_key=(2,)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from igemo_fin.postcalc.calculation import MIN_CLASS_SIZE, reference_pool
from igemo_fin.valuation.portfolio import Portfolio

__all__ = ["EFFECT_KINDS", "triangular_ppf", "draw_effects", "draw_reference", "draw_rate_shift", "Draws",
           "draw_all", "DrawCache"]

#: The kinds of effect a risk of the register can have (``soort``), in the kernel's order.
EFFECT_KINDS = ("kosten_pct", "prijs_pct", "vertraging_jaren", "eenmalig_eur")
_STREAM_RISK, _STREAM_REFERENCE, _STREAM_RATE = 0, 1, 2


def triangular_ppf(u, low, mode, high) -> np.ndarray:
    """Inverse CDF of the triangular distribution: the impact for uniform ``u`` in [0, 1).

    Notes
    -----
    With ``a = low``, ``c = mode``, ``b = high`` and ``F_c = (c - a) / (b - a)``::

        x = a + sqrt(u (b - a)(c - a))          for u < F_c
        x = b - sqrt((1 - u)(b - a)(b - c))     otherwise

    ``a == b`` gives the fixed value ``a``. The mean is ``(a + b + c) / 3``. Being monotone in
    ``u``, it keeps common random numbers common when the parameters change.

    Examples
    --------
    >>> triangular_ppf(np.array([0.0, 0.5, 0.999999]), 0.0, 0.0, 10.0).round(3).tolist()
    [0.0, 2.929, 9.99]
    >>> float(triangular_ppf(0.3, 5.0, 5.0, 5.0))
    5.0
    """
    u = np.asarray(u, dtype=float)
    a, c, b = float(low), float(mode), float(high)
    if not a <= c <= b:
        raise ValueError(f"verwacht min <= waarschijnlijk <= max, gekregen {a:g} / {c:g} / {b:g}")
    width = b - a
    if width == 0:
        return np.full(u.shape, a)
    fc = (c - a) / width
    left = a + np.sqrt(u * width * (c - a))
    right = b - np.sqrt((1.0 - u) * width * (b - c))
    return np.where(u < fc, left, right)


def draw_effects(risks: pd.DataFrame, codes: list[str], iterations: int, entropy: int) -> dict[str, np.ndarray]:
    """The summed effect of each kind per iteration and project.

    Parameters
    ----------
    risks : DataFrame
        The risk register (:data:`~igemo_fin.columns.RISK_COLUMNS`); a risk of a project not in
        ``codes`` is skipped (its stream is still its row's).
    codes : list of str
        The projects, in the order of the returned columns.
    iterations : int
    entropy : int
        The seed's entropy (``SeedSequence(seed).entropy``).

    Returns
    -------
    dict
        :data:`EFFECT_KINDS` -> (iterations x projects): ``kosten_pct`` [%], ``prijs_pct`` [%],
        ``vertraging_jaren`` [year], ``eenmalig_eur`` [EUR]; 0 where no risk happened.
    """
    position = {c: i for i, c in enumerate(codes)}
    P = len(codes)
    sums = {kind: np.zeros((iterations, P)) for kind in EFFECT_KINDS}
    for row, risk in enumerate(risks.itertuples(index=False)):
        p = position.get(risk.project_code)
        if p is None:
            continue
        rng = np.random.default_rng(np.random.SeedSequence(entropy, spawn_key=(_STREAM_RISK, row)))
        u = rng.random((iterations, 2))  # iteration-major: a longer run extends a shorter one
        # The impact only where the risk happens: the same sums as adding 0 elsewhere, without the
        # inverse CDF of the other iterations (the parameters are still checked when none happens).
        happens = np.flatnonzero(u[:, 0] < float(risk.kans_pct) / 100.0)
        sums[risk.soort][happens, p] += triangular_ppf(u[happens, 1], risk.min, risk.waarschijnlijk, risk.max)
    return sums


def draw_reference(portfolio: Portfolio, codes: list[str], reference: pd.DataFrame, iterations: int,
                   entropy: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """A reference-class member per iteration and active project (see the module notes).

    Returns
    -------
    cost_ratio, revenue_ratio, delay_years : ndarray (iterations x projects)
        The drawn member's figures (1, 1 and 0 for projects that are not active).
    warnings : list of str
        Dutch, when there is no class at all or a class is smaller than
        :data:`~igemo_fin.postcalc.calculation.MIN_CLASS_SIZE`.
    """
    small_pool_warned = False
    P = len(codes)
    cost, revenue, delay = np.ones((iterations, P)), np.ones((iterations, P)), np.zeros((iterations, P))
    warnings = []
    info = portfolio.projects.set_index("project_code")
    members = reference.copy()
    members[["cost_ratio", "revenue_ratio"]] = members[["cost_ratio", "revenue_ratio"]].fillna(1.0)
    members["delay_years"] = members["delay_years"].fillna(0.0)
    for p, code in enumerate(codes):
        if info.loc[code, "status"] != "actief":
            continue
        pool, fallback = reference_pool(members, info.loc[code, "type"])
        if pool.empty:
            warnings.append("Geen afgeronde projecten met een begroting: de referentieklasse is niet gebruikt.")
            break
        if len(pool) < MIN_CLASS_SIZE and not small_pool_warned:
            small_pool_warned = True
            warnings.append(f"De referentieklasse telt maar {len(pool)} afgerond(e) project(en) met een "
                            "begroting: de onzekerheid die ze toevoegt, is nauwelijks een verdeling.")
        rng = np.random.default_rng(np.random.SeedSequence(entropy, spawn_key=(_STREAM_REFERENCE, p)))
        pick = rng.integers(len(pool), size=iterations)
        cost[:, p] = pool["cost_ratio"].to_numpy(dtype=float)[pick]
        revenue[:, p] = pool["revenue_ratio"].to_numpy(dtype=float)[pick]
        delay[:, p] = pool["delay_years"].to_numpy(dtype=float)[pick]
    return cost, revenue, delay, warnings


def draw_rate_shift(spread_bp: float, iterations: int, entropy: int) -> np.ndarray:
    """One parallel shift of the future rates per iteration [%-points], normal with standard
    deviation ``spread_bp`` basis points.

    >>> round(float(draw_rate_shift(100.0, 20_000, 7).std()), 1)
    1.0
    """
    rng = np.random.default_rng(np.random.SeedSequence(entropy, spawn_key=(_STREAM_RATE,)))
    return rng.normal(0.0, spread_bp / 100.0, iterations)


@dataclass(frozen=True)
class Draws:
    """Every random number of one Monte Carlo run, and what they were drawn for.

    ``effects`` (:func:`draw_effects`), ``reference`` (:func:`draw_reference`'s four values, or None),
    ``rate_shift`` (:func:`draw_rate_shift`, or None).
    """

    entropy: int
    iterations: int
    codes: tuple[str, ...]
    risks: pd.DataFrame
    projects: pd.DataFrame  #: code, status and type: what the reference-class draw reads
    members: pd.DataFrame | None  #: the reference-class members, or None
    rate_spread_bp: float
    effects: dict[str, np.ndarray]
    reference: tuple | None
    rate_shift: np.ndarray | None

    def fits(self, portfolio: Portfolio, codes: list[str], iterations: int, entropy: int,
             members: pd.DataFrame | None, rate_spread_bp: float) -> bool:
        """Whether a run with these inputs would draw exactly these numbers."""
        if (self.entropy, self.iterations, self.codes, self.rate_spread_bp) != (
                entropy, iterations, tuple(codes), float(rate_spread_bp)):
            return False
        if (members is None) != (self.members is None) or not portfolio.risks.equals(self.risks):
            return False
        return members is None or (members.equals(self.members)
                                   and _drawn_from(portfolio).equals(self.projects))


def _drawn_from(portfolio: Portfolio) -> pd.DataFrame:
    return portfolio.projects[["project_code", "status", "type"]]


def draw_all(portfolio: Portfolio, codes: list[str], iterations: int, entropy: int,
             members: pd.DataFrame | None, rate_spread_bp: float) -> Draws:
    """Every draw of a run (see the module notes): the effects, the reference class when ``members``
    is given, the rate shift when ``rate_spread_bp > 0``."""
    effects = draw_effects(portfolio.risks, codes, iterations, entropy)
    reference = None if members is None else draw_reference(portfolio, codes, members, iterations, entropy)
    shift = draw_rate_shift(rate_spread_bp, iterations, entropy) if rate_spread_bp > 0 else None
    for values in [*effects.values(), *(reference or ())[:3], shift]:
        if values is not None:
            values.flags.writeable = False  # shared by the runs that reuse them
    return Draws(entropy, iterations, tuple(codes), portfolio.risks, _drawn_from(portfolio), members,
                 float(rate_spread_bp), effects, reference, shift)


class DrawCache:
    """The draws of the last run, handed to the next run that would draw the same numbers.

    Runs that differ only in what the draws act on (stressed flows, rates: the stress scenarios) share
    one set of common random numbers: the same seed gives the same draws, so only the kernel runs
    again. Scoped to whoever holds it (no global state): the draws' memory goes with it.
    """

    def __init__(self) -> None:
        self._last: Draws | None = None

    def get(self, portfolio: Portfolio, codes: list[str], iterations: int, entropy: int,
            members: pd.DataFrame | None = None, rate_spread_bp: float = 0.0) -> Draws:
        """The cached draws when they fit these inputs, else new ones (then cached)."""
        last = self._last
        if last is None or not last.fits(portfolio, codes, iterations, entropy, members, rate_spread_bp):
            last = self._last = draw_all(portfolio, codes, iterations, entropy, members, rate_spread_bp)
        return last
