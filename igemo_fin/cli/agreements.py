"""``python -m igemo_fin agreements (WERKBOEK | --db PAD) [--json]``: land funds, subsidies, invoicing terms.

The JSON (:meth:`igemo_fin.agreements.summary.AgreementsView.as_json`) holds per fund
``balance_by_year``, ``settlement_forecast`` and ``igemo_share``; per subsidy ``recognised_by_year``,
``received_by_year``, ``deferred_income`` and ``cofinancing_by_municipality``; per project with
invoicing terms ``prefinancing_peak`` and ``interest_saved`` under the proposed terms. Importing this
module registers the command.
"""

from __future__ import annotations

import argparse

from igemo_fin.cli.main import add_source_arguments, basis_from_args, print_json, register
from igemo_fin.fmt import eur

__all__ = ["run_agreements", "agreements_text"]


def _configure(p: argparse.ArgumentParser) -> None:
    add_source_arguments(p)
    p.add_argument("--json", action="store_true", help="één JSON-object afdrukken in plaats van een tabel")


def agreements_text(view) -> str:
    """A short Dutch overview for the terminal."""
    lines = [view.ev.basis.describe(), ""]
    if view.empty:
        return "\n".join(lines + ["Het werkboek heeft geen grondfondsen, subsidies of facturatieafspraken."])
    for f in view.settlements.itertuples(index=False):
        lines.append(f"Grondfonds {f.fonds} ({f.gemeente}, tot {f.eindjaar}): eindsaldo {eur(f.balance_end)}, "
                     f"IGEMO {eur(f.igemo_share)}, partner {eur(f.partner_share)}")
    for c in view.cofinancing.itertuples(index=False):
        lines.append(f"Cofinanciering {c.besluit} door {c.gemeente}: verschuldigd {eur(c.owed_to_date)}, "
                     f"gefactureerd {eur(c.invoiced)}, nog te factureren {eur(c.to_invoice)}")
    for p in view.prefinancing.itertuples(index=False):
        line = f"Voorfinanciering {p.project_code}: piek {eur(p.prefinancing_peak)}, rente {eur(p.interest)}"
        if p.interest_proposed == p.interest_proposed:  # not NaN: there is a proposal
            line += f"; voorstel bespaart {eur(p.interest_saved)} rente en verlaagt de piek met {eur(p.peak_lowered)}"
        lines.append(line)
    lines.extend(view.warnings)
    return "\n".join(lines)


def run_agreements(args: argparse.Namespace) -> int:
    from igemo_fin.agreements.summary import agreements_view
    from igemo_fin.valuation.evaluate import evaluate

    view = agreements_view(evaluate(basis_from_args(args)))
    print_json(view.as_json()) if args.json else print(agreements_text(view))
    return 0


register("agreements", _configure, run_agreements)
