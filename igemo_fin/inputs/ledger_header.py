"""Recognise the header row of a ledger export from the *words* in its cells.

Accounting packages name the same column in many ways (``Rekening``, ``Code grootboekrekening``,
``Grootboekrekening (code)``, ``G/L Account No.``, ``Compte``...). A header cell is split into
words, case, accents, punctuation and currency words ignored; each word is matched against word
roots, also inside Dutch compounds (``transactiedatum`` holds ``datum``, ``kostenplaatscode`` holds
``kostenplaats``). The roots a cell holds decide its field, in this order:

1. a root that makes the column something else (``tegenrekening``, ``vervaldatum``, an amount in
   foreign currency or VAT, a running balance, a type) leaves the cell unrecognised;
2. a date root (``datum``, ``date``) makes it the date, whatever it qualifies (``documentdatum``);
3. ``debet``/``debit`` and ``credit`` make the debit or credit column (``debet bedrag``);
4. a name root (``omschrijving``, ``naam``, ``libellé``...) with another field's root is the *name* of
   that thing (``Omschrijving grootboekrekening``, ``Naam project``), not a field: never the account;
5. a project root (``project``, ``analytisch``, ``kostenplaats``...) makes the project, even beside
   ``rekening`` (``analytische rekening``);
6. then description, account, amount, journal and document.

Within a field, some names rank above others (a booking date above a plain date, above a document
date; ``bedrag`` above ``saldo``). When two cells of the same rank could be the same field, the
header is *ambiguous*: the reader refuses it and names both cells rather than pick one.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

__all__ = [
    "FIELDS",
    "FIELD_NL",
    "HEADER_NAMES",
    "HEADER_SEARCH_ROWS",
    "Header",
    "classify_header_cell",
    "column_letter",
    "find_header",
    "header_words",
    "match_header",
    "normalise_text",
]

FIELDS = ("date", "account", "amount", "debit", "credit", "project", "description", "journal", "document")
"""Every field a ledger line may have; date, account, project and an amount are required."""

FIELD_NL = {
    "date": "datum", "account": "rekening", "amount": "bedrag", "debit": "debet",
    "credit": "credit", "project": "project", "description": "omschrijving",
    "journal": "dagboek", "document": "document",
}
"""The field names as finance reads them."""

HEADER_NAMES: Mapping[str, tuple[str, ...]] = {
    "date": ("boekdatum", "datum transactie", "documentdatum", "date comptable", "posting date"),
    "account": ("rekening", "code grootboekrekening", "nr. rekening", "compte", "account"),
    "amount": ("bedrag", "bedrag (EUR)", "saldo", "montant", "amount"),
    "debit": ("debet", "debet bedrag", "débit", "debit amount"),
    "credit": ("credit", "credit bedrag", "crédit", "credit amount"),
    "project": ("projectcode", "analytische code", "kostenplaats", "code analytique", "project"),
    "description": ("omschrijving", "libellé", "description", "tekst"),
    "journal": ("dagboek", "journal", "code journal"),
    "document": ("stuknummer", "boekstuk", "document", "n° pièce", "factuurnummer"),
}
"""Examples of recognised headers per field, for messages and documentation (recognition itself
goes by the words, see :func:`classify_header_cell`)."""

HEADER_SEARCH_ROWS = 50
"""Rows from the top of a sheet searched for the header."""

# Roots, matched as the start of a word, or anywhere in a word of 7+ letters for Dutch compounds
# ("grootboekrekening"); roots of two letters only as a whole word, of three letters as a whole
# word or the start of a long one ("gl" must not find "global"). Longer roots are tried first and
# use up their letters, so "tegenrekening" does not also count as "rekening".
_ROOTS: dict[str, str] = {
    # things that are not a ledger field at all
    "tegenrekening": "other", "tegenboeking": "other", "contrepartie": "other", "contra": "other",
    "bal": "other", "offset": "other",
    "verval": "other", "due": "other", "echeance": "other", "aangemaakt": "other", "created": "other",
    "creation": "other", "gewijzigd": "other", "wijziging": "other", "modified": "other",
    "valuta": "other", "devise": "other", "currency": "other", "fcy": "other", "vv": "other",
    "acy": "other", "vreemde": "other", "btw": "other", "vat": "other", "tva": "other",
    "cumul": "other", "cumulatief": "other", "lopend": "other", "running": "other",
    "type": "other", "soort": "other", "sorte": "other", "aantal": "other", "quantity": "other",
    "quantite": "other", "status": "other", "periode": "other", "period": "other",
    "boekjaar": "other", "exercice": "other", "fiscal": "other", "fc": "other", "sc": "other",
    "journaalpost": "document", "entry": "entry", "entries": "entry",
    # dates
    "datum": "date", "date": "date",
    # debit and credit
    "debet": "debit", "debit": "debit", "credit": "credit",
    # names of things
    "omschrijving": "name", "beschrijving": "name", "description": "name", "naam": "name",
    "name": "name", "nom": "name", "libelle": "name", "intitule": "name", "label": "name",
    "tekst": "text", "text": "text", "commentaar": "text", "comment": "text", "memo": "text",
    "opmerking": "text", "mededeling": "text", "communication": "text", "remark": "text",
    "detail": "text",
    # projects
    "project": "project", "projet": "project", "job": "project", "analytisch": "analytic",
    "analytische": "analytic", "analytic": "analytic", "analytical": "analytic",
    "analytique": "analytic", "kostenplaats": "analytic", "kostendrager": "cost_unit",
    "center": "analytic", "centre": "analytic",
    # accounts
    "grootboek": "account", "rekening": "account", "account": "account", "compte": "account",
    "acct": "account",
    # amounts
    "bedrag": "amount", "amount": "amount", "montant": "amount", "saldo": "balance",
    "solde": "balance", "balance": "balance",
    # journals and documents
    "dagboek": "journal", "journal": "journal", "journaal": "journal",
    "document": "document", "doc": "document", "stuk": "document", "boekstuk": "document", "piece": "document",
    "voucher": "document", "factuur": "invoice", "facture": "invoice", "invoice": "invoice",
    "referentie": "invoice", "reference": "invoice", "extern": "invoice", "external": "invoice",
}
_UNIT_WORDS = frozenset({"eur", "euro", "in", "lcy", "lv", "lc", "bv"})
_ROOT_LIST = sorted(_ROOTS, key=len, reverse=True)
_COMPOUND_MIN = 7

# Rank qualifiers: a date with a booking word ranks first, a plain date second, a document date last.
_BOOKING_DATE = ("boek", "posting", "booking", "comptab", "transact", "entry", "registratie")
_DOCUMENT_DATE = ("document", "factuur", "facture", "invoice", "piece", "stuk")


@dataclass(frozen=True)
class Header:
    """A recognised header row: its 0-based index in the table, field -> 0-based column, field ->
    the cell text as it stands, and the fields claimed by two cells of the same rank."""

    index: int
    columns: dict[str, int]
    labels: dict[str, str]
    ambiguous: dict[str, tuple[str, ...]]


def column_letter(index: int) -> str:
    """Excel's letter(s) of the column at 0-based ``index`` (what openpyxl's ``get_column_letter`` gives
    for ``index + 1``; openpyxl takes 0.05 s to load, which every import would pay for a preview).

    >>> [column_letter(i) for i in (0, 25, 26, 701, 702)]
    ['A', 'Z', 'AA', 'ZZ', 'AAA']
    """
    letters = ""
    number = index + 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def normalise_text(value: object) -> str:
    """Lower case, accents removed, every run of other characters one blank.

    >>> normalise_text("  Libellé (EUR)  ")
    'libelle eur'
    """
    text = unicodedata.normalize("NFKD", str(value)).encode("ascii", "ignore").decode("ascii").lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def header_words(value: object) -> tuple[str, ...]:
    """The words of a header cell that count: normalised, currency and unit words dropped.

    >>> header_words("Bedrag in EUR"), header_words("Nr. rekening")
    (('bedrag',), ('nr', 'rekening'))
    """
    return tuple(w for w in normalise_text(value).split() if w not in _UNIT_WORDS)


def _roots_of(word: str) -> set[str]:
    found = set()
    long_word = len(word) >= _COMPOUND_MIN
    for root in _ROOT_LIST:
        if len(root) <= 2:
            hit = word == root
        elif len(root) == 3:
            hit = word == root or (long_word and word.startswith(root))
        else:
            hit = word.startswith(root) or (long_word and root in word)
        if hit:
            found.add(_ROOTS[root])
            word = word.replace(root, " ", 1)
    return found


@functools.lru_cache(maxsize=4096)
def classify_header_cell(text: str) -> tuple[str, int] | None:
    """The field a header cell names and its rank (0 best), or ``None``.

    >>> classify_header_cell("Code grootboekrekening"), classify_header_cell("Datum transactie")
    (('account', 0), ('date', 0))
    >>> classify_header_cell("Omschrijving grootboekrekening") is None
    True
    >>> classify_header_cell("Analytische rekening"), classify_header_cell("Bedrag debet")
    (('project', 1), ('debit', 0))
    """
    words = header_words(text)
    if not words or len(words) > 6:
        return None
    roots: set[str] = set()
    for word in words:
        roots |= _roots_of(word)
    if "other" in roots:
        return None
    if "date" in roots:
        joined = " ".join(words)
        if any(q in joined for q in _BOOKING_DATE):
            return "date", 0
        if any(q in joined for q in _DOCUMENT_DATE):
            return "date", 2
        return "date", 1
    if "debit" in roots and "credit" in roots:
        return None  # a D/C indicator, not an amount
    if "debit" in roots:
        return "debit", 0
    if "credit" in roots:
        return "credit", 0
    things = roots & {"project", "analytic", "cost_unit", "account", "journal", "document", "invoice"}
    if roots & {"name", "text"}:
        if things:
            return None  # the name of an account, project or journal
        return "description", 0 if "name" in roots else 1
    if "project" in roots:
        return "project", 0
    if "analytic" in roots:
        return "project", 1
    if "cost_unit" in roots:
        return "project", 2
    if "account" in roots:
        return "account", 0
    if "amount" in roots:
        return "amount", 0
    if "balance" in roots:
        return "amount", 1
    if "journal" in roots and "entry" not in roots:
        return "journal", 0
    if "invoice" in roots:
        return "document", 1
    if "document" in roots or {"entry", "journal"} <= roots:
        return "document", 0
    return None


def match_header(row: Sequence[object]) -> Header:
    """Recognise the fields of one row (a :class:`Header` with ``index`` 0)."""
    best: dict[str, tuple[int, list[int]]] = {}
    labels_at: dict[int, str] = {}
    for j, cell in enumerate(row):
        if not isinstance(cell, str) or not cell.strip():
            continue
        hit = classify_header_cell(cell.strip())
        if hit is None:
            continue
        fld, rank = hit
        labels_at[j] = cell.strip()
        if fld not in best or rank < best[fld][0]:
            best[fld] = (rank, [j])
        elif rank == best[fld][0]:
            best[fld][1].append(j)
    columns = {f: js[0] for f, (_, js) in best.items()}
    labels = {f: labels_at[j] for f, j in columns.items()}
    ambiguous = {f: tuple(labels_at[j] for j in js) for f, (_, js) in best.items() if len(js) > 1}
    return Header(0, columns, labels, ambiguous)


def is_header(columns: Mapping[str, int]) -> bool:
    """Does a row name the date, the account and an amount column?"""
    has_amount = "amount" in columns or "debit" in columns or "credit" in columns
    return "date" in columns and "account" in columns and has_amount


def find_header(rows: Sequence[Sequence[object]]) -> tuple[Header | None, Header]:
    """The first of the top rows that names date, account and an amount column, and the best
    candidate seen (the row naming most fields) for a message when there is none."""
    best = Header(0, {}, {}, {})
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found = match_header(row)
        found = Header(i, found.columns, found.labels, found.ambiguous)
        if is_header(found.columns):
            return found, found
        if len(found.columns) > len(best.columns):
            best = found
    return None, best
