"""The review's lists of lines for correction (:mod:`igemo_fin.review.overhead`) as Excel files.

One sheet per list, Dutch headers, the description and document of each line as text that is never a
formula (:class:`~igemo_fin.exports.safe_export.SafeXlsxWriter`), amounts in euros, and an empty
column ``correcte_projectcode`` for finance to fill in while it fixes the coding at the source.
"""

from __future__ import annotations

import datetime as dt
import io
import math

import pandas as pd

from igemo_fin.exports.formats import EUR_FORMAT, TITLE
from igemo_fin.exports.safe_export import SafeXlsxWriter, sheet_name

__all__ = ["LIST_HEADERS", "lines_xlsx"]

#: Column of the list -> Dutch header, in the order written.
LIST_HEADERS = {
    "date": "Datum", "journal": "Dagboek", "document": "Stuknummer", "account": "Rekening",
    "description": "Omschrijving", "project_code": "Projectcode", "group": "Kostengroep", "cost": "Bedrag (kost)",
    "reason": "Waarom op de lijst", "import_id": "Import", "row": "Rij in de export",
}
_FILL_IN = "Correcte projectcode"


def lines_xlsx(lines: pd.DataFrame, *, title: str, sheet: str = "Lijnen") -> bytes:
    """``lines`` (:data:`~igemo_fin.review.overhead.LIST_COLUMNS`) as an .xlsx for correction."""
    buffer = io.BytesIO()
    w = SafeXlsxWriter.open(buffer)
    ws = w.book.add_worksheet(sheet_name(sheet))
    head = {"bold": True, "bottom": 1, "text_wrap": True, "valign": "top"}
    money = w.fmt(num_format=EUR_FORMAT)
    day = w.fmt(num_format="dd/mm/yyyy")
    w.text(ws, 0, 0, title, **TITLE)
    columns = [c for c in LIST_HEADERS if c in lines.columns]
    for c, name in enumerate(columns + [_FILL_IN]):
        w.text(ws, 2, c, LIST_HEADERS.get(name, name), **head)
    for r, record in enumerate(lines[columns].to_dict("records"), start=3):
        for c, name in enumerate(columns):
            value = record[name]
            if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
                ws.write_blank(r, c, None)
            elif name == "date":
                ws.write_datetime(r, c, dt.datetime.combine(pd.Timestamp(value).date(), dt.time()), day)
            elif name == "cost":
                ws.write_number(r, c, float(value), money)
            elif name in ("import_id", "row"):
                ws.write_number(r, c, int(value))
            else:
                w.text(ws, r, c, value)
    for c, name in enumerate(columns + [_FILL_IN]):
        ws.set_column(c, c, {"description": 44, "reason": 60, "date": 11}.get(name, 14))
    ws.freeze_panes(3, 0)
    ws.autofilter(2, 0, 2 + len(lines), len(columns))
    w.book.close()
    return buffer.getvalue()
