"""Plotly figures of the pages Verplichtingen and Financiering.

Pure functions of engine frames, in the style of :mod:`ui.charts`: Dutch titles and axes with their
unit, Belgian separators, Okabe-Ito colours (colour-blind safe) and a second cue (dash, symbol,
position) wherever colour tells series apart.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .charts import titled_layout
from .shared import shared_figure

MUNICIPALITY_COLOUR = "#0072B2"   # blue: what the municipality carries / is owed
IGEMO_COLOUR = "#D55E00"          # vermillion: what IGEMO carries
ADDITION_COLOUR = "#009E73"       # green: addition to a provision
RELEASE_COLOUR = "#E69F00"        # orange: release of a provision
LINE_COLOUR = "#000000"

#: Short names of the alternatives, for chart axes and tiles (ALTERNATIVE_LABELS in full elsewhere).
ALTERNATIVE_SHORT = {"kaskrediet": "Kaskrediet (zoals nu)", "vaste_lening": "Lening met vaste rente",
                     "prefinanciering": "Prefinanciering gemeenten", "mix": "Mix"}

#: Colour and dash per financing alternative: the dash tells them apart without colour.
ALTERNATIVE_STYLES = {
    "kaskrediet": ("#D55E00", "solid", "circle"),
    "vaste_lening": ("#0072B2", "dash", "square"),
    "prefinanciering": ("#009E73", "dot", "diamond"),
    "mix": ("#CC79A7", "dashdot", "triangle-up"),
}

_EUR_AXIS = dict(tickformat=",.0f", tickprefix="€ ")
_HOVER_EUR = "€ %{y:,.0f}"


def _past_marker(fig: go.Figure, valuation_year: int, text: str | None = None) -> None:
    kwargs = dict(annotation_text=text, annotation_position="top") if text else {}
    fig.add_vline(x=valuation_year - 0.5, line_dash="dash", line_color="black", **kwargs)


def _aligned_ranges(left: np.ndarray, right: np.ndarray) -> tuple[list[float], list[float]]:
    """Axis ranges for two y-axes that put both zeros at the same height (layout only)."""
    def extent(values):
        values = np.asarray(values, dtype=float)
        values = values[np.isfinite(values)]
        low = min(float(values.min()), 0.0) if values.size else 0.0
        high = max(float(values.max()), 0.0) if values.size else 1.0
        return -low, high

    (n1, p1), (n2, p2) = extent(left), extent(right)
    below = max(n1 / (n1 + p1) if n1 + p1 else 0.0, n2 / (n2 + p2) if n2 + p2 else 0.0)

    def span(neg, pos):
        total = max(neg / below if below else 0.0, pos / (1 - below) if below < 1 else 0.0) or 1.0
        total *= 1.08
        return [-below * total, (1 - below) * total]

    return span(n1, p1), span(n2, p2)


# --------------------------------------------------------------------------- Verplichtingen

@shared_figure
def loss_by_municipality(summary: pd.DataFrame, *, p90: bool = False) -> go.Figure:
    """Per municipality with a loss: what it carries and what IGEMO carries (stacked, horizontal)."""
    municipality_col, igemo_col = (("loss_p90_municipality", "loss_p90_igemo") if p90
                                   else ("loss_share_municipality", "loss_share_igemo"))
    data = summary[summary["loss_p90" if p90 else "loss"].fillna(0) > 0].iloc[::-1]
    fig = go.Figure()
    fig.add_trace(go.Bar(y=data["gemeente"], x=data[municipality_col], orientation="h",
                         name="Gedragen door de gemeente",
                         marker_color=MUNICIPALITY_COLOUR, hovertemplate="%{y}: € %{x:,.0f}<extra>gemeente</extra>"))
    fig.add_trace(go.Bar(y=data["gemeente"], x=data[igemo_col], orientation="h", name="Gedragen door IGEMO",
                         marker_color=IGEMO_COLOUR, marker_pattern_shape="/",
                         hovertemplate="%{y}: € %{x:,.0f}<extra>IGEMO</extra>"))
    what = "het verlies in het pessimistische geval (P90)" if p90 else "het verwachte verlies"
    # The unit is in the title and on every tick: an axis title would collide with the legend below.
    titled_layout(fig, f"Wie draagt {what}, per gemeente (€)", barmode="stack", xaxis_title=None,
            yaxis_title=None, height=max(260, 90 + 34 * len(data)))
    fig.update_layout(legend_traceorder="normal")
    fig.update_xaxes(**_EUR_AXIS)
    return fig


@shared_figure
def provision_movement(moves: pd.DataFrame, valuation_year: int, title: str) -> go.Figure:
    """One project's profit-share provision per year: addition (up), release (down), closing (line)."""
    m = moves.sort_values("jaar")
    past = m["jaar"] < valuation_year
    fig = go.Figure()
    fig.add_trace(go.Bar(x=m["jaar"], y=m["addition"], name="Toevoeging", marker_color=ADDITION_COLOUR,
                         marker_opacity=np.where(past, 0.55, 1.0),
                         hovertemplate="%{x}: " + _HOVER_EUR + "<extra>Toevoeging</extra>"))
    fig.add_trace(go.Bar(x=m["jaar"], y=-m["release"], name="Terugneming (onder nul)", marker_color=RELEASE_COLOUR,
                         marker_pattern_shape="/", marker_opacity=np.where(past, 0.55, 1.0),
                         customdata=m["release"],
                         hovertemplate="%{x}: € %{customdata:,.0f}<extra>Terugneming</extra>"))
    fig.add_trace(go.Scatter(x=m["jaar"], y=m["closing"], name="Voorziening op 31/12", mode="lines+markers",
                             line=dict(color=MUNICIPALITY_COLOUR, width=3),
                             hovertemplate="%{x}: " + _HOVER_EUR + "<extra>Voorziening op 31/12</extra>"))
    _past_marker(fig, valuation_year, f"verleden | vooruitzicht vanaf {valuation_year}")
    titled_layout(fig, title, barmode="relative", xaxis_title="Boekjaar", yaxis_title="Bedrag (€)", height=400)
    fig.update_yaxes(**_EUR_AXIS)
    return fig


@shared_figure
def return_spread(frame: pd.DataFrame, valuation_year: int, title: str) -> go.Figure:
    """Result recognised per year (bars, left axis) against the cumulative cash result (line, right axis)."""
    f = frame.sort_values("jaar")
    past = f["jaar"] < valuation_year
    fig = go.Figure()
    fig.add_trace(go.Bar(x=f["jaar"], y=f["recognised_in_year"], name="Resultaat erkend in het jaar (links)",
                         marker_color=np.where(f["recognised_in_year"] >= 0, ADDITION_COLOUR, IGEMO_COLOUR),
                         marker_opacity=np.where(past, 0.55, 1.0),
                         hovertemplate="%{x}: " + _HOVER_EUR + "<extra>Erkend resultaat</extra>"))
    fig.add_trace(go.Scatter(x=f["jaar"], y=f["cash_result_cumulative"], name="Gecumuleerd kasresultaat (rechts)",
                             mode="lines+markers", yaxis="y2", line=dict(color=MUNICIPALITY_COLOUR, width=3),
                             marker=dict(symbol="circle"),
                             hovertemplate="%{x}: " + _HOVER_EUR + "<extra>Gecumuleerd kasresultaat</extra>"))
    fig.add_trace(go.Scatter(x=f["jaar"], y=f["recognised_cumulative"], name="Gecumuleerd erkend resultaat (rechts)",
                             mode="lines", yaxis="y2", line=dict(color=LINE_COLOUR, width=2, dash="dash"),
                             hovertemplate="%{x}: " + _HOVER_EUR + "<extra>Gecumuleerd erkend resultaat</extra>"))
    left, right = _aligned_ranges(f["recognised_in_year"].to_numpy(),
                                  np.concatenate([f["cash_result_cumulative"].to_numpy(),
                                                  f["recognised_cumulative"].to_numpy()]))
    _past_marker(fig, valuation_year)
    titled_layout(fig, title, xaxis_title="Jaar", height=460,
            yaxis=dict(title="Erkend in het jaar (€)", range=left, zeroline=True, zerolinecolor="grey", **_EUR_AXIS),
            yaxis2=dict(title="Gecumuleerd (€)", overlaying="y", side="right", range=right, showgrid=False,
                        zeroline=False, tickmode="auto", nticks=6, **_EUR_AXIS))
    fig.add_hline(y=0, line_color="grey", line_width=1)
    return fig


# --------------------------------------------------------------------------- Financiering

@shared_figure
def funding_need(need: pd.DataFrame) -> go.Figure:
    """The portfolio's funding need per year (average balance) against the credit limit."""
    fig = go.Figure()
    fig.add_trace(go.Bar(x=need["jaar"], y=need["need_average"], name="Financieringsbehoefte (gemiddeld over het jaar)",
                         marker_color=MUNICIPALITY_COLOUR,
                         hovertemplate="%{x}: " + _HOVER_EUR + "<extra>Behoefte</extra>"))
    if need["kredietlimiet"].notna().any():
        fig.add_trace(go.Scatter(x=need["jaar"], y=need["kredietlimiet"], name="Kredietlimiet", mode="lines",
                                 line=dict(color=IGEMO_COLOUR, width=3, shape="hvh", dash="dash"),
                                 hovertemplate="%{x}: " + _HOVER_EUR + "<extra>Kredietlimiet</extra>"))
    titled_layout(fig, "Financieringsbehoefte van de portefeuille per jaar", xaxis_title="Jaar", yaxis_title="Bedrag (€)",
            height=380)
    fig.update_yaxes(**_EUR_AXIS)
    fig.update_xaxes(dtick=1)
    return fig


@shared_figure
def cost_per_year(costs: pd.DataFrame, scenario_label: str) -> go.Figure:
    """Cost of each alternative per year (one line each) in one rate scenario (``scenario_label``, short)."""
    fig = go.Figure()
    for alternative, g in costs.groupby("alternative", sort=False):
        colour, dash, symbol = ALTERNATIVE_STYLES.get(alternative, ("#999999", "solid", "circle"))
        label = ALTERNATIVE_SHORT.get(alternative, alternative)
        fig.add_trace(go.Scatter(x=g["jaar"], y=g["cost_total"], name=label, mode="lines+markers",
                                 line=dict(color=colour, dash=dash, width=3), marker=dict(symbol=symbol, size=8),
                                 hovertemplate="%{x}: " + _HOVER_EUR + "<extra>" + label + "</extra>"))
    titled_layout(fig, f"Kost per jaar van elk alternatief ({scenario_label})", xaxis_title="Jaar",
            yaxis_title="Kost (€ per jaar)", height=440)
    fig.update_layout(legend=dict(orientation="h", yanchor="top", y=-0.18, x=0))
    fig.update_yaxes(**_EUR_AXIS)
    fig.update_xaxes(dtick=1)
    return fig


@shared_figure
def total_and_range(ranges: pd.DataFrame, horizon: str) -> go.Figure:
    """Total cost over the horizon in the flat scenario (bars) with the range over the scenarios (error bars)."""
    colours = [ALTERNATIVE_STYLES.get(a, ("#999999",))[0] for a in ranges["alternative"]]
    fig = go.Figure(go.Bar(
        x=[ALTERNATIVE_SHORT.get(a, a) for a in ranges["alternative"]], y=ranges["cost_flat"], marker_color=colours,
        name="Totaal bij vlakke rente",
        error_y=dict(type="data", symmetric=False, array=ranges["cost_max"] - ranges["cost_flat"],
                     arrayminus=ranges["cost_flat"] - ranges["cost_min"], color="black", thickness=2, width=14),
        customdata=np.stack([ranges["cost_min"], ranges["cost_max"]], axis=1),
        hovertemplate="<b>%{x}</b><br>Vlakke rente: € %{y:,.0f}<br>Laagste: € %{customdata[0]:,.0f}<br>"
                      "Hoogste: € %{customdata[1]:,.0f}<extra></extra>"))
    titled_layout(fig, f"Totale kost over {horizon}: staaf = vlakke rente, streep = vork over de scenario's",
            xaxis_title=None, yaxis_title="Totale kost (€)", height=440, showlegend=False)
    fig.update_yaxes(**_EUR_AXIS)
    return fig
