"""The multi-year outlook (meerjarenperspectief): can the portfolio be carried year by year, and why
did the picture change since the previous edition.

- :mod:`~igemo_fin.outlook.path`: the base path per year (cash credit, interest, recognised results,
  write-downs, provisions, equity, risk capacity);
- :mod:`~igemo_fin.outlook.bands`: P10/P50/P90 of the credit drawn and of the equity per year from the
  Monte Carlo, and the chances that the limit or the equity floor is crossed;
- :mod:`~igemo_fin.outlook.waterfall`: the verschillenanalyse between two bases;
- :mod:`~igemo_fin.outlook.report`: the outlook of a basis in one value, its alert and its JSON.
"""
