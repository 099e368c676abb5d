"""Streamlit support for the dashboard: cached engine calls, shared state, formatting and charts.

The engine (:mod:`igemo_fin`) never imports Streamlit; everything Streamlit-specific lives here.
"""
