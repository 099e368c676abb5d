"""Alternatives to the cash credit."""
