"""The agreements with the municipalities and subsidisers: land funds, subsidies, invoicing terms.

``register`` holds the agreements as read from the workbook (``docs/overeenkomsten.md``); the other
modules compute from them: :mod:`~igemo_fin.agreements.land_funds`, :mod:`~igemo_fin.agreements.subsidies`
(with :mod:`~igemo_fin.agreements.recognised`, the valuation on recognised subsidy income),
:mod:`~igemo_fin.agreements.invoicing`, :mod:`~igemo_fin.agreements.journal` and
:mod:`~igemo_fin.agreements.summary` (everything together, for the page, the board pack and the CLI).
"""
