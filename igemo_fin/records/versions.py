"""What changed between two versions of the portfolio workbook.

Every uploaded workbook is stored as a version with a summary of what changed against the previous
one, so finance and the board can see at a glance why the figures moved. :func:`workbook_changes`
computes that summary from the two validated portfolios (a pure function: no files, no database);
:func:`describe_changes` says it in one Dutch sentence.

The summary is a JSON-ready dict (plain ``str``, ``int``, ``float``, ``bool``, ``None``, lists and
dicts), amounts in euros rounded to the cent:

``first_version`` (bool)
    There was no previous version.
``project_count`` (int)
    Projects in the new version.
``projects_added``, ``projects_removed`` (list of str)
    Project codes, in workbook order (the new one for added, the previous one for removed).
``totals_changed`` (list of dict)
    One entry per project present in both and per version (``prognose``, ``begroting``) whose total
    costs or total revenues changed by at least a cent: ``project_code``, ``versie``,
    ``costs_before``, ``costs_after``, ``revenues_before``, ``revenues_after`` (positive magnitudes
    [EUR]), ``net_before``, ``net_after`` and ``net_change`` (revenues - costs [EUR]).
``project_fields_changed`` (list of dict)
    Changed project attributes (status, end year, zoning, market value, sharing, ...) of projects
    present in both: ``project_code``, ``field``, ``before``, ``after``.
``sheets_changed`` (list of str)
    Other parts that differ: ``kaskrediet``, ``drempels``, ``instellingen``, ``risicos``,
    ``rekeningen`` (in that order).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import pandas as pd

from igemo_fin.columns import COST_CATEGORIES, PROJECT_COLUMNS, REVENUE_CATEGORIES, VERSIONS
from igemo_fin.fmt import eur
from igemo_fin.money import to_cents
from igemo_fin.valuation.portfolio import Portfolio

__all__ = ["workbook_changes", "describe_changes", "version_totals"]

SUMMARY_KEYS = ("first_version", "project_count", "projects_added", "projects_removed", "totals_changed",
                "project_fields_changed", "sheets_changed")
"""Keys of the summary returned by :func:`workbook_changes`."""

_OTHER_SHEETS = ("kaskrediet", "drempels", "instellingen", "risicos", "rekeningen")


def _euros(cents: int) -> float:
    return cents / 100.0


def version_totals(portfolio: Portfolio) -> pd.DataFrame:
    """Total costs and revenues per project and version, in integer cents.

    Parameters
    ----------
    portfolio : Portfolio

    Returns
    -------
    pandas.DataFrame
        Indexed by ``(project_code, versie)``: ``costs`` and ``revenues`` (positive magnitudes
        [cents], int64). Every project of ``projecten`` appears for both versions (zeros when it has
        no lines of that version).
    """
    flows = portfolio.cashflows
    codes = portfolio.project_codes
    index = pd.MultiIndex.from_product([codes, list(VERSIONS)], names=["project_code", "versie"])
    if flows.empty:
        return pd.DataFrame({"costs": 0, "revenues": 0}, index=index, dtype=np.int64)
    cost = flows["categorie"].isin(COST_CATEGORIES)
    revenue = flows["categorie"].isin(REVENUE_CATEGORIES)
    frame = pd.DataFrame({
        "project_code": flows["project_code"],
        "versie": flows["versie"],
        "costs": np.where(cost, -flows["bedrag"].to_numpy(dtype=float), 0.0),
        "revenues": np.where(revenue, flows["bedrag"].to_numpy(dtype=float), 0.0),
    })
    sums = frame.groupby(["project_code", "versie"])[["costs", "revenues"]].sum()
    sums = sums.reindex(index, fill_value=0.0)
    return sums.apply(lambda col: col.map(to_cents)).astype(np.int64)


def _plain(value):
    """A JSON-ready scalar: numpy -> Python, NaN/NaT -> None."""
    if value is None:
        return None
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(float(value)) else float(value)
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value


def _same(a, b) -> bool:
    a, b = _plain(a), _plain(b)
    if isinstance(a, float) and isinstance(b, (int, float)) and not isinstance(b, bool):
        return math.isclose(a, float(b), rel_tol=0, abs_tol=1e-9)
    if isinstance(b, float) and isinstance(a, (int, float)) and not isinstance(a, bool):
        return math.isclose(float(a), b, rel_tol=0, abs_tol=1e-9)
    return a == b


def _frames_equal(a: pd.DataFrame | None, b: pd.DataFrame | None, columns: Iterable[str]) -> bool:
    if a is None or b is None:
        return a is None and b is None
    columns = [c for c in columns if c in a.columns or c in b.columns]
    if len(a) != len(b):
        return False
    left = a.reindex(columns=columns).reset_index(drop=True)
    right = b.reindex(columns=columns).reset_index(drop=True)
    for column in columns:
        for x, y in zip(left[column].tolist(), right[column].tolist()):
            if not _same(x, y):
                return False
    return True


def workbook_changes(previous: Portfolio | None, current: Portfolio) -> dict:
    """What changed from ``previous`` to ``current`` (see the module docstring for the keys).

    Parameters
    ----------
    previous : Portfolio or None
        The previous stored version; ``None`` for the first one.
    current : Portfolio
        The version being stored.

    Returns
    -------
    dict
        JSON-ready; amounts in euros to the cent.

    Examples
    --------
    >>> from igemo_fin.valuation.thresholds import Thresholds
    >>> def book(*rows):
    ...     projects = pd.DataFrame({"project_code": sorted({r[0] for r in rows})})
    ...     flows = pd.DataFrame(rows, columns=["project_code", "versie", "jaar", "categorie", "bedrag"])
    ...     credit = pd.DataFrame({"jaar": [2024], "rentevoet_pct": [3.0], "kredietlimiet": [1e6],
    ...                            "rente_werkelijk": [float("nan")]})
    ...     return Portfolio(projects, flows, credit)
    >>> old = book(("A", "prognose", 2024, "verkoop", 100.0), ("B", "prognose", 2024, "studies", -5.0))
    >>> new = book(("A", "prognose", 2024, "verkoop", 150.0), ("C", "prognose", 2024, "studies", -5.0))
    >>> s = workbook_changes(old, new)
    >>> s["projects_added"], s["projects_removed"], s["totals_changed"][0]["net_change"]
    (['C'], ['B'], 50.0)
    """
    now_codes = current.project_codes
    summary: dict = {
        "first_version": previous is None,
        "project_count": len(now_codes),
        "projects_added": [],
        "projects_removed": [],
        "totals_changed": [],
        "project_fields_changed": [],
        "sheets_changed": [],
    }
    if previous is None:
        return summary
    before_codes = previous.project_codes
    before_set, now_set = set(before_codes), set(now_codes)
    summary["projects_added"] = [str(c) for c in now_codes if c not in before_set]
    summary["projects_removed"] = [str(c) for c in before_codes if c not in now_set]
    common = [c for c in now_codes if c in before_set]

    old_totals, new_totals = version_totals(previous), version_totals(current)
    for code in common:
        for version in VERSIONS:
            old = old_totals.loc[(code, version)]
            new = new_totals.loc[(code, version)]
            if int(old["costs"]) == int(new["costs"]) and int(old["revenues"]) == int(new["revenues"]):
                continue
            net_before = int(old["revenues"]) - int(old["costs"])
            net_after = int(new["revenues"]) - int(new["costs"])
            summary["totals_changed"].append({
                "project_code": str(code),
                "versie": version,
                "costs_before": _euros(int(old["costs"])),
                "costs_after": _euros(int(new["costs"])),
                "revenues_before": _euros(int(old["revenues"])),
                "revenues_after": _euros(int(new["revenues"])),
                "net_before": _euros(net_before),
                "net_after": _euros(net_after),
                "net_change": _euros(net_after - net_before),
            })

    old_projects = previous.projects.set_index("project_code")
    new_projects = current.projects.set_index("project_code")
    fields = [c for c in PROJECT_COLUMNS if c != "project_code"
              and (c in old_projects.columns or c in new_projects.columns)]
    for code in common:
        for field in fields:
            a = old_projects.at[code, field] if field in old_projects.columns else None
            b = new_projects.at[code, field] if field in new_projects.columns else None
            if not _same(a, b):
                summary["project_fields_changed"].append(
                    {"project_code": str(code), "field": field, "before": _plain(a), "after": _plain(b)})

    sheets = {
        "kaskrediet": not _frames_equal(previous.credit, current.credit,
                                        ("jaar", "rentevoet_pct", "kredietlimiet", "rente_werkelijk")),
        "drempels": previous.thresholds != current.thresholds,
        "instellingen": previous.settings != current.settings,
        "risicos": not _frames_equal(previous.risks, current.risks, tuple(current.risks.columns)),
        "rekeningen": not _frames_equal(previous.accounts, current.accounts, ("rekening_prefix", "categorie")),
    }
    summary["sheets_changed"] = [name for name in _OTHER_SHEETS if sheets[name]]
    return summary


def _codes(codes: list[str], limit: int = 5) -> str:
    shown = ", ".join(codes[:limit])
    return shown + (f" en {len(codes) - limit} andere" if len(codes) > limit else "")


def describe_changes(summary: dict) -> str:
    """One Dutch sentence for a summary of :func:`workbook_changes`.

    Examples
    --------
    >>> describe_changes({"first_version": True, "project_count": 20})
    'Eerste versie: 20 projecten.'
    >>> describe_changes({"first_version": False, "project_count": 2, "projects_added": ["C"],
    ...                   "projects_removed": [], "totals_changed": [{"project_code": "A", "versie": "prognose",
    ...                   "net_change": 50.0}], "project_fields_changed": [], "sheets_changed": ["drempels"]})
    '1 project toegevoegd (C); prognose gewijzigd bij A (netto € 50); ook gewijzigd: drempels.'
    """
    if summary.get("first_version"):
        n = summary.get("project_count", 0)
        return f"Eerste versie: {n} project{'en' if n != 1 else ''}."
    parts = []
    added = summary.get("projects_added") or []
    removed = summary.get("projects_removed") or []
    if added:
        parts.append(f"{len(added)} project{'en' if len(added) != 1 else ''} toegevoegd ({_codes(added)})")
    if removed:
        parts.append(f"{len(removed)} project{'en' if len(removed) != 1 else ''} verwijderd ({_codes(removed)})")
    totals = summary.get("totals_changed") or []
    for version in VERSIONS:
        changed = [t for t in totals if t.get("versie") == version]
        if not changed:
            continue
        if len(changed) == 1:
            t = changed[0]
            parts.append(f"{version} gewijzigd bij {t['project_code']} (netto {eur(t['net_change'])})")
        else:
            total = sum(t["net_change"] for t in changed)
            parts.append(f"{version} gewijzigd bij {len(changed)} projecten "
                         f"({_codes([t['project_code'] for t in changed])}; netto samen {eur(total)})")
    fields = summary.get("project_fields_changed") or []
    if fields:
        codes = list(dict.fromkeys(f["project_code"] for f in fields))
        parts.append(f"projectgegevens gewijzigd bij {_codes(codes)}")
    sheets = summary.get("sheets_changed") or []
    if sheets:
        parts.append("ook gewijzigd: " + ", ".join(sheets))
    if not parts:
        return "Geen wijzigingen tegenover de vorige versie."
    return "; ".join(parts) + "."
