"""Valuing the portfolio: the basis, cash flows, interest, metrics, rules and the evaluation."""
