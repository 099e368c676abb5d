"""The basis of a figure: everything it depends on, in one immutable value.

A verdict, a forward NPV or a chance of loss is only comparable with another one when both were
computed from the same basis: the same data (workbook and ledger imports), the same valuation year,
the same thresholds (and where they came from), the same rate stress and the same simulation
settings. :class:`Basis` holds all of that; :func:`~igemo_fin.valuation.evaluate.evaluate` takes one
and every result keeps it (``Evaluation.basis``), so nothing ever has to recover an input from an
output, and every page and export can state its basis in one line (:meth:`Basis.describe`).

Examples
--------
>>> from igemo_fin.valuation.portfolio import Portfolio
>>> import pandas as pd
>>> empty = Portfolio(projects=pd.DataFrame(), cashflows=pd.DataFrame(), credit=pd.DataFrame())
>>> basis = Basis.of(empty, valuation_year=2025, data=DataVersion(workbook_sha256="ab" * 32,
...                                                           workbook_name="portefeuille.xlsx"))
>>> basis.describe()
'Gegevens: portefeuille.xlsx (abababab) · waardering 01/01/2025 · drempels uit het werkboek · simulatie 10.000 toekomsten, startwaarde 0'
>>> basis.with_simulation(iterations=0).simulation.describe()
'simulatie uit: kans op verlies niet beoordeeld'
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

import pandas as pd

from igemo_fin.fmt import date_nl, number
from igemo_fin.valuation.portfolio import Portfolio
from igemo_fin.valuation.thresholds import Thresholds

__all__ = [
    "Basis", "DataVersion", "ThresholdSource", "SimulationSettings",
    "DEFAULT_ITERATIONS", "DEFAULT_SEED", "WORKBOOK", "OFFICIAL", "WHAT_IF",
]

#: Iterations of the Monte Carlo when the workbook does not set ``simulaties``.
DEFAULT_ITERATIONS = 10_000
#: The fixed seed of the Monte Carlo when the workbook does not set ``simulatie_seed``: the same data
#: give the same chances on every surface and every day.
DEFAULT_SEED = 0

WORKBOOK, OFFICIAL, WHAT_IF = "werkboek", "officieel", "wat-als"


@dataclass(frozen=True)
class ThresholdSource:
    """Where the thresholds of a basis come from.

    ``kind`` is ``"werkboek"`` (the workbook's sheet ``drempels``), ``"officieel"`` (official version
    ``version``, set by finance on the page Drempels or with ``thresholds set``) or ``"wat-als"`` (a
    what-if on the page Beslissingskader, derived from ``version`` or the workbook).
    """

    kind: str = WORKBOOK
    version: int | None = None
    set_by: str | None = None
    set_at: str | None = None  #: UTC, ISO 8601

    def describe(self) -> str:
        """Dutch, for the basis line of every page and export."""
        if self.kind == OFFICIAL:
            who = f", {self.set_by}" if self.set_by else ""
            when = f", {date_nl(dt.datetime.fromisoformat(self.set_at))}" if self.set_at else ""
            return f"officiële drempels versie {self.version}{who}{when}"
        if self.kind == WHAT_IF:
            return "drempels: wat-als (niet officieel)"
        return "drempels uit het werkboek"

    def as_dict(self) -> dict:
        """``{"kind": "werkboek"}``, or with ``version``, ``set_by`` and ``set_at`` for an official version."""
        fields = {"kind": self.kind, "version": self.version, "set_by": self.set_by, "set_at": self.set_at}
        return {k: v for k, v in fields.items() if v is not None}


@dataclass(frozen=True)
class SimulationSettings:
    """The Monte Carlo behind the two chance-of-loss rules (DOMAIN.md, "Risk register").

    ``iterations == 0`` turns the simulation off: the chance rules are then "niet beoordeeld" on every
    surface alike.
    """

    iterations: int = DEFAULT_ITERATIONS
    seed: int = DEFAULT_SEED
    reference_class: bool = False  #: add the uncertainty of the finished projects (post-calculation)
    rate_spread_bp: float = 0.0  #: standard deviation of a parallel shift of the future rates [bp]

    def __post_init__(self) -> None:
        if self.iterations < 0:
            raise ValueError("het aantal simulaties kan niet negatief zijn")
        if self.rate_spread_bp < 0:
            raise ValueError("de spreiding op de rente kan niet negatief zijn")

    @property
    def enabled(self) -> bool:
        return self.iterations > 0

    def describe(self) -> str:
        if not self.enabled:
            return "simulatie uit: kans op verlies niet beoordeeld"
        parts = [f"simulatie {number(self.iterations)} toekomsten, startwaarde {self.seed}"]
        if self.reference_class:
            parts.append("met de lessen uit de nacalculatie")
        if self.rate_spread_bp:
            parts.append(f"renteonzekerheid {number(self.rate_spread_bp)} basispunten")
        return ", ".join(parts)

    def as_dict(self) -> dict:
        return {"iterations": self.iterations, "seed": self.seed, "reference_class": self.reference_class,
                "rate_spread_bp": self.rate_spread_bp}

    @classmethod
    def from_settings(cls, settings) -> "SimulationSettings":
        """The workbook's ``instellingen`` (``simulaties``, ``simulatie_seed``,
        ``simulatie_referentieklasse``), each with its default when absent."""
        return cls(
            iterations=DEFAULT_ITERATIONS if settings.simulaties is None else int(settings.simulaties),
            seed=DEFAULT_SEED if settings.simulatie_seed is None else int(settings.simulatie_seed),
            reference_class=bool(settings.simulatie_referentieklasse),
        )


@dataclass(frozen=True)
class DataVersion:
    """Which data a basis was computed from: the workbook (its SHA-256, name and, when it came from the
    store, its version number) and the ledger imports whose lines fed the actuals (their SHA-256)."""

    workbook_sha256: str | None = None
    workbook_name: str | None = None
    workbook_version: int | None = None
    ledger_imports: tuple[str, ...] = ()

    def describe(self) -> str:
        name = self.workbook_name or "werkboek"
        parts = [name + (f" (versie {self.workbook_version})" if self.workbook_version is not None else "")]
        if self.workbook_sha256:
            parts[0] += f" ({self.workbook_sha256[:8]})"
        if self.ledger_imports:
            count = len(self.ledger_imports)
            parts.append(f"{count} grootboekimport{'s' if count != 1 else ''}")
        return "Gegevens: " + " + ".join(parts)

    def as_dict(self) -> dict:
        return {"workbook_sha256": self.workbook_sha256, "workbook_name": self.workbook_name,
                "workbook_version": self.workbook_version, "ledger_imports": list(self.ledger_imports)}


@dataclass(frozen=True, eq=False)
class Basis:
    """Everything a figure depends on. Build one with :meth:`Basis.of`.

    Two bases are the same object or different ones (``eq=False``): comparing the portfolios' frames
    cell by cell is not what a cache or a caller wants.
    """

    portfolio: Portfolio = field(repr=False)
    valuation_year: int
    thresholds: Thresholds
    """As set: ``disconteringsvoet_pct`` None means "the cash-credit rate of year V" (resolved by the
    evaluation, which moves it with ``rate_shift_bp``)."""
    threshold_source: ThresholdSource = ThresholdSource()
    rate_shift_bp: float = 0.0
    """A stress on the cash-credit rate of the years ``>= V`` [basis points]."""
    simulation: SimulationSettings = SimulationSettings()
    actuals: pd.DataFrame | None = field(default=None, repr=False)
    """Ledger actuals ``project_code, jaar, categorie, bedrag`` (signed), or None."""
    data: DataVersion = DataVersion()

    @classmethod
    def of(cls, portfolio: Portfolio, *, valuation_year: int | None = None, thresholds: Thresholds | None = None,
           threshold_source: ThresholdSource | None = None, rate_shift_bp: float = 0.0,
           simulation: SimulationSettings | None = None, actuals: pd.DataFrame | None = None,
           data: DataVersion | None = None) -> "Basis":
        """A basis with the workbook's defaults for whatever is not given: its ``waarderingsjaar`` (or
        the current year), its ``drempels`` and its simulation settings (``instellingen``)."""
        if thresholds is None:
            thresholds = portfolio.thresholds
            source = threshold_source or ThresholdSource(WORKBOOK)
        else:
            source = threshold_source or ThresholdSource(WHAT_IF)
        return cls(
            portfolio=portfolio,
            valuation_year=int(valuation_year if valuation_year is not None else portfolio.settings.valuation_year()),
            thresholds=thresholds,
            threshold_source=source,
            rate_shift_bp=float(rate_shift_bp),
            simulation=simulation if simulation is not None else SimulationSettings.from_settings(portfolio.settings),
            actuals=actuals,
            data=data if data is not None else DataVersion(workbook_name=portfolio.source_name),
        )

    @property
    def discount_follows_credit(self) -> bool:
        """True when the discount rate is the default (the credit rate of V), so a rate stress moves it."""
        return self.thresholds.disconteringsvoet_pct is None

    def with_simulation(self, **changes) -> "Basis":
        """The same basis with other simulation settings (e.g. ``iterations=0`` to turn it off)."""
        return replace(self, simulation=replace(self.simulation, **changes))

    def with_portfolio(self, portfolio: Portfolio) -> "Basis":
        """The same basis for another portfolio (a stressed or extended copy of this one)."""
        return replace(self, portfolio=portfolio)

    def with_(self, **changes) -> "Basis":
        return replace(self, **changes)

    def describe(self) -> str:
        """One Dutch line: data version, valuation date, threshold version, simulation and rate stress."""
        parts = [self.data.describe(), f"waardering {date_nl(dt.date(self.valuation_year, 1, 1))}",
                 self.threshold_source.describe(), self.simulation.describe()]
        if self.rate_shift_bp:
            sign = "+" if self.rate_shift_bp > 0 else "-"
            parts.append(f"rentestress {sign}{number(abs(self.rate_shift_bp))} basispunten")
        return " · ".join(parts)

    def as_dict(self) -> dict:
        """The basis for the JSON contract (everything but the portfolio and the actuals themselves)."""
        return {"data": self.data.as_dict(), "valuation_year": self.valuation_year,
                "thresholds_source": self.threshold_source.as_dict(), "rate_shift_bp": self.rate_shift_bp,
                "simulation": self.simulation.as_dict(), "description": self.describe()}
