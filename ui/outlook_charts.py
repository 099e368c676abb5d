"""Plotly figures of the page Meerjarenperspectief: credit and equity per year with their bands, the
thresholds as lines, and the waterfall of the verschillenanalyse."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from .shared import shared_figure
from .charts import titled_layout



def _band(fig: go.Figure, years, low, high, name: str, colour: str) -> None:
    fig.add_trace(go.Scatter(x=years, y=high, mode="lines", line=dict(width=0), showlegend=False,
                             hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=years, y=low, mode="lines", line=dict(width=0), fill="tonexty", fillcolor=colour,
                             name=name, hovertemplate="%{x}: € %{y:,.0f}<extra>" + name + "</extra>"))


@shared_figure
def credit_path(path: pd.DataFrame, bands: pd.DataFrame | None, ceiling: pd.Series) -> go.Figure:
    """Credit drawn per year (basispad), its peak, the P10-P90 band, the limit and the allowed use."""
    fig = go.Figure()
    if bands is not None:
        _band(fig, bands["jaar"], bands["credit_p10"], bands["credit_p90"], "P10-P90 (simulatie)",
              "rgba(0,114,178,0.18)")
    fig.add_trace(go.Scatter(x=path["jaar"], y=path["credit_drawn"], name="Opgenomen op 31/12 (basispad)",
                             mode="lines+markers", line=dict(color="#0072B2", width=3),
                             hovertemplate="%{x}: € %{y:,.0f}<extra>Opgenomen</extra>"))
    fig.add_trace(go.Scatter(x=path["jaar"], y=path["credit_peak"], name="Piek in het jaar", mode="lines",
                             line=dict(color="#56B4E9", dash="dot", width=2),
                             hovertemplate="%{x}: € %{y:,.0f}<extra>Piek</extra>"))
    fig.add_trace(go.Scatter(x=path["jaar"], y=path["credit_limit"], name="Kredietlimiet", mode="lines",
                             line=dict(color="#D55E00", width=3, shape="hv"),
                             hovertemplate="%{x}: € %{y:,.0f}<extra>Limiet</extra>"))
    if not ceiling.equals(path["credit_limit"]):
        fig.add_trace(go.Scatter(x=path["jaar"], y=ceiling, name="Toegelaten gebruik (drempel)", mode="lines",
                                 line=dict(color="#D55E00", dash="dash", width=2, shape="hv"),
                                 hovertemplate="%{x}: € %{y:,.0f}<extra>Toegelaten</extra>"))
    titled_layout(fig, "Kaskrediet per jaar tegenover de limiet", xaxis_title="Jaar", yaxis_title="Bedrag (€)", height=420)
    fig.update_yaxes(tickformat=",.0f", tickprefix="€ ")
    return fig


@shared_figure
def equity_path(path: pd.DataFrame, bands: pd.DataFrame | None, floor: float) -> go.Figure:
    """Equity at the end of each year (basispad), the P10-P90 band and the board's floor."""
    fig = go.Figure()
    if bands is not None:
        _band(fig, bands["jaar"], bands["equity_p10"], bands["equity_p90"], "P10-P90 (simulatie)",
              "rgba(0,158,115,0.18)")
    fig.add_trace(go.Scatter(x=path["jaar"], y=path["equity"], name="Eigen vermogen 31/12 (basispad)",
                             mode="lines+markers", line=dict(color="#009E73", width=3),
                             hovertemplate="%{x}: € %{y:,.0f}<extra>Eigen vermogen</extra>"))
    fig.add_hline(y=floor, line_dash="dash", line_color="#D55E00", annotation_text="Ondergrens (drempel)")
    titled_layout(fig, "Eigen vermogen per jaar", xaxis_title="Jaar", yaxis_title="Bedrag (€)", height=420)
    fig.update_yaxes(tickformat=",.0f", tickprefix="€ ")
    return fig


@shared_figure
def waterfall_chart(steps: pd.DataFrame, measure: str, start: float, end: float, title: str) -> go.Figure:
    """The verschillenanalyse as a waterfall: start, one bar per step, end."""
    labels = ["Vorige editie", *steps["label"], "Deze editie"]
    values = [start, *steps[measure], end]
    fig = go.Figure(go.Waterfall(
        x=labels, y=values, measure=["absolute", *["relative"] * len(steps), "total"],
        connector=dict(line=dict(color="#999999")), increasing=dict(marker=dict(color="#009E73")),
        decreasing=dict(marker=dict(color="#D55E00")), totals=dict(marker=dict(color="#0072B2")),
        hovertemplate="%{x}: € %{y:,.2f}<extra></extra>"))
    titled_layout(fig, title, yaxis_title="Bedrag (€)", height=440)
    fig.update_yaxes(tickformat=",.0f", tickprefix="€ ")
    return fig
