"""Ledger accounts to cost groups of IGEMO's general running (``docs/werking.md``, sheet ``kostengroepen``).

The yearly review of the running costs sorts every ledger line into a cost group by its account, the
longest prefix first, as :mod:`igemo_fin.inputs.accounts` sorts them into project categories. Besides
the six cost groups an account may be ``project`` (a purchase for the projects: it belongs on a
project code) or ``negeren`` (not a running cost: balance sheet, revenues, depreciation, interest).

The Belgian minimum chart (MAR) fixes classes 60-69 and a few three-digit accounts (617 temporary
staff, 618 directors' pay); how 61 (services and other goods) is split further differs between
accounting packages. The default below follows the most common split (610 rent, 611 maintenance,
612 energy, 613 fees, 614 ICT, 615 vehicles); a ``kostengroepen`` sheet overrides it where finance's
chart differs, exactly like ``rekeningen``: its rows take precedence, the defaults cover the rest.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Mapping

import pandas as pd

from igemo_fin.inputs.accounts import longest_prefix
from igemo_fin.inputs.cells import cell_text

__all__ = ["COST_GROUPS", "COST_GROUP_LABELS", "PROJECT_GROUP", "IGNORE_GROUP", "GROUP_CHOICES",
           "DEFAULT_GROUP_PREFIXES", "cost_groups"]

COST_GROUPS = ("personeel", "ict_software", "huisvesting", "voertuigen", "erelonen", "overige")
"""The cost groups of the general running, in the order they are shown."""

COST_GROUP_LABELS: Mapping[str, str] = MappingProxyType({
    "personeel": "Personeel",
    "ict_software": "ICT en software",
    "huisvesting": "Huisvesting (huur, onderhoud, energie)",
    "voertuigen": "Voertuigen",
    "erelonen": "Erelonen en adviezen",
    "overige": "Overige werkingskosten",
})
"""Dutch label of each cost group."""

PROJECT_GROUP = "project"
"""Accounts of purchases for the projects: a line on them belongs on a project code."""
IGNORE_GROUP = "negeren"
"""Accounts that are no running cost."""
GROUP_CHOICES = COST_GROUPS + (PROJECT_GROUP, IGNORE_GROUP)
"""What the ``kostengroep`` column of the sheet may say."""

DEFAULT_GROUP_PREFIXES: Mapping[str, str] = MappingProxyType({
    # classes 1-5, 7: balance sheet and revenues
    "1": IGNORE_GROUP, "2": IGNORE_GROUP, "3": IGNORE_GROUP, "4": IGNORE_GROUP, "5": IGNORE_GROUP,
    "7": IGNORE_GROUP,
    # 60: purchases of land, studies and works for sale: project costs
    "60": PROJECT_GROUP,
    "609": IGNORE_GROUP,  # stock movements mirror bookings already counted
    # 61: services and other goods
    "61": "overige",
    "610": "huisvesting",  # rent and rental charges
    "611": "huisvesting",  # maintenance and repairs
    "612": "huisvesting",  # energy and water
    "613": "erelonen",  # fees: lawyers, auditor, consultants
    "614": "ict_software",  # hardware, software licences, telecom
    "615": "voertuigen",  # fleet: leasing, fuel, maintenance
    "617": "personeel",  # MAR: temporary staff and staff made available
    "618": "personeel",  # MAR: directors' pay
    # 62: remuneration, social charges, pensions
    "62": "personeel",
    # 63 depreciation and provisions (no cash), 65 interest (cash-credit model), 66-69 exceptional,
    # taxes on the result, appropriations
    "63": IGNORE_GROUP, "65": IGNORE_GROUP, "66": IGNORE_GROUP, "67": IGNORE_GROUP, "68": IGNORE_GROUP,
    "69": IGNORE_GROUP,
    # 64: other operating charges (local taxes, membership fees)
    "64": "overige",
})
"""The default table: account prefix -> cost group (longest prefix wins)."""


def cost_groups(accounts: pd.Series, mapping: pd.DataFrame | None = None) -> pd.Series:
    """The cost group of each account, longest prefix first.

    Parameters
    ----------
    accounts : pandas.Series
        Account codes (text or numbers).
    mapping : pandas.DataFrame, optional
        The sheet ``kostengroepen`` as read by :func:`igemo_fin.inputs.review_sheets.read_cost_group_sheet`
        (``rekening_prefix``, ``kostengroep``); its rows take precedence over
        :data:`DEFAULT_GROUP_PREFIXES`.

    Returns
    -------
    pandas.Series
        A value of :data:`GROUP_CHOICES` per account (same index); missing when no prefix covers it.

    Examples
    --------
    >>> cost_groups(pd.Series(["620000", "614100", "603000", "650000", "612000", "800000"])).tolist()
    ['personeel', 'ict_software', 'project', 'negeren', 'huisvesting', nan]
    >>> own = pd.DataFrame({"rekening_prefix": ["6120"], "kostengroep": ["overige"]})
    >>> cost_groups(pd.Series(["612000", "612100"]), own).tolist()
    ['overige', 'huisvesting']
    """
    codes = cell_text(accounts)
    uniques = pd.Series(pd.unique(codes.dropna()), dtype="str")
    groups = longest_prefix(uniques, DEFAULT_GROUP_PREFIXES)
    if mapping is not None and len(mapping):
        own = dict(zip(cell_text(mapping["rekening_prefix"]), mapping["kostengroep"]))
        overridden = longest_prefix(uniques, own)
        groups = overridden.where(overridden.notna(), groups)
    lookup = pd.Series(groups.to_numpy(dtype=object), index=uniques.to_numpy(dtype=object))
    return codes.map(lookup).astype("str")
