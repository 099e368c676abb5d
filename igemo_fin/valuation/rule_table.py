"""The decision framework over every project at once: the rules frame and the verdicts.

:func:`decide` gives, row for row, what the one-project rules of :mod:`igemo_fin.valuation.rules`
give (same values, same Dutch sentences from the same templates), with numpy arrays over all active
projects instead of a Python call per project and rule: at a thousand projects the formatting of
the sentences, not the arithmetic, used to be most of an evaluation.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from string import Formatter

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from igemo_fin.fmt import eur, eur_texts, pct, pct_texts, year_texts, years
from igemo_fin.valuation.rules import RULE_COLUMNS, RULE_SPECS, SENTENCES, VERDICTS, RuleSpec, verb
from igemo_fin.valuation.text_arrays import equals_text, str_array
from igemo_fin.valuation.thresholds import THRESHOLD_INFO, Thresholds

__all__ = ["decide", "judge", "fill"]


def fill(template: str, size: int, **fields) -> pa.Array:
    """``template.format(**fields)`` for ``size`` rows at once, as an Arrow string array.

    Each field is a str (the same in every row) or a sequence of ``size`` str (an object array or an
    Arrow array); the template holds plain ``{name}`` fields only, so the result equals
    ``str.format`` row by row. The rows are joined by Arrow in UTF-8, which the rules frame keeps:
    no Python string is made per sentence.

    >>> fill("{a} en {b}.", 2, a="x", b=np.array(["1", "2"], dtype=object)).to_pylist()
    ['x en 1.', 'x en 2.']
    """
    constants = tuple(sorted((k, v) for k, v in fields.items() if isinstance(v, str)))
    parts = _parts(template, constants)
    if len(parts) == 1:
        return pa.repeat(_literal(parts[0]), size)
    pieces = [_literal(part) if i % 2 == 0 else _text_array(fields[part]) for i, part in enumerate(parts) if part or i % 2]
    return pc.binary_join_element_wise(*pieces, _literal(""))


_TEXT = pa.large_string()  # the type pandas' "str" dtype keeps its strings in


@lru_cache(maxsize=1024)
def _literal(text: str) -> pa.Scalar:
    return pa.scalar(text, _TEXT)


def _text_array(values) -> pa.Array:
    if isinstance(values, pa.Array):
        return values if values.type == _TEXT else values.cast(_TEXT)
    return pa.array(values, type=_TEXT)


@lru_cache(maxsize=512)
def _parts(template: str, constants: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    """``template`` split into literal, row field, literal, ..., literal (an odd number of parts), with
    the constant fields written into the literals: a sentence template is read once per threshold
    set, not once per evaluation.

    >>> _parts("{a} en {b}.", (("a", "x"),))
    ('x en ', 'b', '.')
    """
    known = dict(constants)
    parts, literal = [], ""
    for text, name, _spec, _conversion in Formatter().parse(template):
        literal += text
        if name is None:
            continue
        if name in known:
            literal += known[name]
        else:
            parts += [literal, name]
            literal = ""
    return (*parts, literal)


class _Column:
    """One rule's outcome for every project, filled case by case."""

    def __init__(self, size: int, threshold: float) -> None:
        self.value = np.full(size, np.nan)
        self.threshold = threshold
        self.fired = np.zeros(size, dtype=bool)
        self.evaluated = np.ones(size, dtype=bool)
        self.sentences: list[tuple[np.ndarray, pa.Array]] = []  #: (rows, their sentences) per case

    def put(self, mask: np.ndarray, template: str, **fields) -> None:
        """The sentences of the rows of ``mask``; array fields are indexed by the mask (only those
        the template uses)."""
        rows = np.flatnonzero(mask)
        if rows.size:
            constants = {k: v for k, v in fields.items() if isinstance(v, str)}
            used = _parts(template, tuple(sorted(constants.items())))[1::2]
            chosen = {k: fields[k].take(rows) if isinstance(fields[k], pa.Array) else fields[k][rows] for k in used}
            self.sentences.append((rows, fill(template, rows.size, **constants, **chosen)))


def _floats(figures: pd.DataFrame, column: str) -> np.ndarray:
    """A figure as floats, NaN where missing (None, NaN or an absent column)."""
    if column not in figures:
        return np.full(len(figures), np.nan)
    values = figures[column]
    if values.dtype == np.float64:  # the engine's own figures: nothing to convert
        return values.to_numpy()
    return pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def _int_texts(values: np.ndarray, rows: np.ndarray) -> pa.Array:
    """``str(int(v))`` where ``rows`` holds, missing elsewhere; by Arrow's cast (no Python string per
    value).

    >>> _int_texts(np.array([2015.0, np.nan, -3.0]), np.array([True, False, True])).to_pylist()
    ['2015', None, '-3']
    """
    whole = np.where(rows, values, 0).astype(np.int64)
    return pc.cast(pa.array(whole, mask=~rows), _TEXT)


class _Figures:
    """The active projects' figures as arrays, each read and formatted at most once."""

    def __init__(self, figures: pd.DataFrame) -> None:
        self.frame = figures
        self.size = len(figures)
        self._once: dict[tuple, np.ndarray] = {}

    def once(self, key: tuple, make: Callable[[], np.ndarray]) -> np.ndarray:
        """``make()``, computed on the first call with ``key`` only (rules of a family share it)."""
        if key not in self._once:
            self._once[key] = make()
        return self._once[key]

    def floats(self, column: str) -> np.ndarray:
        return self.once(("floats", column), lambda: _floats(self.frame, column))

    def eur(self, key: str, values: np.ndarray) -> np.ndarray:
        return self.once(("eur", key), lambda: eur_texts(values, arrow=True))


def _npv(rule: str, spec: RuleSpec, f: _Figures, t: Thresholds) -> _Column:
    threshold = float(getattr(t, rule))
    col = _Column(f.size, threshold)
    col.value = f.floats("npv_forward")
    col.fired = col.value < threshold
    texts = {"value": f.eur("npv", col.value), "word": spec.word, "threshold": eur(threshold),
             "verb": verb(spec.level)}
    col.put(col.fired, SENTENCES["npv"]["fired"], **texts)
    col.put(~col.fired, SENTENCES["npv"]["ok"], **texts)
    return col


def _irr(rule: str, spec: RuleSpec, f: _Figures, t: Thresholds) -> _Column:
    threshold = float(t.min_irr_pct)
    col = _Column(f.size, threshold)
    irr = f.floats("irr_full_life")
    missing = np.isnan(irr)
    col.value = 100.0 * irr
    col.fired = missing | (col.value < threshold)
    texts = {"value": pct_texts(col.value, arrow=True), "threshold": pct(threshold)}
    col.put(missing, SENTENCES["irr"]["missing"])
    col.put(~missing & col.fired, SENTENCES["irr"]["fired"], **texts)
    col.put(~missing & ~col.fired, SENTENCES["irr"]["ok"], **texts)
    return col


def _interest(rule: str, spec: RuleSpec, f: _Figures, t: Thresholds) -> _Column:
    threshold = float(t.max_rente_op_marge_pct)
    col = _Column(f.size, threshold)
    interest, inflow = f.floats("interest_future"), f.floats("future_net_inflow")
    nothing = inflow <= 0
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # such rows are "nothing" or inf
        share = 100.0 * interest / inflow
    col.value = np.where(nothing, np.nan, share)
    col.fired = np.where(nothing, interest > 0, share > threshold)
    texts = {"inflow": f.eur("inflow", inflow), "interest": f.eur("interest", interest),
             "value": pct_texts(col.value, 1, arrow=True), "threshold": pct(threshold, 1)}
    sentences = SENTENCES["interest"]
    col.put(nothing & col.fired, sentences["nothing_fired"], **texts)
    col.put(nothing & ~col.fired, sentences["nothing_ok"], **texts)
    col.put(~nothing & col.fired, sentences["fired"], **texts)
    col.put(~nothing & ~col.fired, sentences["ok"], **texts)
    return col


def _zoning(rule: str, spec: RuleSpec, f: _Figures, t: Thresholds) -> _Column:
    threshold = float(getattr(t, rule))
    col = _Column(f.size, threshold)
    sure, value, value_texts, start_texts = f.once(("zoning",), lambda: _years_open(f.frame))
    open_ = ~sure
    col.value = value
    col.fired = open_ & (value > threshold)
    texts = {"word": spec.word, "threshold": years(threshold), "verb": verb(spec.level), "value": value_texts,
             "start": start_texts}
    sentences = SENTENCES["zoning"]
    col.put(sure, sentences["sure"], **texts)
    col.put(open_ & col.fired, sentences["fired"], **texts)
    col.put(open_ & ~col.fired, sentences["ok"], **texts)
    return col


def _years_open(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """What both zoning rules read: whether the zoning is sure, the years since the start where it is
    not (NaN where it is) and both as text."""
    # bool() of each cell, as the one-project rule reads it (NaN counts as true there too)
    zeker = frame["bestemming_zeker"]
    sure = zeker.to_numpy() if zeker.dtype == bool else np.array([bool(x) for x in zeker.tolist()], dtype=bool)
    start = frame["startjaar"].to_numpy()
    open_ = ~sure
    value = np.full(len(frame), np.nan)
    if open_.any():
        value[open_] = (frame["valuation_year"].to_numpy()[open_] - start[open_]).astype(float)
    return sure, value, year_texts(value, arrow=True), _int_texts(start, open_)


def _divest(rule: str, spec: RuleSpec, f: _Figures, t: Thresholds) -> _Column:
    threshold = float(t.afstoten_voordeel_min)
    col = _Column(f.size, threshold)
    market, npv = f.floats("marktwaarde_huidige_staat"), f.floats("npv_forward")
    missing = np.isnan(market)
    col.value = market - npv
    col.fired = ~missing & (col.value > threshold)
    col.evaluated = ~missing
    sentences = SENTENCES["divest"]
    texts = {"market": eur_texts(market, arrow=True), "gain": eur_texts(np.abs(col.value), arrow=True),
             "npv": f.eur("npv", npv)}
    sell = ~missing & (col.value >= 0)
    develop = ~missing & ~(col.value >= 0)
    col.put(missing, sentences["missing"])
    # the one-project rule's head + tail, as one template per case
    for head, rows in (("sell_gains", sell), ("develop_gains", develop)):
        col.put(rows & col.fired, sentences[head] + sentences["fired"], **texts, threshold=eur(threshold))
        col.put(rows & ~col.fired, sentences[head] + sentences["ok"], **texts, threshold=eur(threshold))
    return col


def _chance(rule: str, spec: RuleSpec, f: _Figures, t: Thresholds) -> _Column:
    threshold = float(getattr(t, rule))
    col = _Column(f.size, threshold)
    chance = f.floats(spec.figure)
    missing = np.isnan(chance)
    col.value = 100.0 * chance
    col.fired = ~missing & (col.value > threshold)
    col.evaluated = ~missing
    texts = {"what": spec.what, "word": spec.word, "threshold": pct(threshold, 1), "verb": verb(spec.level),
             "value": pct_texts(col.value, 1, arrow=True)}
    col.put(missing, SENTENCES["chance"]["missing"], **texts)
    col.put(~missing & col.fired, SENTENCES["chance"]["fired"], **texts)
    col.put(~missing & ~col.fired, SENTENCES["chance"]["ok"], **texts)
    return col


_FAMILIES = {"npv": _npv, "irr": _irr, "interest": _interest, "zoning": _zoning, "divest": _divest,
             "chance": _chance}


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
        :data:`~igemo_fin.valuation.rules.RULE_COLUMNS`, one row per active project and rule (projects
        in the order of ``figures``, rules in the order of :data:`~igemo_fin.valuation.rules.RULES`);
        ``value`` is NaN where the one-project rule gives None.
    """
    return judge(figures, thresholds)[0]


def judge(figures: pd.DataFrame, thresholds: Thresholds) -> tuple[pd.DataFrame, np.ndarray]:
    """:func:`decide`'s frame and each row's verdict (an object array in the order of ``figures``,
    None for a project that is not active): the most severe fired rule of each, as
    :func:`~igemo_fin.valuation.rules.verdict_of` gives it for one project."""
    is_active = equals_text(figures["status"], "actief")
    verdict = np.full(len(figures), None, dtype=object)
    active = figures if is_active.all() else figures[is_active]
    n, k = len(active), len(RULE_SPECS)
    if n == 0:
        return pd.DataFrame(columns=list(RULE_COLUMNS)), verdict
    f = _Figures(active)
    columns = [_FAMILIES[spec.family](rule, spec, f, thresholds) for rule, spec in RULE_SPECS.items()]
    # the position in VERDICTS is the severity; the most severe fired rule gives the verdict
    worst = np.zeros(n, dtype=np.int64)
    for column, spec in zip(columns, RULE_SPECS.values()):
        worst = np.maximum(worst, np.where(column.fired, VERDICTS.index(spec.level), 0))
    verdict[is_active] = np.array(VERDICTS, dtype=object)[worst]

    def interleave(parts: list) -> np.ndarray:
        # project-major, rule-minor: row i * k + j is project i, rule j
        return np.stack([np.broadcast_to(np.asarray(p), (n,)) for p in parts], axis=1).ravel()

    each_project = np.repeat(np.arange(n), k)
    rule_names, labels, levels = (str_array(texts) for texts in _rule_texts(n))
    rules = pd.DataFrame({  # every column is new here: nothing to copy
        "project_code": active["project_code"].array.take(each_project),
        "rule": rule_names,
        "label": labels,
        "value": interleave([c.value for c in columns]),
        "threshold": np.tile(np.array([c.threshold for c in columns], dtype=float), n),
        "fired": interleave([c.fired for c in columns]),
        "level": levels,
        "evaluated": interleave([c.evaluated for c in columns]),
        "sentence": str_array(_sentences(columns, n)),
    }, copy=False)
    return rules, verdict


@lru_cache(maxsize=4)
def _rule_texts(n: int) -> tuple[pa.Array, ...]:
    """Each rule's name, label and level on the rows of ``n`` projects (row ``i * k + j`` is rule j),
    as Arrow strings: those are immutable, so the evaluations of one portfolio (another basis, a
    page's rerun) share them."""
    each_rule = pa.array(np.tile(np.arange(len(RULE_SPECS)), n))
    return tuple(pa.array(texts, type=_TEXT).take(each_rule) for texts in (
        list(RULE_SPECS), [THRESHOLD_INFO[r].label for r in RULE_SPECS], [s.level for s in RULE_SPECS.values()]))


def _sentences(columns: list[_Column], n: int) -> pa.Array:
    """Every column's sentences in the frame's order (row ``i * k + j`` is project i, rule j): one take
    from all the cases' arrays; a row no case wrote (none should) gets an empty sentence."""
    k = len(columns)
    rows = [r * k + j for j, column in enumerate(columns) for r, _ in column.sentences]
    arrays = [a for column in columns for _, a in column.sentences] + [pa.array([""], type=_TEXT)]
    written = sum(r.size for r in rows)
    position = np.full(n * k, written, dtype=np.int64)  # by default the empty sentence, the last
    if rows:
        position[np.concatenate(rows)] = np.arange(written)
    return pa.concat_arrays(arrays).take(pa.array(position))
