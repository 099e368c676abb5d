"""The board pack's two files for the page Overzicht, written when their button is clicked.

The writers (Excel with live formulas, the PDF with its charts) and what they import are loaded then,
not when the overview first loads: about 20 ms of the first run after a start of the server, on top of
what the overview imports anyway (``python -X importtime``), and most visits never download the pack.
"""

from __future__ import annotations

from igemo_fin.review.yearly import YearlyReview
from igemo_fin.valuation.evaluate import Evaluation
from igemo_fin.valuation.portfolio import Portfolio

__all__ = ["pack_pdf", "pack_xlsx"]


def pack_xlsx(portfolio: Portfolio, ev: Evaluation, review: YearlyReview | None) -> bytes:
    """:func:`igemo_fin.exports.boardpack_xlsx.board_pack_xlsx`, imported on the first click."""
    from igemo_fin.exports.boardpack_xlsx import board_pack_xlsx

    return board_pack_xlsx(portfolio, ev, review=review)


def pack_pdf(portfolio: Portfolio, ev: Evaluation, review: YearlyReview | None) -> bytes:
    """:func:`igemo_fin.exports.boardpack_pdf.board_pack_pdf`, imported on the first click."""
    from igemo_fin.exports.boardpack_pdf import board_pack_pdf

    return board_pack_pdf(portfolio, ev, review=review)
