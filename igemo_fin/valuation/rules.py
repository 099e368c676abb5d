"""The decision framework: rules -> verdicts with reasons (DOMAIN.md, "The decision framework").

Each rule is a small pure function of one project's figures and the thresholds, returning a
:class:`RuleResult` that carries its value, its threshold, whether it fired, the verdict it leads
to and a Dutch sentence for the board (from :data:`SENTENCES`). These one-project rules are the
definition; :func:`igemo_fin.valuation.rule_table.decide` applies the same rules to every active project
at once. The most severe fired rule gives the verdict (:func:`verdict_of`; over all projects at once :func:`~igemo_fin.valuation.rule_table.judge`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any


from igemo_fin.fmt import eur, pct, years
from igemo_fin.valuation.thresholds import THRESHOLD_INFO, Thresholds

__all__ = [
    "DOORGAAN", "BIJSTUREN", "STOPZETTEN", "AFSTOTEN", "VERDICTS", "SEVERITY",
    "RuleResult", "RuleSpec", "RULES", "RULE_SPECS", "SENTENCES", "verb", "verdict_of",
    "RULE_COLUMNS",
]

DOORGAAN, BIJSTUREN, STOPZETTEN, AFSTOTEN = "DOORGAAN", "BIJSTUREN", "STOPZETTEN", "AFSTOTEN"
#: Verdicts from mild to severe; AFSTOTEN outranks STOPZETTEN (selling beats holding).
VERDICTS = (DOORGAAN, BIJSTUREN, STOPZETTEN, AFSTOTEN)
SEVERITY = {v: i for i, v in enumerate(VERDICTS)}

#: Columns of the frame :func:`~igemo_fin.valuation.rule_table.decide` returns: one row per project and rule.
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


# --------------------------------------------------------------------------- the sentences
# Each sentence is written once, here, as a template of plain ``{name}`` fields; the rules below fill
# them one project at a time and :mod:`igemo_fin.valuation.rule_table` fills them for every project at
# once, so both give the same words.

#: Templates per rule family and case.
SENTENCES: dict[str, dict[str, str]] = {
    "npv": {
        "fired": "De contante waarde van wat nog komt, {value}, ligt onder de {word} van {threshold}: {verb}.",
        "ok": "De contante waarde van wat nog komt, {value}, ligt niet onder de {word} van {threshold}.",
    },
    "irr": {
        "missing": "Het project heeft geen intern rendement over de hele looptijd (de kasstromen worden nooit "
                   "positief genoeg om de kosten terug te verdienen): bijsturen.",
        "fired": "Het intern rendement over de hele looptijd, {value}, ligt onder het minimum van {threshold}: "
                 "bijsturen.",
        "ok": "Het intern rendement over de hele looptijd, {value}, haalt het minimum van {threshold}.",
    },
    "interest": {
        "nothing_fired": "Wat nog komt brengt netto niets op ({inflow}), terwijl er nog {interest} rente op het "
                         "kaskrediet volgt: bijsturen.",
        "nothing_ok": "Wat nog komt brengt netto niets op ({inflow}), maar er volgt geen rente meer.",
        "fired": "De rente die nog volgt, {interest}, is {value} van wat het project nog netto oplevert "
                 "({inflow}); dat is meer dan het maximum van {threshold}: bijsturen.",
        "ok": "De rente die nog volgt, {interest}, is {value} van wat het project nog netto oplevert "
              "({inflow}); het maximum is {threshold}.",
    },
    "zoning": {
        "sure": "De bestemming is juridisch zeker: de {word} van {threshold} zonder zekere bestemming speelt niet.",
        "fired": "De bestemming is nog niet zeker, {value} na de start in {start}; dat is langer dan de {word} "
                 "van {threshold}: {verb}.",
        "ok": "De bestemming is nog niet zeker, {value} na de start in {start}; de {word} is {threshold}.",
    },
    "divest": {
        "missing": "Er is geen marktwaarde in de huidige staat opgegeven: afstoten is niet beoordeeld.",
        "sell_gains": "Verkopen zoals het er nu bij ligt ({market}) levert {gain} meer op dan verder "
                      "ontwikkelen ({npv})",
        "develop_gains": "Verder ontwikkelen ({npv}) levert {gain} meer op dan verkopen zoals het er nu bij ligt "
                         "({market})",
        "fired": "; dat is meer dan de grens van {threshold}: afstoten.",
        "ok": "; de grens om af te stoten is {threshold}.",
    },
    "chance": {
        "missing": "De kans dat wat nog komt {what}, is niet berekend (de risicosimulatie staat uit): de {word} "
                   "van {threshold} is niet beoordeeld.",
        "fired": "De kans dat wat nog komt {what}, is {value}; dat is meer dan de {word} van {threshold}: {verb}.",
        "ok": "De kans dat wat nog komt {what}, is {value}; de {word} is {threshold}.",
    },
}


def verb(level: str) -> str:
    """The Dutch verb of a verdict level, as the sentences end: ``STOPZETTEN -> 'stopzetten'``."""
    return {BIJSTUREN: "bijsturen", STOPZETTEN: "stopzetten", AFSTOTEN: "afstoten"}[level]


@dataclass(frozen=True)
class RuleSpec:
    """What distinguishes the rules of one family: the words of the sentence and the figure tested."""

    family: str
    level: str
    word: str = ""   #: "drempel", "stopgrens", ...
    figure: str = ""  #: the chance rules' figure (``prob_loss``, ``prob_below_stop``)
    what: str = ""    #: completes "De kans dat wat nog komt ..."


#: Every rule of the framework, in the order the board reads them.
RULE_SPECS: dict[str, RuleSpec] = {
    "bijsturen_npv_onder": RuleSpec("npv", BIJSTUREN, "drempel"),
    "stop_npv_onder": RuleSpec("npv", STOPZETTEN, "stopdrempel"),
    "min_irr_pct": RuleSpec("irr", BIJSTUREN),
    "max_rente_op_marge_pct": RuleSpec("interest", BIJSTUREN),
    "max_jaren_zonder_bestemming": RuleSpec("zoning", BIJSTUREN, "grens"),
    "stop_jaren_zonder_bestemming": RuleSpec("zoning", STOPZETTEN, "stopgrens"),
    "afstoten_voordeel_min": RuleSpec("divest", AFSTOTEN),
    "max_kans_verlies_pct": RuleSpec("chance", BIJSTUREN, "grens", "prob_loss", "verlies maakt"),
    "stop_kans_verlies_pct": RuleSpec("chance", STOPZETTEN, "stopgrens", "prob_below_stop",
                                      "meer verliest dan de stopdrempel toelaat"),
}


# --------------------------------------------------------------------------- the rules, one project at a time
# Each takes the project's figures (a mapping) and the thresholds. They are the definition the
# vectorised :func:`~igemo_fin.valuation.rule_table.decide` is tested against.

def _result(rule: str, value, threshold: float, fired: bool, evaluated: bool, sentence: str) -> RuleResult:
    return RuleResult(rule, THRESHOLD_INFO[rule].label, value, threshold, fired, RULE_SPECS[rule].level,
                      evaluated, sentence)


def _npv_rule(rule: str) -> Callable[[Mapping, Thresholds], RuleResult]:
    spec = RULE_SPECS[rule]

    def check(p: Mapping, t: Thresholds) -> RuleResult:
        value, threshold = float(p["npv_forward"]), float(getattr(t, rule))
        fired = value < threshold
        sentence = SENTENCES["npv"]["fired" if fired else "ok"].format(
            value=eur(value), word=spec.word, threshold=eur(threshold), verb=verb(spec.level))
        return _result(rule, value, threshold, fired, True, sentence)
    return check


def rule_min_irr(p: Mapping, t: Thresholds) -> RuleResult:
    """``irr_full_life < min_irr_pct`` (or no IRR at all) -> BIJSTUREN."""
    threshold = float(t.min_irr_pct)
    irr = p["irr_full_life"]
    if _missing(irr):
        return _result("min_irr_pct", None, threshold, True, True, SENTENCES["irr"]["missing"])
    value = 100.0 * float(irr)
    fired = value < threshold
    sentence = SENTENCES["irr"]["fired" if fired else "ok"].format(value=pct(value), threshold=pct(threshold))
    return _result("min_irr_pct", value, threshold, fired, True, sentence)


def rule_interest_on_margin(p: Mapping, t: Thresholds) -> RuleResult:
    """``100 * future interest / future net inflow > max_rente_op_marge_pct`` -> BIJSTUREN.

    When the future net inflow is zero or negative the share is undefined (``value`` None) and
    the rule fires as soon as any future interest is due.
    """
    threshold = float(t.max_rente_op_marge_pct)
    interest, inflow = float(p["interest_future"]), float(p["future_net_inflow"])
    texts = SENTENCES["interest"]
    if inflow <= 0:
        fired = interest > 0
        sentence = texts["nothing_fired" if fired else "nothing_ok"].format(inflow=eur(inflow),
                                                                            interest=eur(interest))
        return _result("max_rente_op_marge_pct", None, threshold, fired, True, sentence)
    value = 100.0 * interest / inflow
    fired = value > threshold
    sentence = texts["fired" if fired else "ok"].format(interest=eur(interest), value=pct(value, 1),
                                                        inflow=eur(inflow), threshold=pct(threshold, 1))
    return _result("max_rente_op_marge_pct", value, threshold, fired, True, sentence)


def _zoning_rule(rule: str) -> Callable[[Mapping, Thresholds], RuleResult]:
    spec = RULE_SPECS[rule]

    def check(p: Mapping, t: Thresholds) -> RuleResult:
        threshold = float(getattr(t, rule))
        texts = SENTENCES["zoning"]
        if bool(p["bestemming_zeker"]):
            return _result(rule, None, threshold, False, True,
                           texts["sure"].format(word=spec.word, threshold=years(threshold)))
        value = float(p["valuation_year"] - p["startjaar"])
        fired = value > threshold
        sentence = texts["fired" if fired else "ok"].format(
            value=years(value), start=int(p["startjaar"]), word=spec.word, threshold=years(threshold),
            verb=verb(spec.level))
        return _result(rule, value, threshold, fired, True, sentence)
    return check


def rule_divest(p: Mapping, t: Thresholds) -> RuleResult:
    """``marktwaarde_huidige_staat - npv_forward > afstoten_voordeel_min`` -> AFSTOTEN."""
    threshold = float(t.afstoten_voordeel_min)
    texts = SENTENCES["divest"]
    market = p.get("marktwaarde_huidige_staat")
    if _missing(market):
        return _result("afstoten_voordeel_min", None, threshold, False, False, texts["missing"])
    npv_fwd = float(p["npv_forward"])
    value = float(market) - npv_fwd
    fired = value > threshold
    head = texts["sell_gains" if value >= 0 else "develop_gains"].format(
        market=eur(market), gain=eur(abs(value)), npv=eur(npv_fwd))
    sentence = head + texts["fired" if fired else "ok"].format(threshold=eur(threshold))
    return _result("afstoten_voordeel_min", value, threshold, fired, True, sentence)


def _loss_chance_rule(rule: str) -> Callable[[Mapping, Thresholds], RuleResult]:
    """A rule on a chance from the Monte Carlo: ``100 * p[figure] > threshold`` fires its level.

    Without a simulation the figure is missing and the rule is reported as not evaluated, naming
    its own threshold.
    """
    spec = RULE_SPECS[rule]

    def check(p: Mapping, t: Thresholds) -> RuleResult:
        threshold = float(getattr(t, rule))
        texts = SENTENCES["chance"]
        chance = p.get(spec.figure)
        if _missing(chance):
            return _result(rule, None, threshold, False, False,
                           texts["missing"].format(what=spec.what, word=spec.word, threshold=pct(threshold, 1)))
        value = 100.0 * float(chance)
        fired = value > threshold
        sentence = texts["fired" if fired else "ok"].format(
            what=spec.what, value=pct(value, 1), word=spec.word, threshold=pct(threshold, 1), verb=verb(spec.level))
        return _result(rule, value, threshold, fired, True, sentence)
    return check


_BY_FAMILY = {"npv": _npv_rule, "irr": lambda rule: rule_min_irr, "interest": lambda rule: rule_interest_on_margin,
              "zoning": _zoning_rule, "divest": lambda rule: rule_divest, "chance": _loss_chance_rule}

#: Every rule of the framework, in the order the board reads them: one project at a time.
RULES: dict[str, Callable[[Mapping, Thresholds], RuleResult]] = {
    rule: _BY_FAMILY[spec.family](rule) for rule, spec in RULE_SPECS.items()}


def verdict_of(results: list[RuleResult]) -> str:
    """The most severe level among the fired rules; DOORGAAN when none fired."""
    fired = [r.level for r in results if r.fired]
    return max(fired, key=SEVERITY.__getitem__) if fired else DOORGAAN
