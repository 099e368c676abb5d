"""Plotly figures of the page Werking en budget: pure functions of the review's frames, Dutch axes with
their unit, Belgian separators, Okabe-Ito colours and a second cue (pattern, dash) besides colour."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from .shared import shared_figure

NOMINAL_COLOUR = "#0072B2"
REAL_COLOUR = "#D55E00"
COST_COLOUR = "#000000"
_EUR_AXIS = dict(tickformat=",.0f", tickprefix="€ ")


def _review_layout(fig: go.Figure, title: str) -> go.Figure:
    fig.update_layout(title=title, separators=",.", barmode="group", legend=dict(orientation="h", y=-0.2),
                      margin=dict(l=10, r=10, t=50, b=10), yaxis=_EUR_AXIS, xaxis=dict(dtick=1, title="Jaar"))
    return fig


@shared_figure
def cost_trend(trend: pd.DataFrame, year: int) -> go.Figure:
    """All running costs per year, nominal and in prices of ``year`` (the review year is a forecast)."""
    total = trend[trend["group"] == "totaal"]
    fig = go.Figure()
    fig.add_trace(go.Bar(x=total["year"], y=total["nominal"], name="Nominaal", marker_color=NOMINAL_COLOUR,
                         hovertemplate="€ %{y:,.0f}<extra>nominaal</extra>"))
    fig.add_trace(go.Bar(x=total["year"], y=total["real"], name=f"Reëel (prijzen van {year})",
                         marker_color=REAL_COLOUR, marker_pattern_shape="/",
                         hovertemplate="€ %{y:,.0f}<extra>reëel</extra>"))
    return _review_layout(fig, f"Werkingskosten per jaar ({year}: prognose)")


@shared_figure
def contributions(history: pd.DataFrame, year: int) -> go.Figure:
    """The contributions nominal and real against the running costs, per year."""
    fig = go.Figure()
    fig.add_trace(go.Bar(x=history["year"], y=history["contributions_nominal"], name="Werkingsbijdragen nominaal",
                         marker_color=NOMINAL_COLOUR, hovertemplate="€ %{y:,.0f}<extra></extra>"))
    fig.add_trace(go.Bar(x=history["year"], y=history["contributions_real"],
                         name=f"Werkingsbijdragen reëel (prijzen van {year})", marker_color=REAL_COLOUR,
                         marker_pattern_shape="/", hovertemplate="€ %{y:,.0f}<extra></extra>"))
    fig.add_trace(go.Scatter(x=history["year"], y=history["running_costs"], name="Werkingskosten",
                             mode="lines+markers", line=dict(color=COST_COLOUR, dash="dash"),
                             hovertemplate="€ %{y:,.0f}<extra></extra>"))
    return _review_layout(fig, "Werkingsbijdragen tegenover de werkingskosten")
