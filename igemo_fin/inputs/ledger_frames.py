"""The validated ledger lines as frames: project codes matched, fingerprints, skip reasons, actuals.

:func:`lines_frame` turns the valid booking rows into :data:`LINE_COLUMNS`; :func:`skipped_lines`
lists the lines left out of project actuals with a Dutch reason; :func:`actuals_by_year` sums the
actual lines as the engine takes them.
"""

from __future__ import annotations

import binascii
import hashlib
from collections.abc import Iterable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pandas as pd

from igemo_fin.columns import ACTUALS_COLUMNS, require_columns
from igemo_fin.inputs.accounts import IGNORE, categorize_accounts
from igemo_fin.inputs.cells import cell_text

__all__ = ["LINE_COLUMNS", "SKIPPED_COLUMNS", "actuals_by_year", "lines_frame", "match_project_codes",
           "occurrences", "skipped_lines"]

LINE_COLUMNS = (
    "row", "date", "year", "account", "project_code", "category", "amount_cents",
    "description", "journal", "document", "fingerprint", "occurrence",
)
"""Columns of :attr:`LedgerRead.lines` and :attr:`LedgerRead.actual_lines`."""

SKIPPED_COLUMNS = ("row", "reason", "amount_cents", "code", "account", "project_code")
"""Columns of :attr:`LedgerRead.skipped`."""

_FINGERPRINT_SEP = "\x1f"
_HASH_CHUNK = 5_000
# A SHA-256 digest as four machine words: equal digests, equal keys, compared exactly.
_DIGEST = np.dtype([("w0", "<u8"), ("w1", "<u8"), ("w2", "<u8"), ("w3", "<u8")])


def match_project_codes(project: pd.Series, known: Iterable[str] | None) -> tuple[pd.Series, np.ndarray]:
    """Project codes in the portfolio's spelling, and which of them are known.

    Codes match exactly, or else ignoring case and runs of blanks; an unknown code is kept as it is.

    Parameters
    ----------
    project : pandas.Series
        Codes as text (NaN when missing).
    known : iterable of str or None
        The portfolio's codes; ``None`` means every non-missing code counts as known.

    Returns
    -------
    codes : pandas.Series
        Text dtype, same index.
    known_mask : numpy.ndarray of bool

    Examples
    --------
    >>> codes, known = match_project_codes(pd.Series(["bt-01", "BT-02", None]), ["BT-01"])
    >>> codes.tolist(), known.tolist()
    (['BT-01', 'BT-02', nan], [True, False, False])
    """
    if known is None:
        return project, project.notna().to_numpy()
    known = [str(k) for k in known]
    exact = {k: k for k in known}
    loose: dict[str, str] = {}
    for k in known:
        loose.setdefault(" ".join(k.split()).casefold(), k)
    uniques = pd.unique(project.dropna())
    mapping = {u: exact.get(u) or loose.get(" ".join(u.split()).casefold()) for u in uniques}
    canonical = project.map(lambda u: mapping.get(u) or u if isinstance(u, str) else u)
    found = project.map(lambda u: isinstance(u, str) and mapping.get(u) is not None)
    return canonical.astype("str"), found.to_numpy(dtype=bool)


def lines_frame(booking: np.ndarray, excel_rows: np.ndarray, dates: np.ndarray, account: pd.Series,
                 project: pd.Series, net: np.ndarray, raw: dict, rekeningen: pd.DataFrame | None,
                 known_projects: Iterable[str] | None) -> tuple[pd.DataFrame, np.ndarray]:
    """The valid booking lines (:data:`LINE_COLUMNS`) and, per line, whether its project is known."""
    idx = np.flatnonzero(booking)
    day = dates[idx]
    account = account.iloc[idx].reset_index(drop=True)
    project, known = match_project_codes(project.iloc[idx].reset_index(drop=True), known_projects)
    frame = pd.DataFrame({
        "row": excel_rows[idx],
        "date": pd.to_datetime(day).astype("datetime64[ns]"),
        "year": day.astype("datetime64[Y]").astype(np.int64) + 1970,
        "account": account,
        "project_code": project,
        "category": categorize_accounts(account, rekeningen),
        "amount_cents": net[idx].astype(np.int64),
        **{fld: cell_text(raw[fld].take(idx) if isinstance(raw[fld], pa.Array) else raw[fld][idx])
           for fld in ("description", "journal", "document")},
    })
    frame["fingerprint"], frame["occurrence"] = _fingerprints(frame, day)
    return frame, known


def _fingerprints(frame: pd.DataFrame, day: np.ndarray) -> tuple[pd.Series, np.ndarray]:
    """Per line its fingerprint (SHA-256 hex) and its occurrence (1, 2, ... among equal ones)."""
    # The text hashed is the same as ever (stored lines keep their fingerprints); Arrow joins the
    # columns (the text columns are Arrow already) and only the SHA-256 itself runs per line, a chunk
    # of lines at a time: neither the joined texts nor a Python object per line is held for all lines.
    texts = [pa.array(frame[c], type=pa.large_string()) for c in ("account", "project_code", "description", "document")]
    cents = frame["amount_cents"].to_numpy(dtype=np.int64)
    separator = pa.scalar(_FINGERPRINT_SEP, pa.large_string())
    sha256 = hashlib.sha256
    n = len(frame)
    digests = bytearray(32 * n)
    for at in range(0, n, _HASH_CHUNK):
        stop = min(at + _HASH_CHUNK, n)
        account, project, description, document = (pc.fill_null(t.slice(at, stop - at), "") for t in texts)
        joined = pc.binary_join_element_wise(
            pa.array(np.datetime_as_string(day[at:stop], unit="D"), type=pa.large_string()), account, project,
            pa.array(cents[at:stop]).cast(pa.large_string()), description, document, separator)
        digests[32 * at:32 * stop] = b"".join(
            [sha256(line).digest() for line in joined.cast(pa.large_binary()).to_pylist()])
    hex_text = binascii.hexlify(digests)
    offsets = np.arange(0, 64 * (n + 1), 64, dtype=np.int64)
    hexes = pa.LargeStringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(hex_text))
    return pd.Series(hexes, index=frame.index, dtype="str"), occurrences(np.frombuffer(digests, dtype=_DIGEST))


def occurrences(keys: np.ndarray) -> np.ndarray:
    """Per key, 1 for its first occurrence in order, 2 for the second, ...

    A structured key (a digest's words) is grouped by its first field, then checked whole: only when
    two different keys share that field are they grouped by every field.

    >>> occurrences(np.array([7, 3, 7, 7, 3])).tolist()
    [1, 1, 2, 3, 2]
    """
    first_field = keys[keys.dtype.names[0]] if keys.dtype.names else keys
    out, order, representative = _cumcount(pd.factorize(first_field)[0])
    if keys.dtype.names and not all(np.array_equal(keys[f][order], keys[f][representative])
                                    for f in keys.dtype.names[1:]):
        out, _, _ = _cumcount(np.unique(keys, return_inverse=True)[1])
    return out


def _cumcount(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Occurrence per position of equal codes; the stable order by code, and per position of that
    order the position of its group's first member."""
    order = np.argsort(codes, kind="stable")
    grouped = codes[order]
    starts = np.flatnonzero(np.r_[True, grouped[1:] != grouped[:-1]])
    first = np.repeat(starts, np.diff(np.r_[starts, len(codes)]))
    out = np.empty(len(codes), dtype=np.int64)
    out[order] = np.arange(len(codes)) - first + 1
    return out, order, order[first]


def skipped_lines(lines: pd.DataFrame, known: np.ndarray | None) -> tuple[pd.DataFrame, np.ndarray]:
    """Split the lines' skip reasons off; return the skipped rows and the mask of actual lines."""
    category = lines["category"]
    ignored = (category == IGNORE).to_numpy(dtype=bool)
    unmapped = category.isna().to_numpy()
    no_project = lines["project_code"].isna().to_numpy()
    unknown = ~known & ~no_project if known is not None else np.zeros(len(lines), dtype=bool)
    reasons: list[tuple[str, np.ndarray, str]] = [
        ("negeren", ignored, "rekening {account} valt onder 'negeren': geen projectkost of -opbrengst"),
        ("geen_categorie", unmapped & ~ignored,
         "rekening {account} hoort bij geen categorie: voeg een prefix toe op het blad 'rekeningen'"),
        ("geen_project", no_project & ~ignored & ~unmapped, "geen projectcode"),
        ("onbekend_project", unknown & ~ignored & ~unmapped, "onbekende projectcode '{project}'"),
    ]
    pieces = []
    taken = np.zeros(len(lines), dtype=bool)
    for code, mask, template in reasons:
        mask = mask & ~taken
        taken |= mask
        if not mask.any():
            continue
        part = lines.loc[mask, ["row", "amount_cents", "account", "project_code"]].copy()
        part["code"] = code
        # tolist, not iterating the Arrow-backed columns: one call instead of a Python step per cell
        part["reason"] = [template.format(account=a, project=p)
                          for a, p in zip(part["account"].tolist(), part["project_code"].tolist())]
        pieces.append(part)
    if pieces:
        skipped = pd.concat(pieces).sort_values("row", kind="stable")[list(SKIPPED_COLUMNS)]
    else:
        skipped = pd.DataFrame({c: pd.Series(dtype="int64" if c in ("row", "amount_cents") else "str")
                                for c in SKIPPED_COLUMNS})
    return skipped.reset_index(drop=True), ~taken

def actuals_by_year(actual_lines: pd.DataFrame) -> pd.DataFrame:
    """Ledger actuals per project, year and category, as the engine takes them.

    Parameters
    ----------
    actual_lines : pandas.DataFrame
        :attr:`LedgerRead.actual_lines` (columns ``project_code``, ``year``, ``category``,
        ``amount_cents``).

    Returns
    -------
    pandas.DataFrame
        ``project_code``, ``jaar`` (int), ``categorie``, ``bedrag`` [EUR] (float, signed: inflow +,
        outflow -), one row per project, year and category, sorted.

    Notes
    -----
    Sums are taken in integer cents and divided by 100 once, so each ``bedrag`` is the exact
    cent total (as a float).

    Examples
    --------
    >>> lines = pd.DataFrame({"project_code": ["P1", "P1", "P1"], "year": [2023, 2023, 2024],
    ...                       "category": ["verkoop", "verkoop", "studies"],
    ...                       "amount_cents": [10001, 20002, -5000]})
    >>> actuals_by_year(lines).to_dict("records")  # doctest: +NORMALIZE_WHITESPACE
    [{'project_code': 'P1', 'jaar': 2023, 'categorie': 'verkoop', 'bedrag': 300.03},
     {'project_code': 'P1', 'jaar': 2024, 'categorie': 'studies', 'bedrag': -50.0}]
    """
    require_columns(actual_lines, ("project_code", "year", "category", "amount_cents"), name="actual_lines")
    grouped = (
        actual_lines.groupby(["project_code", "year", "category"], sort=True)["amount_cents"]
        .sum()
        .reset_index()
    )
    return pd.DataFrame({
        "project_code": grouped["project_code"].astype("str"),
        "jaar": grouped["year"].astype(np.int64),
        "categorie": grouped["category"].astype("str"),
        "bedrag": grouped["amount_cents"].astype(np.int64) / 100.0,
    }, columns=list(ACTUALS_COLUMNS))
