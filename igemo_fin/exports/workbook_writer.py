"""Write portfolio workbooks (demo data, templates, one-project proposals) in WORKBOOK.md's layout."""

from __future__ import annotations

import io
import os
from typing import BinaryIO

import pandas as pd

from igemo_fin.exports.safe_export import requote_frame
from igemo_fin.columns import CASHFLOW_COLUMNS, CREDIT_COLUMNS, PROJECT_COLUMNS, RISK_COLUMNS
from igemo_fin.inputs.agreement_sheets import AGREEMENT_HEADERS as AGREEMENT_TEMPLATE
from igemo_fin.inputs.operating import COLUMNS as OPERATING_COLUMNS
from igemo_fin.inputs.operating import SHEET as OPERATING_SHEET

__all__ = ["write_workbook", "workbook_bytes", "empty_template"]


def write_workbook(sheets: dict[str, pd.DataFrame], target: str | os.PathLike | BinaryIO) -> None:
    """Write ``sheets`` (name -> frame) as an .xlsx, headers on row 1, in the given order.

    Text cells that start with ``= + - @`` (or tab/CR) are written as text with Excel's quote
    prefix, so they stay text even when a user edits the cell (formula injection).
    """
    with pd.ExcelWriter(target, engine="xlsxwriter",
                        engine_kwargs={"options": {"strings_to_formulas": False,
                                                   "strings_to_urls": False}}) as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name, index=False)
            sheet = writer.sheets[name]
            requote_frame(writer.book, sheet, frame)
            for i, column in enumerate(frame.columns):
                width = max([len(str(column))] + [len(str(v)) for v in frame[column].head(200)]) + 2
                sheet.set_column(i, i, min(width, 50))
            sheet.freeze_panes(1, 0)


def workbook_bytes(sheets: dict[str, pd.DataFrame]) -> bytes:
    buffer = io.BytesIO()
    write_workbook(sheets, buffer)
    return buffer.getvalue()


def empty_template() -> bytes:
    """An empty portfolio workbook with every sheet and header of WORKBOOK.md, for finance to fill in."""
    return workbook_bytes({
        "projecten": pd.DataFrame(columns=list(PROJECT_COLUMNS)),
        "kasstromen": pd.DataFrame(columns=list(CASHFLOW_COLUMNS)),
        "kaskrediet": pd.DataFrame(columns=list(CREDIT_COLUMNS)),
        "drempels": pd.DataFrame(columns=["parameter", "waarde", "toelichting"]),
        "risicos": pd.DataFrame(columns=list(RISK_COLUMNS)),
        "rekeningen": pd.DataFrame(columns=["rekening_prefix", "categorie"]),
        "instellingen": pd.DataFrame(columns=["parameter", "waarde"]),
        # the yearly review of the running (docs/werking.md)
        "kostengroepen": pd.DataFrame(columns=["rekening_prefix", "kostengroep"]),
        "budget_werking": pd.DataFrame(columns=["jaar", "kostengroep", "budget"]),
        "index": pd.DataFrame(columns=["jaar", "waarde"]),
        "werkingsbijdrage": pd.DataFrame(columns=["gemeente", "jaar", "bijdrage", "laatst_geindexeerd"]),
        OPERATING_SHEET: pd.DataFrame(columns=list(OPERATING_COLUMNS)),
    } | {name: pd.DataFrame(columns=list(columns)) for name, columns in AGREEMENT_TEMPLATE.items()})
