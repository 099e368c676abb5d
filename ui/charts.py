"""Plotly figures of the dashboard. Pure functions of engine frames; titles and axes in Dutch with units."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from igemo_fin.fmt import eur, pct

from .shared import shared_figure
from .plain import chart_text
from .style import (CATEGORY_COLOURS, CATEGORY_WORDS, PLOTLY_LAYOUT, PLOTLY_SYMBOLS, VERDICT_COLOURS,
                    VERDICT_WORDS)


def titled_layout(fig: go.Figure, title: str, **kw) -> go.Figure:
    """The house layout of every chart with its title; ``kw`` adds to it or overrides it."""
    fig.update_layout(title=dict(text=title), **(PLOTLY_LAYOUT | kw))
    return fig


@shared_figure
def risk_return(figures: pd.DataFrame) -> go.Figure:
    """Forward NPV against full-life IRR; bubble = book value now; colour and symbol = verdict."""
    active = figures[figures["status"] == "actief"].copy()
    active["irr_pct"] = 100 * active["irr_full_life"]
    # Projects without an IRR are drawn at the left edge, marked as such in the hover text.
    floor = np.nanmin(active["irr_pct"]) - 2 if active["irr_pct"].notna().any() else -5
    active["x"] = active["irr_pct"].fillna(floor)
    size = np.clip(active["book_value"].to_numpy(dtype=float), 0, None)
    max_size = size.max() if size.size and size.max() > 0 else 1.0
    active["size"] = 12 + 38 * np.sqrt(size / max_size)
    fig = go.Figure()
    for verdict, group in active.groupby("verdict", sort=False):
        hover = [f"<b>{chart_text(n)}</b> ({c})<br>Oordeel: {VERDICT_WORDS[verdict]}<br>CW vooruit: {eur(v)}<br>"
                 f"IRR: {pct(i, 1) if pd.notna(i) else 'geen'}<br>Boekwaarde: {eur(b)}"
                 for n, c, v, i, b in zip(group["naam"], group["project_code"], group["npv_forward"],
                                          group["irr_pct"], group["book_value"])]
        fig.add_trace(go.Scatter(
            x=group["x"], y=group["npv_forward"], mode="markers", name=VERDICT_WORDS[verdict],
            marker=dict(size=group["size"], color=VERDICT_COLOURS[verdict], symbol=PLOTLY_SYMBOLS[verdict],
                        line=dict(width=1, color="white"), opacity=0.85),
            text=group["project_code"], hovertext=hover, hoverinfo="text"))
    fig.add_hline(y=0, line_dash="dot", line_color="grey")
    titled_layout(fig, "Risico en rendement van de actieve projecten (grootte = boekwaarde)",
            xaxis_title="Intern rendement over de hele looptijd (%)",
            yaxis_title="Contante waarde van wat nog komt (€)", height=460)
    fig.update_yaxes(tickformat=",.0f", tickprefix="€ ")
    return fig


@shared_figure
def flows_by_category(flows: pd.DataFrame, valuation_year: int, title: str) -> go.Figure:
    """Costs below and revenues above the axis per year; the past drawn faded, the future solid."""
    fig = go.Figure()
    for category, colour in CATEGORY_COLOURS.items():
        part = flows[flows["categorie"] == category]
        if part.empty:
            continue
        by_year = part.groupby("jaar")["bedrag"].sum()
        past = by_year.index < valuation_year
        fig.add_trace(go.Bar(
            x=by_year.index, y=by_year.values, name=CATEGORY_WORDS[category], marker_color=colour,
            marker_opacity=np.where(past, 0.45, 1.0), marker_pattern_shape=np.where(past, "/", ""),
            hovertemplate="%{x}: € %{y:,.0f}<extra>" + CATEGORY_WORDS[category] + "</extra>"))
    fig.add_vline(x=valuation_year - 0.5, line_dash="dash", line_color="black",
                  annotation_text=f"1/1/{valuation_year}: verleden | prognose", annotation_position="top")
    titled_layout(fig, title, barmode="relative", xaxis_title="Jaar", yaxis_title="Kasstroom (€; kosten onder nul)",
            height=420)
    fig.update_yaxes(tickformat=",.0f", tickprefix="€ ")
    return fig


@shared_figure
def book_value_and_interest(yearly: pd.DataFrame, valuation_year: int) -> go.Figure:
    """Book value at year end (line) and the interest carried each year (bars)."""
    y = yearly.sort_values("jaar")
    fig = go.Figure()
    fig.add_trace(go.Bar(x=y["jaar"], y=y["interest"], name="Rente (toegerekend)", marker_color="#E69F00",
                         yaxis="y2", hovertemplate="%{x}: € %{y:,.0f}<extra>Rente</extra>"))
    fig.add_trace(go.Scatter(x=y["jaar"], y=y["book_value_end"], name="Boekwaarde op 31/12", mode="lines+markers",
                             line=dict(color="#0072B2", width=3),
                             hovertemplate="%{x}: € %{y:,.0f}<extra>Boekwaarde</extra>"))
    fig.add_vline(x=valuation_year - 0.5, line_dash="dash", line_color="black")
    titled_layout(fig, "Boekwaarde (kapitaal vast in het project) en rente per jaar", xaxis_title="Jaar",
            yaxis=dict(title="Boekwaarde (€)", tickformat=",.0f", tickprefix="€ "),
            yaxis2=dict(title="Rente (€)", overlaying="y", side="right", tickformat=",.0f", tickprefix="€ ",
                        showgrid=False), height=420)
    return fig


@shared_figure
def budget_vs_forecast(against: pd.DataFrame) -> go.Figure:
    """Cumulative net flow of the budget against the current forecast (interest excluded), from
    :func:`igemo_fin.postcalc.variance.budget_against_forecast`."""
    fig = go.Figure()
    for column, name, colour, dash in (("budget_cumulative", "Begroting (goedgekeurd)", "#999999", "dash"),
                                       ("forecast_cumulative", "Huidige prognose", "#0072B2", "solid")):
        fig.add_trace(go.Scatter(x=against["jaar"], y=against[column], name=name, mode="lines+markers",
                                 line=dict(color=colour, dash=dash, width=3),
                                 hovertemplate="%{x}: € %{y:,.0f}<extra>" + name + "</extra>"))
    fig.add_hline(y=0, line_color="grey", line_dash="dot")
    titled_layout(fig, "Begroting tegenover prognose: gecumuleerde netto-kasstroom (zonder rente)", xaxis_title="Jaar",
            yaxis_title="Gecumuleerd (€)", height=380)
    fig.update_yaxes(tickformat=",.0f", tickprefix="€ ")
    return fig


@shared_figure
def credit_usage(credit: pd.DataFrame, valuation_year: int) -> go.Figure:
    """Drawn balance (sum of positive book values) against the credit limit, per year."""
    fig = go.Figure()
    past = credit["jaar"] < valuation_year
    fig.add_trace(go.Bar(x=credit["jaar"], y=credit["drawn_end"], name="Opgenomen op 31/12",
                         marker_color=np.where(past, "#9ecae1", "#0072B2"),
                         hovertemplate="%{x}: € %{y:,.0f}<extra>Opgenomen</extra>"))
    fig.add_trace(go.Scatter(x=credit["jaar"], y=credit["kredietlimiet"], name="Kredietlimiet", mode="lines",
                             line=dict(color="#D55E00", width=3, shape="hv"),
                             hovertemplate="%{x}: € %{y:,.0f}<extra>Limiet</extra>"))
    fig.add_vline(x=valuation_year - 0.5, line_dash="dash", line_color="black")
    titled_layout(fig, "Kaskrediet: opgenomen bedrag tegenover de limiet (lichter = verleden)", xaxis_title="Jaar",
            yaxis_title="Bedrag (€)", height=400)
    fig.update_yaxes(tickformat=",.0f", tickprefix="€ ")
    return fig


@shared_figure
def rate_path(credit: pd.DataFrame, valuation_year: int, shifted: pd.Series | None = None) -> go.Figure:
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=credit["jaar"], y=credit["rentevoet_pct"], name="Rentevoet kaskrediet",
                             mode="lines+markers", line=dict(color="#0072B2", width=3),
                             hovertemplate="%{x}: %{y:.2f} %<extra></extra>"))
    if shifted is not None:
        fig.add_trace(go.Scatter(x=shifted.index, y=shifted.values, name="Met rentestress", mode="lines",
                                 line=dict(color="#D55E00", dash="dash", width=3),
                                 hovertemplate="%{x}: %{y:.2f} %<extra></extra>"))
    fig.add_vline(x=valuation_year - 0.5, line_dash="dash", line_color="black")
    titled_layout(fig, "Rentevoet van het kaskrediet per jaar (alles inbegrepen)", xaxis_title="Jaar",
            yaxis_title="Rentevoet (%)", height=360)
    fig.update_yaxes(ticksuffix=" %")
    return fig


@shared_figure
def interest_by_project(yearly: pd.DataFrame, names: dict[str, str], valuation_year: int) -> go.Figure:
    """Interest per year, stacked by project: how the cash credit's cost is allocated."""
    pivot = yearly.pivot_table(index="jaar", columns="project_code", values="interest", aggfunc="sum",
                               fill_value=0.0)
    actual_years = set(yearly.loc[yearly["interest_actual"], "jaar"])
    fig = go.Figure()
    for code in pivot.columns:
        name = chart_text(names.get(code, code))
        fig.add_trace(go.Bar(x=pivot.index, y=pivot[code], name=name,
                             hovertemplate="%{x}: € %{y:,.0f}<extra>" + name + "</extra>"))
    fig.add_vline(x=valuation_year - 0.5, line_dash="dash", line_color="black",
                  annotation_text="werkelijk betaald | berekend", annotation_position="top")
    titled_layout(fig, "Rente op het kaskrediet per jaar, verdeeld over de projecten", barmode="stack",
            xaxis_title="Jaar" + (f" (werkelijke rente verdeeld in {min(actual_years)}-{max(actual_years)})"
                                  if actual_years else ""),
            yaxis_title="Rente (€)", height=460, showlegend=True)
    fig.update_yaxes(tickformat=",.0f", tickprefix="€ ")
    return fig
