"""``python -m igemo_fin boardpack (WORKBOOK | --db PATH) --xlsx OUT [--pdf OUT] [--year V]``.

The board pack the button on the page Overzicht gives (:mod:`igemo_fin.exports.boardpack_xlsx`, :mod:`igemo_fin.exports.boardpack_pdf`), from the
same evaluation as ``evaluate``: with ``--db`` the stored workbook, the ledger actuals and the
official thresholds in force; with ledger lines in the database also the section on the running
(:mod:`igemo_fin.exports.boardpack_review`). Exit status 2 when the input is refused or a file cannot be written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from igemo_fin.cli.main import add_source_arguments, basis_from_args, register
from igemo_fin.exports.boardpack_pdf import board_pack_pdf
from igemo_fin.exports.boardpack_xlsx import board_pack_xlsx
from igemo_fin.valuation.evaluate import evaluate


def _configure(p: argparse.ArgumentParser) -> None:
    add_source_arguments(p)
    p.add_argument("--xlsx", required=True, metavar="UIT", help="het Excel-bestand dat gemaakt wordt")
    p.add_argument("--pdf", default=None, metavar="UIT", help="ook de afdrukbare PDF maken, in dit bestand")


def _write(path: str, content: bytes) -> bool:
    try:
        Path(path).write_bytes(content)
    except OSError as exc:
        print(f"Geweigerd: '{path}' kan niet geschreven worden ({exc.strerror or exc}).", file=sys.stderr)
        return False
    return True


def _review(args: argparse.Namespace, portfolio):
    """With ``--db`` and ledger lines in it: the yearly review of the running for its section."""
    from igemo_fin.ingest.stored import existing_store
    from igemo_fin.review.yearly import default_review_year, yearly_review

    store = existing_store(args.db) if args.db else None
    lines = None if store is None else store.ledger_lines()
    if lines is None or lines.empty:
        return None
    return yearly_review(portfolio, lines, default_review_year(lines, portfolio.settings.valuation_year()))


def _run(args: argparse.Namespace) -> int:
    ev = evaluate(basis_from_args(args))
    review = _review(args, ev.basis.portfolio)
    if not _write(args.xlsx, board_pack_xlsx(ev.basis.portfolio, ev, review=review)):
        return 2
    written = [args.xlsx]
    if args.pdf:
        if not _write(args.pdf, board_pack_pdf(ev.basis.portfolio, ev, review=review)):
            return 2
        written.append(args.pdf)
    print(f"Bestuurspakket voor de waardering op 01/01/{ev.valuation_year} gemaakt: {', '.join(written)}.")
    print(ev.basis.describe())
    return 0


register("boardpack", _configure, _run)
