"""Plotly figures of the pages Risico, Nacalculatie and Nieuw project toetsen.

Pure functions of engine results; titles and axes in Dutch with their unit, Belgian separators
(:data:`ui.style.PLOTLY_LAYOUT`), Okabe-Ito colours, and a second cue (hatching, line style, the
word in the legend) wherever colour carries a meaning.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from igemo_fin.fmt import eur, number

from .shared import shared_figure
from .plain import chart_text
from .charts import titled_layout

LOSS = "#D55E00"    # vermillion: money lost
GAIN = "#0072B2"    # blue: money made
NEUTRAL = "#999999"
PERCENTILE_STYLE = {  # name, line style, colour
    "p10": ("P10: slecht geval (1 op 10 is slechter)", "dot", "#000000"),
    "p50": ("P50: middelste uitkomst", "solid", "#000000"),
    "p90": ("P90: goed geval (1 op 10 is beter)", "dash", "#000000"),
}
MONEY_AXIS = dict(tickformat=",.0f", tickprefix="€ ")



def _edges(values: np.ndarray, bins: int = 50) -> np.ndarray:
    """Bin edges over the values' range with 0 as an edge when the range crosses it (a bin is never
    half loss, half gain)."""
    lo, hi = float(values.min()), float(values.max())
    if hi == lo:
        width = max(abs(lo) * 0.01, 1.0)
        return np.array([lo - width / 2, lo + width / 2])
    width = (hi - lo) / bins
    start = math.floor(lo / width)
    stop = math.ceil(hi / width)
    if stop == start:
        stop += 1
    edges = np.arange(start, stop + 1) * width
    if edges[-1] < hi:
        edges = np.append(edges, edges[-1] + width)
    return edges


def _binned(values: np.ndarray, bins: int = 50) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    edges = _edges(np.asarray(values, dtype=float), bins)
    counts, edges = np.histogram(values, bins=edges)
    return counts, edges[:-1], edges[1:]


@shared_figure
def npv_histogram(samples: np.ndarray, p10: float, p50: float, p90: float, title: str) -> go.Figure:
    """The distribution of a project's forward NPV over the simulations: bars below zero (a loss)
    hatched in vermillion, above in blue; P10/P50/P90 as lines with their values in the legend."""
    samples = np.asarray(samples, dtype=float)
    counts, left, right = _binned(samples)
    centre = (left + right) / 2
    widths = right - left
    fig = go.Figure()
    for name, mask, colour, pattern in (("Wat nog komt kost geld (verlies)", right <= 0, LOSS, "/"),
                                        ("Wat nog komt levert op", right > 0, GAIN, "")):
        if not mask.any():
            continue
        hover = [f"{eur(a)} tot {eur(b)}: {number(c)} simulaties" for a, b, c in
                 zip(left[mask], right[mask], counts[mask])]
        fig.add_trace(go.Bar(x=centre[mask], y=counts[mask], width=widths[mask], name=name, marker_color=colour,
                             marker_pattern_shape=pattern, hovertext=hover, hoverinfo="text",
                             marker_line=dict(width=0.5, color="white")))
    top = float(counts.max()) if counts.size else 1.0
    for key, value in (("p10", p10), ("p50", p50), ("p90", p90)):
        label, dash, colour = PERCENTILE_STYLE[key]
        fig.add_trace(go.Scatter(x=[value, value], y=[0, top * 1.05], mode="lines", name=f"{label}: {eur(value)}",
                                 line=dict(color=colour, dash=dash, width=2), hoverinfo="name"))
    lo, hi = float(samples.min()), float(samples.max())
    span = max(hi - lo, 0.05 * max(abs(lo), abs(hi)), 1.0)
    if lo - 0.25 * span <= 0 <= hi + 0.25 * span:
        fig.add_vline(x=0, line_color=LOSS, line_width=2, annotation_text="€ 0: grens verlies | winst",
                      annotation_position="top", annotation_font_color=LOSS)
    else:
        # Drawing zero would squeeze the distribution into a sliver: say where it lies instead.
        side = "links" if lo > 0 else "rechts"
        text = (f"€ 0 (grens verlies | winst) ligt ver {side} van deze grafiek: "
                + ("geen enkele simulatie maakt verlies" if lo > 0 else "elke simulatie maakt verlies"))
        fig.add_annotation(text=text, xref="paper", yref="paper", x=0 if lo > 0 else 1, y=1.02,
                           xanchor="left" if lo > 0 else "right", yanchor="bottom", showarrow=False,
                           font=dict(color=LOSS))
    titled_layout(fig, title, xaxis=dict(title="Contante waarde van wat nog komt (€)", **MONEY_AXIS),
            yaxis_title="Aantal simulaties", bargap=0, height=430)
    return fig


@shared_figure
def loss_histogram(loss: np.ndarray, p90: float, equity: float | None) -> go.Figure:
    """IGEMO's loss after risk sharing over the simulations, its P90 and the equity that must cover it."""
    loss = np.asarray(loss, dtype=float)
    counts, left, right = _binned(loss)
    hover = [f"{eur(a)} tot {eur(b)}: {number(c)} simulaties" for a, b, c in zip(left, right, counts)]
    fig = go.Figure(go.Bar(x=(left + right) / 2, y=counts, width=right - left, name="Verlies voor IGEMO",
                           marker_color=LOSS, marker_line=dict(width=0.5, color="white"), hovertext=hover,
                           hoverinfo="text"))
    top = float(counts.max()) if counts.size else 1.0
    fig.add_trace(go.Scatter(x=[p90, p90], y=[0, top * 1.05], mode="lines", name=f"P90 van het verlies: {eur(p90)}",
                             line=dict(color="#000000", dash="dash", width=3), hoverinfo="name"))
    if equity is not None and not math.isnan(equity):
        fig.add_trace(go.Scatter(x=[equity, equity], y=[0, top * 1.05], mode="lines",
                                 name=f"Eigen vermogen: {eur(equity)}", line=dict(color=GAIN, width=3),
                                 hoverinfo="name"))
    titled_layout(fig, "Verlies voor IGEMO na risicodeling, over alle simulaties",
            xaxis=dict(title="Verlies voor IGEMO over de hele looptijd van de projecten (€)", **MONEY_AXIS),
            yaxis_title="Aantal simulaties", bargap=0, height=400)
    return fig


@shared_figure
def tornado_chart(frame: pd.DataFrame, project: str) -> go.Figure:
    """The drivers of a project's forward NPV, the widest swing on top.

    Each bar runs from the value at one setting of the driver to the value at the other (both written
    at the bar's ends); the part below the forecast's value is hatched vermillion, the part above blue.
    """
    f = frame.iloc[::-1]  # plotly draws the first category at the bottom
    base = float(frame["npv_base"].iloc[0]) if not frame.empty else 0.0
    labels = f["label"].tolist()
    lo, hi = f["npv_low"].to_numpy(dtype=float), f["npv_high"].to_numpy(dtype=float)
    below_start, below_end = np.minimum(lo, base), np.minimum(hi, base)
    above_start, above_end = np.maximum(lo, base), np.maximum(hi, base)
    hover = [f"{lab}<br>{a}: {eur(x)}<br>{b}: {eur(y)}" for lab, a, x, b, y in
             zip(labels, f["low_setting"], lo, f["high_setting"], hi)]
    fig = go.Figure()
    fig.add_trace(go.Bar(y=labels, x=below_end - below_start, base=below_start, orientation="h",
                         name="Lager dan de prognose", marker_color=LOSS, marker_pattern_shape="/",
                         hovertext=hover, hoverinfo="text"))
    fig.add_trace(go.Bar(y=labels, x=above_end - above_start, base=above_start, orientation="h",
                         name="Hoger dan de prognose", marker_color=GAIN, hovertext=hover, hoverinfo="text"))
    fig.add_trace(go.Scatter(y=labels, x=lo, mode="text", text=[f"{t} " for t in f["low_setting"]],
                             textposition="middle left", textfont=dict(size=12), showlegend=False, hoverinfo="skip"))
    fig.add_trace(go.Scatter(y=labels, x=hi, mode="text", text=[f" {t}" for t in f["high_setting"]],
                             textposition="middle right", textfont=dict(size=12), showlegend=False,
                             hoverinfo="skip"))
    fig.add_vline(x=base, line_color="#000000", line_width=2, annotation_text=f"prognose: {eur(base)}",
                  annotation_position="top")
    span = float(hi.max() - lo.min()) if len(f) else 1.0
    span = span or max(abs(base) * 0.1, 1.0)
    x_range = [float(min(lo.min(), base)) - 0.45 * span, float(max(hi.max(), base)) + 0.45 * span] if len(f) else None
    titled_layout(fig, f"Wat de contante waarde van {project} het meest beweegt", barmode="overlay",
            xaxis=dict(title="Contante waarde van wat nog komt (€)", range=x_range, **MONEY_AXIS),
            yaxis=dict(automargin=True), height=max(320, 150 + 45 * len(frame)))
    return fig


@shared_figure
def postcalc_waterfall(row: pd.Series) -> go.Figure:
    """From the budgeted to the actual result of a finished project: costs, revenues, interest and timing."""
    parts = [("Kosten", row["variance_costs"]), ("Opbrengsten", row["variance_revenues"]),
             ("Rente<br>(bedragen, rentevoet)", row["variance_interest"]),
             ("Timing<br>(verschuiving in de tijd)", row["variance_timing"])]
    x = ["Resultaat<br>begroot"] + [p[0] for p in parts] + ["Resultaat<br>werkelijk"]
    y = [row["result_budget"]] + [p[1] for p in parts] + [row["result_actual"]]
    fig = go.Figure(go.Waterfall(
        x=x, y=y, measure=["absolute"] + ["relative"] * len(parts) + ["total"],
        text=[eur(v) for v in y], textposition="outside",
        increasing=dict(marker=dict(color=GAIN)), decreasing=dict(marker=dict(color=LOSS)),
        totals=dict(marker=dict(color=NEUTRAL)), connector=dict(line=dict(color="#666666", dash="dot")),
        hovertemplate="%{x}: %{text}<extra></extra>"))
    low = min(0.0, *np.cumsum(y[:-1]), y[-1])
    high = max(0.0, *np.cumsum(y[:-1]), y[-1])
    pad = 0.15 * (high - low or 1.0)
    titled_layout(fig, "Van begroot naar werkelijk resultaat (blauw = beter, oranjerood = slechter dan begroot)",
            yaxis=dict(title="Resultaat na rente (€)", range=[low - pad, high + pad], **MONEY_AXIS),
            xaxis_title="Oorzaak van het verschil", showlegend=False, height=420)
    return fig


@shared_figure
def postcalc_ratios(projects: pd.DataFrame) -> go.Figure:
    """Per finished project: actual costs and revenues in % of the budget (100 % = as budgeted)."""
    p = projects[projects["has_budget"]].iloc[::-1]  # plotly draws the first category at the bottom
    fig = go.Figure()
    for name, column, colour, pattern, word in (
            ("Opbrengsten (werkelijk in % van begroot)", "revenue_ratio", GAIN, "", "Opbrengsten"),
            ("Kosten (werkelijk in % van begroot)", "cost_ratio", LOSS, "/", "Kosten")):
        fig.add_trace(go.Bar(y=[chart_text(n) for n in p["naam"]], x=100 * p[column], name=name, orientation="h", marker_color=colour,
                             marker_pattern_shape=pattern, text=[f"{number(v, 1)} %" for v in 100 * p[column]],
                             textposition="outside", hovertemplate="%{y}: %{text}<extra>" + word + "</extra>"))
    values = pd.concat([100 * p["cost_ratio"], 100 * p["revenue_ratio"]]).dropna()
    low = min(80.0, float(values.min()) - 5) if not values.empty else 80.0
    high = max(120.0, float(values.max()) + 8) if not values.empty else 120.0
    fig.add_vline(x=100, line_color="#000000", line_dash="dot", line_width=2, annotation_text="100 % = zoals begroot",
                  annotation_position="top")
    titled_layout(fig, "Afgeronde projecten: werkelijke kosten en opbrengsten tegenover de begroting",
            barmode="group", yaxis=dict(title=None, automargin=True), height=130 + 60 * len(p),
            xaxis=dict(title="Werkelijk in % van de begroting", ticksuffix=" %", range=[low, high]),
            legend=dict(orientation="h", yanchor="top", y=-0.18, x=0, traceorder="reversed"))
    return fig


@shared_figure
def credit_compare(credit: pd.DataFrame) -> go.Figure:
    """Drawn balance at 31 December without and with the proposal, against the credit limit."""
    fig = go.Figure()
    fig.add_trace(go.Bar(x=credit["jaar"], y=credit["drawn_before"], name="Opgenomen zonder voorstel",
                         marker_color="#9ecae1", hovertemplate="%{x}: € %{y:,.0f}<extra>Zonder voorstel</extra>"))
    fig.add_trace(go.Bar(x=credit["jaar"], y=credit["drawn_after"], name="Opgenomen met voorstel",
                         marker_color=GAIN, marker_pattern_shape=".",
                         hovertemplate="%{x}: € %{y:,.0f}<extra>Met voorstel</extra>"))
    if credit["kredietlimiet"].notna().any():
        fig.add_trace(go.Scatter(x=credit["jaar"], y=credit["kredietlimiet"], name="Kredietlimiet", mode="lines",
                                 line=dict(color=LOSS, width=3, shape="hv"),
                                 hovertemplate="%{x}: € %{y:,.0f}<extra>Limiet</extra>"))
    titled_layout(fig, "Kaskrediet: opgenomen bedrag op 31/12 zonder en met het voorstel", barmode="group",
            xaxis_title="Jaar", yaxis=dict(title="Bedrag (€)", **MONEY_AXIS), height=400)
    return fig
