"""The decision framework: rules -> verdicts with reasons (DOMAIN.md, "The decision framework").

Each rule is a small pure function of one project's figures and the thresholds, returning a
:class:`RuleResult` that carries its value, its threshold, whether it fired, the verdict it leads
to and a Dutch sentence for the board. :func:`decide` applies every rule to every active project;
the most severe fired rule gives the verdict (:func:`verdict_of`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from igemo_fin.fmt import eur, pct, years
from igemo_fin.valuation.thresholds import THRESHOLD_INFO, Thresholds

__all__ = [
    "DOORGAAN", "BIJSTUREN", "STOPZETTEN", "AFSTOTEN", "VERDICTS", "SEVERITY",
    "RuleResult", "RULES", "decide", "verdict_of", "verdicts", "RULE_COLUMNS",
]

DOORGAAN, BIJSTUREN, STOPZETTEN, AFSTOTEN = "DOORGAAN", "BIJSTUREN", "STOPZETTEN", "AFSTOTEN"
#: Verdicts from mild to severe; AFSTOTEN outranks STOPZETTEN (selling beats holding).
VERDICTS = (DOORGAAN, BIJSTUREN, STOPZETTEN, AFSTOTEN)
SEVERITY = {v: i for i, v in enumerate(VERDICTS)}

#: Columns of the frame :func:`decide` returns: one row per project and rule.
RULE_COLUMNS = ("project_code", "rule", "label", "value", "threshold", "fired", "level", "evaluated", "sentence")


@dataclass(frozen=True)
class RuleResult:
    """The outcome of one rule for one project.

    ``value`` and ``threshold`` are in the rule's unit ([EUR], [%] or [year]); ``value`` is None
    when the figure does not exist (no IRR, no market value). ``evaluated`` is False when the
    rule could not be judged (missing input, Monte Carlo not run); such a rule never fires.
    """

    rule: str
    label: str
    value: float | None
    threshold: float | None
    fired: bool
    level: str
    evaluated: bool
    sentence: str

    def as_dict(self) -> dict[str, Any]:
        # dataclasses.asdict deep-copies every field; these are all scalars, so a plain dict will do.
        return {"rule": self.rule, "label": self.label, "value": self.value, "threshold": self.threshold,
                "fired": self.fired, "level": self.level, "evaluated": self.evaluated, "sentence": self.sentence}


def _missing(x: Any) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def _verb(level: str) -> str:
    return {BIJSTUREN: "bijsturen", STOPZETTEN: "stopzetten", AFSTOTEN: "afstoten"}[level]


# --------------------------------------------------------------------------- the rules
# Each takes the project's figures (a mapping) and the thresholds.

def _npv_rule(rule: str, level: str, drempel_word: str) -> Callable[[Mapping, Thresholds], RuleResult]:
    def check(p: Mapping, t: Thresholds) -> RuleResult:
        value, threshold = float(p["npv_forward"]), float(getattr(t, rule))
        fired = value < threshold
        head = f"De contante waarde van wat nog komt, {eur(value)},"
        sentence = (f"{head} ligt onder de {drempel_word} van {eur(threshold)}: {_verb(level)}." if fired
                    else f"{head} ligt niet onder de {drempel_word} van {eur(threshold)}.")
        return RuleResult(rule, THRESHOLD_INFO[rule].label, value, threshold, fired, level, True, sentence)
    return check


def rule_min_irr(p: Mapping, t: Thresholds) -> RuleResult:
    """``irr_full_life < min_irr_pct`` (or no IRR at all) -> BIJSTUREN."""
    threshold = float(t.min_irr_pct)
    irr = p["irr_full_life"]
    label = THRESHOLD_INFO["min_irr_pct"].label
    if _missing(irr):
        return RuleResult("min_irr_pct", label, None, threshold, True, BIJSTUREN, True,
                          "Het project heeft geen intern rendement over de hele looptijd (de kasstromen "
                          "worden nooit positief genoeg om de kosten terug te verdienen): bijsturen.")
    value = 100.0 * float(irr)
    fired = value < threshold
    head = f"Het intern rendement over de hele looptijd, {pct(value)},"
    sentence = (f"{head} ligt onder het minimum van {pct(threshold)}: bijsturen." if fired
                else f"{head} haalt het minimum van {pct(threshold)}.")
    return RuleResult("min_irr_pct", label, value, threshold, fired, BIJSTUREN, True, sentence)


def rule_interest_on_margin(p: Mapping, t: Thresholds) -> RuleResult:
    """``100 * future interest / future net inflow > max_rente_op_marge_pct`` -> BIJSTUREN.

    When the future net inflow is zero or negative the share is undefined (``value`` None) and
    the rule fires as soon as any future interest is due.
    """
    threshold = float(t.max_rente_op_marge_pct)
    interest, inflow = float(p["interest_future"]), float(p["future_net_inflow"])
    label = THRESHOLD_INFO["max_rente_op_marge_pct"].label
    if inflow <= 0:
        fired = interest > 0
        if fired:
            sentence = (f"Wat nog komt brengt netto niets op ({eur(inflow)}), terwijl er nog {eur(interest)} "
                        "rente op het kaskrediet volgt: bijsturen.")
        else:
            sentence = f"Wat nog komt brengt netto niets op ({eur(inflow)}), maar er volgt geen rente meer."
        return RuleResult("max_rente_op_marge_pct", label, None, threshold, fired, BIJSTUREN, True, sentence)
    value = 100.0 * interest / inflow
    fired = value > threshold
    head = (f"De rente die nog volgt, {eur(interest)}, is {pct(value, 1)} van wat het project nog netto "
            f"oplevert ({eur(inflow)})")
    sentence = (f"{head}; dat is meer dan het maximum van {pct(threshold, 1)}: bijsturen." if fired
                else f"{head}; het maximum is {pct(threshold, 1)}.")
    return RuleResult("max_rente_op_marge_pct", label, value, threshold, fired, BIJSTUREN, True, sentence)


def _zoning_rule(rule: str, level: str, grens_word: str) -> Callable[[Mapping, Thresholds], RuleResult]:
    def check(p: Mapping, t: Thresholds) -> RuleResult:
        threshold = float(getattr(t, rule))
        label = THRESHOLD_INFO[rule].label
        if bool(p["bestemming_zeker"]):
            return RuleResult(rule, label, None, threshold, False, level, True,
                              f"De bestemming is juridisch zeker: de {grens_word} van {years(threshold)} zonder "
                              "zekere bestemming speelt niet.")
        value = float(p["valuation_year"] - p["startjaar"])
        fired = value > threshold
        head = f"De bestemming is nog niet zeker, {years(value)} na de start in {int(p['startjaar'])}"
        sentence = (f"{head}; dat is langer dan de {grens_word} van {years(threshold)}: {_verb(level)}." if fired
                    else f"{head}; de {grens_word} is {years(threshold)}.")
        return RuleResult(rule, label, value, threshold, fired, level, True, sentence)
    return check


def rule_divest(p: Mapping, t: Thresholds) -> RuleResult:
    """``marktwaarde_huidige_staat - npv_forward > afstoten_voordeel_min`` -> AFSTOTEN."""
    threshold = float(t.afstoten_voordeel_min)
    label = THRESHOLD_INFO["afstoten_voordeel_min"].label
    market = p.get("marktwaarde_huidige_staat")
    if _missing(market):
        return RuleResult("afstoten_voordeel_min", label, None, threshold, False, AFSTOTEN, False,
                          "Er is geen marktwaarde in de huidige staat opgegeven: afstoten is niet beoordeeld.")
    npv_fwd = float(p["npv_forward"])
    value = float(market) - npv_fwd
    fired = value > threshold
    if value >= 0:
        head = (f"Verkopen zoals het er nu bij ligt ({eur(market)}) levert {eur(value)} meer op dan verder "
                f"ontwikkelen ({eur(npv_fwd)})")
    else:
        head = (f"Verder ontwikkelen ({eur(npv_fwd)}) levert {eur(-value)} meer op dan verkopen zoals het er "
                f"nu bij ligt ({eur(market)})")
    sentence = (f"{head}; dat is meer dan de grens van {eur(threshold)}: afstoten." if fired
                else f"{head}; de grens om af te stoten is {eur(threshold)}.")
    return RuleResult("afstoten_voordeel_min", label, value, threshold, fired, AFSTOTEN, True, sentence)


def _loss_chance_rule(rule: str, level: str, figure: str, what: str,
                      grens_word: str) -> Callable[[Mapping, Thresholds], RuleResult]:
    """A rule on a chance from the Monte Carlo: ``100 * p[figure] > threshold`` fires ``level``.

    ``what`` completes "De kans dat wat nog komt ..." in Dutch. Without a simulation the figure is
    missing and the rule is reported as not evaluated, naming its own threshold.
    """
    def check(p: Mapping, t: Thresholds) -> RuleResult:
        threshold = float(getattr(t, rule))
        label = THRESHOLD_INFO[rule].label
        chance = p.get(figure)
        if _missing(chance):
            return RuleResult(rule, label, None, threshold, False, level, False,
                              f"De kans dat wat nog komt {what}, is niet berekend (de risicosimulatie staat uit): "
                              f"de {grens_word} van {pct(threshold, 1)} is niet beoordeeld.")
        value = 100.0 * float(chance)
        fired = value > threshold
        head = f"De kans dat wat nog komt {what}, is {pct(value, 1)}"
        sentence = (f"{head}; dat is meer dan de {grens_word} van {pct(threshold, 1)}: {_verb(level)}." if fired
                    else f"{head}; de {grens_word} is {pct(threshold, 1)}.")
        return RuleResult(rule, label, value, threshold, fired, level, True, sentence)
    return check


#: Every rule of the framework, in the order the board reads them.
RULES: dict[str, Callable[[Mapping, Thresholds], RuleResult]] = {
    "bijsturen_npv_onder": _npv_rule("bijsturen_npv_onder", BIJSTUREN, "drempel"),
    "stop_npv_onder": _npv_rule("stop_npv_onder", STOPZETTEN, "stopdrempel"),
    "min_irr_pct": rule_min_irr,
    "max_rente_op_marge_pct": rule_interest_on_margin,
    "max_jaren_zonder_bestemming": _zoning_rule("max_jaren_zonder_bestemming", BIJSTUREN, "grens"),
    "stop_jaren_zonder_bestemming": _zoning_rule("stop_jaren_zonder_bestemming", STOPZETTEN, "stopgrens"),
    "afstoten_voordeel_min": rule_divest,
    "max_kans_verlies_pct": _loss_chance_rule("max_kans_verlies_pct", BIJSTUREN, "prob_loss", "verlies maakt",
                                              "grens"),
    "stop_kans_verlies_pct": _loss_chance_rule("stop_kans_verlies_pct", STOPZETTEN, "prob_below_stop",
                                               "meer verliest dan de stopdrempel toelaat",
                                               "stopgrens"),
}


def verdict_of(results: list[RuleResult]) -> str:
    """The most severe level among the fired rules; DOORGAAN when none fired."""
    fired = [r.level for r in results if r.fired]
    return max(fired, key=SEVERITY.__getitem__) if fired else DOORGAAN


def decide(figures: pd.DataFrame, thresholds: Thresholds) -> pd.DataFrame:
    """Apply every rule to every active project.

    Parameters
    ----------
    figures : DataFrame
        One row per project with ``project_code, status, npv_forward, irr_full_life,
        interest_future, future_net_inflow, bestemming_zeker, startjaar, valuation_year,
        marktwaarde_huidige_staat`` and optionally ``prob_loss`` and ``prob_below_stop`` (fractions
        from the Monte Carlo: the chance that ``npv_forward < 0`` and ``< stop_npv_onder``).
    thresholds : Thresholds
        With ``disconteringsvoet_pct`` already resolved.

    Returns
    -------
    DataFrame
        :data:`RULE_COLUMNS`, one row per active project and rule.
    """
    rows = []
    for p in figures.to_dict("records"):
        if p["status"] != "actief":
            continue
        for check in RULES.values():
            rows.append({"project_code": p["project_code"], **check(p, thresholds).as_dict()})
    return pd.DataFrame(rows, columns=list(RULE_COLUMNS))


def verdicts(rules: pd.DataFrame) -> pd.Series:
    """Verdict per project code from the frame :func:`decide` returns."""
    if rules.empty:
        return pd.Series(dtype=object, name="verdict")
    severity = rules["level"].map(SEVERITY).where(rules["fired"], 0)
    worst = severity.groupby(rules["project_code"], sort=False).max()
    return worst.map(dict(enumerate(VERDICTS))).rename("verdict")
