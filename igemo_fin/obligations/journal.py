"""A proposed journal of the provision entries, for finance to book.

Accounts (a choice where DOMAIN.md is silent, documented for finance): the Belgian minimum chart
after the 2016 reform of the MAR. 164 *Voorzieningen voor andere risico's en kosten* against 6380
(addition) / 6381 (use and release); stock write-downs on 359 (*Onroerende goederen bestemd voor
verkoop: geboekte waardeverminderingen*) against 6310 / 6311. Pre-2016 charts used 163-165 and
637: pass other :class:`JournalAccounts` to change them.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

import pandas as pd

from igemo_fin.obligations.exact import cents_of
from igemo_fin.obligations.profit_sharing import provision_movements
from igemo_fin.valuation.evaluate import Evaluation
from igemo_fin.valuation.portfolio import Portfolio

__all__ = ["JOURNAL_COLUMNS", "JournalAccounts", "provision_journal"]

#: :func:`provision_journal`: two or more lines per entry (debit and credit balance per ``boeking``).
JOURNAL_COLUMNS = (
    "boeking",        # entry number, 1..n
    "boekjaar",       # financial year of the entry
    "datum",          # datetime.date: 31 December of the financial year
    "project_code", "gemeente",
    "soort",          # "winstdeling" (profit-share provision) or "waardevermindering"
    "rekening",       # account number (text)
    "rekening_naam",  # account name (Dutch)
    "debet",          # [EUR] 0 on a credit line
    "credit",         # [EUR] 0 on a debit line
    "omschrijving",   # what the entry does, in Dutch
    "opmerking",      # a caveat for finance, or ""
)


@dataclass(frozen=True)
class JournalAccounts:
    """Accounts of the proposed journal (Belgian minimum chart, MAR after 2016).

    Each field is ``(account number, Dutch name)``.
    """

    provision: tuple[str, str] = ("164", "Voorzieningen voor andere risico's en kosten")
    provision_addition: tuple[str, str] = (
        "6380", "Voorzieningen voor andere risico's en kosten: toevoeging")
    provision_release: tuple[str, str] = (
        "6381", "Voorzieningen voor andere risico's en kosten: besteding en terugneming")
    stock_write_down: tuple[str, str] = (
        "359", "Onroerende goederen bestemd voor verkoop: geboekte waardeverminderingen")
    stock_write_down_addition: tuple[str, str] = ("6310", "Waardeverminderingen op voorraden: toevoeging")
    stock_write_down_release: tuple[str, str] = ("6311", "Waardeverminderingen op voorraden: terugneming")


def provision_journal(portfolio: Portfolio, ev: Evaluation, *, years: list[int] | None = None,
                      write_down_frame: pd.DataFrame | None = None,
                      accounts: JournalAccounts = JournalAccounts()) -> pd.DataFrame:
    """A proposed journal of the provision entries (Belgian minimum chart), for finance to book.

    Parameters
    ----------
    portfolio, ev
        The workbook and its evaluation.
    years : list of int, optional
        Financial years to journal; default every year before ``V`` (the whole build-up of
        :func:`~igemo_fin.obligations.profit_sharing.provision_movements`). ``[V - 1]`` gives only
        the closing being prepared.
    write_down_frame : DataFrame, optional
        A :func:`~igemo_fin.obligations.write_downs.write_downs` frame: its movements are journalled
        in year ``V - 1`` (when the previous write-down is unknown, the whole write-down, with a remark).
    accounts : JournalAccounts
        The accounts to use.

    Returns
    -------
    DataFrame
        :data:`JOURNAL_COLUMNS`; every ``boeking`` balances (debit = credit).

    Notes
    -----
    Addition to the profit-share provision: debit 6380, credit 164. Release: debit 164, credit 6381.
    Stock write-down: debit 6310, credit 359; its reversal: debit 359, credit 6311.
    """
    V = ev.valuation_year
    wanted = set(years) if years is not None else None
    moves = provision_movements(portfolio, ev)
    moves = moves[moves["is_past"]]
    if wanted is not None:
        moves = moves[moves["jaar"].isin(wanted)]
    lines: list[tuple] = []
    entry = 0

    def book(year, code, gemeente, kind, debit, credit, cents, text, remark=""):
        nonlocal entry
        entry += 1
        date = _dt.date(int(year), 12, 31)
        lines.append((entry, int(year), date, code, gemeente, kind, debit[0], debit[1], cents / 100.0, 0.0,
                      text, remark))
        lines.append((entry, int(year), date, code, gemeente, kind, credit[0], credit[1], 0.0, cents / 100.0,
                      text, remark))

    for m in moves.itertuples(index=False):
        add_c, rel_c = cents_of(m.addition), cents_of(m.release)
        if add_c > 0:
            book(m.jaar, m.project_code, m.gemeente, "winstdeling", accounts.provision_addition,
                 accounts.provision, add_c,
                 f"Winstdeling gemeente {m.gemeente}, project {m.project_code}: toevoeging aan de voorziening "
                 f"({m.jaar})")
        if rel_c > 0:
            book(m.jaar, m.project_code, m.gemeente, "winstdeling", accounts.provision,
                 accounts.provision_release, rel_c,
                 f"Winstdeling gemeente {m.gemeente}, project {m.project_code}: terugneming van de voorziening "
                 f"({m.jaar})")
    if write_down_frame is not None and (wanted is None or V - 1 in wanted):
        for w in write_down_frame.itertuples(index=False):
            current_c = cents_of(w.write_down)
            known = not pd.isna(w.write_down_previous)
            movement_c = current_c - (cents_of(w.write_down_previous) if known else 0)
            remark = "" if known else "vorige waardevermindering onbekend: volledig bedrag voorgesteld"
            if cents_of(w.write_down_as_provision) > 0:
                extra = ("de waardevermindering is groter dan de boekwaarde: het deel erboven "
                         f"({cents_of(w.write_down_as_provision) / 100:.2f} EUR) hoort als voorziening "
                         f"({accounts.provision[0]}/{accounts.provision_addition[0]})")
                remark = f"{remark}; {extra}" if remark else extra
            if movement_c > 0:
                book(V - 1, w.project_code, w.gemeente, "waardevermindering", accounts.stock_write_down_addition,
                     accounts.stock_write_down, movement_c,
                     f"Waardevermindering grondvoorraad project {w.project_code} (aandeel IGEMO in het verwachte "
                     "verlies)", remark)
            elif movement_c < 0:
                book(V - 1, w.project_code, w.gemeente, "waardevermindering", accounts.stock_write_down,
                     accounts.stock_write_down_release, -movement_c,
                     f"Terugneming waardevermindering grondvoorraad project {w.project_code}", remark)
    return pd.DataFrame(lines, columns=list(JOURNAL_COLUMNS))
