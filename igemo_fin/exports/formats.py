"""Cell formats every Excel export shares, so a euro amount looks the same in each file."""

from __future__ import annotations

__all__ = ["EUR_FORMAT", "PERCENT_FORMAT", "TITLE", "landscape_a4"]

#: Euro amounts, nl-BE; Excel shows them with the viewer's separators.
EUR_FORMAT = '[$€-813] #,##0.00;[$€-813] -#,##0.00'
#: A fraction shown as a percentage with two decimals.
PERCENT_FORMAT = "0.00%"
#: Properties of a sheet's title cell.
TITLE = {"bold": True, "font_size": 14}


def landscape_a4(sheet, *, pages_tall: int = 0) -> None:
    """Print ``sheet`` landscape on A4, one page wide and ``pages_tall`` pages tall (0: as many as needed)."""
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, pages_tall)
