"""The demo's general running costs: an example export of the whole ledger, running costs included.

:func:`example_full_ledger` holds the project lines of :func:`~igemo_fin.inputs.example_ledger.example_ledger`
plus IGEMO's running costs (personnel, ICT and software, housing, vehicles, fees, other) over the two
years before ``year`` and its first quarter, and the overhead that escapes the projects that finance's
yearly review should find: purchases on project accounts without a project code, and costs coded to a
finished project or to a code that is no project. Every amount is fictive; ICT and software grow
much faster than the index, on purpose.
"""

from __future__ import annotations

from igemo_fin.inputs.example_ledger import EXAMPLE_LINES, dated_rows, write_export

__all__ = ["RUNNING_COSTS", "OVERHEAD_LINES", "RUNNING_LINES", "example_full_ledger"]

#: (account, description, journal, euros per quarter in ``year - 2``, ``year - 1``, ``year``): one line at
#: the end of every quarter (of ``year``: the first quarter only).
RUNNING_COSTS: tuple[tuple, ...] = (
    ("620000", "Bezoldigingen personeel", "LON", 310_000, 331_500, 352_200),
    ("614000", "Softwarelicenties en ICT-ondersteuning", "AANK", 18_000, 21_000, 26_500),
    ("610000", "Huur kantoor en huurlasten", "AANK", 12_000, 12_400, 12_800),
    ("612100", "Elektriciteit en verwarming kantoor", "AANK", 4_500, 4_200, 4_300),
    ("615000", "Leasing en brandstof dienstwagens", "AANK", 6_000, 6_200, 6_400),
    ("616000", "Kantoorbenodigdheden en verzekeringen", "AANK", 2_500, 2_600, 2_700),
)

#: Overhead that escapes the projects, in the shape of :data:`~igemo_fin.inputs.example_ledger.EXAMPLE_LINES`.
OVERHEAD_LINES: tuple[tuple, ...] = (
    (-2, 6, 27, "AANK", "AF24-0201", "613100", "Erelonen bedrijfsrevisor jaarrekening", None, 950000, 0),
    (-1, 6, 26, "AANK", "AF25-0244", "613100", "Erelonen bedrijfsrevisor jaarrekening", None, 1120000, 0),
    (-1, 8, 12, "AANK", "AF25-0351", "603000", "Onderhoud groenzone", None, 560000, 0),
    (0, 1, 25, "AANK", "AF26-0031", "604000", "Nutsaansluiting werfkeet", "WO-9", 230000, 0),
    (0, 2, 20, "AANK", "AF26-0052", "603000", "Herstelling riolering", None, 845000, 0),
    (0, 3, 10, "AANK", "AF26-0066", "613000", "Erelonen notaris akte", "BT-02", 185000, 0),
    (0, 3, 14, "AANK", "AF26-0071", "602000", "Studie mobiliteit bedrijventerrein", None, 1210000, 0),
)

_QUARTER_ENDS = ((3, 28), (6, 27), (9, 26), (12, 19))


def _running_lines() -> tuple[tuple, ...]:
    lines = []
    for account, text, journal, *per_quarter in RUNNING_COSTS:
        for offset, euros in zip((-2, -1, 0), per_quarter):
            quarters = _QUARTER_ENDS[:1] if offset == 0 else _QUARTER_ENDS
            for q, (month, day) in enumerate(quarters, start=1):
                document = f"{journal}{26 + offset}-{account[:4]}-{q}"
                lines.append((offset, month, day, journal, document, account, f"{text} kwartaal {q}", None,
                              euros * 100, 0))
    return tuple(lines)


RUNNING_LINES: tuple[tuple, ...] = _running_lines() + OVERHEAD_LINES
"""Every running-cost and overhead line of the demo."""


def example_full_ledger(fmt: str = "xlsx", *, year: int = 2026) -> bytes:
    """The demo's whole ledger (projects and running costs, ``year - 2`` to the first quarter of ``year``).

    Examples
    --------
    >>> from igemo_fin.inputs.ledger import read_ledger
    >>> read = read_ledger(example_full_ledger("csv"), filename="grootboek.csv")
    >>> read.rows_read == len(EXAMPLE_LINES) + len(RUNNING_LINES), len(RUNNING_LINES)
    (True, 61)
    """
    rows = dated_rows(EXAMPLE_LINES + RUNNING_LINES, year)
    title = "IGEMO - grootboek (voorbeeldexport met werkingskosten, fictieve bedragen)"
    return write_export(rows, fmt, title=title, period=f"Periode 01/01/{year - 2} - 31/03/{year}", year=year)
