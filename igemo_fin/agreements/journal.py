"""A proposed journal of the subsidy regularisations, for finance to book.

Receipts are booked as they come in: bank against 740 *Bedrijfssubsidies en compenserende bedragen*.
At each year end the difference with the income recognised (:mod:`igemo_fin.agreements.subsidies`)
is regularised on the Belgian minimum chart: received but not yet earned goes to 493 *Over te dragen
opbrengsten* (deferred income), earned but not yet received to 491 *Verkregen opbrengsten* (accrued
income). Each year books the movement of either balance against 740, so the balances at every year
end equal the schedule's ``deferred_income`` and ``accrued_income``. Lines follow
:data:`igemo_fin.obligations.journal.JOURNAL_COLUMNS`, so the same export takes them.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

import pandas as pd

from igemo_fin.obligations.exact import cents_of
from igemo_fin.obligations.journal import JOURNAL_COLUMNS

__all__ = ["SubsidyAccounts", "subsidy_journal"]


@dataclass(frozen=True)
class SubsidyAccounts:
    """Accounts of the subsidy regularisation; each ``(account number, Dutch name)``."""

    income: tuple[str, str] = ("740", "Bedrijfssubsidies en compenserende bedragen")
    deferred: tuple[str, str] = ("493", "Over te dragen opbrengsten")
    accrued: tuple[str, str] = ("491", "Verkregen opbrengsten")


def subsidy_journal(schedule: pd.DataFrame, *, years: list[int] | None = None,
                    accounts: SubsidyAccounts = SubsidyAccounts()) -> pd.DataFrame:
    """The regularisation entries of a :func:`~igemo_fin.agreements.subsidies.subsidy_schedule`.

    Parameters
    ----------
    schedule : DataFrame
        The subsidy schedule; only its past years (``is_past``) are journalled.
    years : list of int, optional
        Financial years to journal (default every past year).

    Notes
    -----
    More deferred: debit 740, credit 493; less deferred: debit 493, credit 740. More accrued: debit
    491, credit 740; less accrued: debit 740, credit 491. ``soort`` is ``subsidie``.
    """
    lines: list[tuple] = []
    entry = 0
    past = schedule[schedule["is_past"].astype(bool)]
    for decision, g in past.groupby("besluit", sort=False):
        prev_def = prev_acc = 0
        for row in g.itertuples(index=False):
            d_def = cents_of(row.deferred_income) - prev_def
            d_acc = cents_of(row.accrued_income) - prev_acc
            prev_def, prev_acc = cents_of(row.deferred_income), cents_of(row.accrued_income)
            if years is not None and row.jaar not in years:
                continue
            moves = []
            if d_def:
                moves.append((accounts.income, accounts.deferred, d_def, "over te dragen naar later"))
            if d_acc:
                moves.append((accounts.accrued, accounts.income, d_acc, "verkregen, nog te ontvangen"))
            for debit, credit, cents, what in moves:
                if cents < 0:
                    debit, credit, cents = credit, debit, -cents
                    what = "terugname: " + what
                entry += 1
                date = _dt.date(int(row.jaar), 12, 31)
                text = f"Subsidie {decision} ({row.subsidiegever}), project {row.project_code}: {what}"
                for account, dc in ((debit, (cents / 100, 0.0)), (credit, (0.0, cents / 100))):
                    lines.append((entry, int(row.jaar), date, row.project_code, "", "subsidie", account[0],
                                  account[1], *dc, text, ""))
    return pd.DataFrame(lines, columns=list(JOURNAL_COLUMNS))
