"""The board pack's charts (matplotlib, rendered to PNG for the PDF): Dutch labels, Belgian amounts."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd

from igemo_fin.columns import CATEGORY_COLOURS, CATEGORY_LABELS
from igemo_fin.exports.boardpack_content import VERDICT_COLOURS, VERDICT_WORDS, plain_text
from igemo_fin.fmt import number
from igemo_fin.valuation.evaluate import Evaluation
from igemo_fin.valuation.rules import VERDICTS

__all__ = ["project_chart", "portfolio_charts", "chart_style", "png"]


def _plain_label(text) -> str:
    """A label matplotlib draws as it is: no control characters, '$' not read as mathtext."""
    return plain_text(text).replace("$", r"\$")


def _axis_money(value: float, _pos=None) -> str:
    """Axis ticks in euro, Belgian: ``€ 1,5 mln``, ``€ 250.000``."""
    if abs(value) >= 1e6:
        return f"€ {number(value / 1e6, 1)} mln"
    return f"€ {number(value)}"


def png(fig) -> bytes:
    """A matplotlib figure as PNG bytes (150 dpi)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=150, pil_kwargs={"compress_level": 1})
    return buffer.getvalue()


def chart_style(ax) -> None:
    """The board pack's axes: amounts in Belgian euro, whole years, light grid."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    ax.yaxis.set_major_formatter(FuncFormatter(_axis_money))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.tick_params(labelsize=8)


def project_chart(ev: Evaluation, code: str) -> bytes:
    """Cash flows by category per year (costs below zero; the past lighter) and book value with interest."""
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch
    from matplotlib.ticker import FuncFormatter

    V = ev.valuation_year
    flows = ev.flows[ev.flows["project_code"] == code]
    yearly = ev.yearly[ev.yearly["project_code"] == code].sort_values("jaar")
    fig = Figure(figsize=(7.0, 4.6))
    ax1, ax2 = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [1.1, 1]})
    handles = []
    years = yearly["jaar"].to_numpy()
    pos = pd.Series(0.0, index=years)
    neg = pd.Series(0.0, index=years)
    for category, colour in CATEGORY_COLOURS.items():
        part = flows[flows["categorie"] == category].groupby("jaar")["bedrag"].sum()
        if part.empty:
            continue
        part = part.reindex(years, fill_value=0.0)
        height = part.to_numpy()
        base = np.where(height >= 0, pos.to_numpy(), neg.to_numpy())
        for when, style in ((years < V, dict(alpha=0.5, hatch="//")), (years >= V, {})):
            show = when & (height != 0)
            if show.any():
                ax1.bar(years[show], height[show], bottom=base[show], color=colour, width=0.8, edgecolor="white",
                        linewidth=0.3, **style)
        handles.append(Patch(facecolor=colour, label=CATEGORY_LABELS[category]))
        pos += part.clip(lower=0)
        neg += part.clip(upper=0)
    ax1.axhline(0, color="#555555", linewidth=0.8)
    ax1.axvline(V - 0.5, color="black", linestyle="--", linewidth=1)
    ax1.set_title("Kasstromen per jaar (kosten onder nul; gearceerd = verleden)", fontsize=9, loc="left")
    chart_style(ax1)

    ax2.bar(years, yearly["interest"], color="#E69F00", width=0.6, label="Rente (toegerekend)")
    ax2.set_ylabel("Rente", fontsize=8)
    ax2.yaxis.set_major_formatter(FuncFormatter(_axis_money))
    ax3 = ax2.twinx()
    ax3.plot(years, yearly["book_value_end"], color="#0072B2", marker="o", markersize=3, linewidth=2,
             label="Boekwaarde op 31/12")
    ax3.axhline(0, color="#888888", linewidth=0.6, linestyle=":")
    ax3.yaxis.set_major_formatter(FuncFormatter(_axis_money))
    ax3.tick_params(labelsize=8)
    ax3.set_ylabel("Boekwaarde", fontsize=8)
    ax2.axvline(V - 0.5, color="black", linestyle="--", linewidth=1)
    ax2.set_title(f"Boekwaarde (lijn, rechts) en rente per jaar (staven, links); stippellijn = 1/1/{V}",
                  fontsize=9, loc="left")
    chart_style(ax2)
    ax3.spines[["top"]].set_visible(False)
    handles += ax2.get_legend_handles_labels()[0] + ax3.get_legend_handles_labels()[0]
    fig.legend(handles=handles, labels=[h.get_label() for h in handles], fontsize=7, frameon=False,
               loc="lower center", ncols=min(len(handles), 5))
    ax2.set_xlabel("Jaar", fontsize=8)
    # Fixed margins instead of tight_layout: the same look for every project, at a third of the cost.
    fig.subplots_adjust(left=0.13, right=0.87, top=0.95, bottom=0.2 if len(handles) > 5 else 0.16, hspace=0.3)
    return png(fig)


def portfolio_charts(ev: Evaluation) -> bytes:
    """Risk and return of the active projects, and the cash credit against its limit."""
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.ticker import FuncFormatter

    V = ev.valuation_year
    fig = Figure(figsize=(7.0, 6.4))
    ax1, ax2 = fig.subplots(2, 1, gridspec_kw={"height_ratios": [1.25, 1]})
    active = ev.figures[ev.figures["status"] == "actief"]
    irr = 100 * active["irr_full_life"].astype(float)
    floor = (np.nanmin(irr) - 2) if irr.notna().any() else -5.0
    x = irr.fillna(floor).to_numpy()
    size = np.clip(active["book_value"].to_numpy(dtype=float), 0, None)
    top = size.max() if size.size and size.max() > 0 else 1.0
    markers = {"DOORGAAN": "o", "BIJSTUREN": "^", "STOPZETTEN": "s", "AFSTOTEN": "D"}
    for verdict in VERDICTS:
        mask = (active["verdict"] == verdict).to_numpy()
        if not mask.any():
            continue
        ax1.scatter(x[mask], active["npv_forward"].to_numpy()[mask], s=30 + 370 * size[mask] / top,
                    c=VERDICT_COLOURS[verdict], marker=markers[verdict], alpha=0.85, edgecolors="white",
                    linewidths=0.8, label=VERDICT_WORDS[verdict])
    for xi, yi, code in zip(x, active["npv_forward"], active["project_code"]):
        ax1.annotate(_plain_label(code), (xi, yi), fontsize=6.5, xytext=(4, 4), textcoords="offset points")
    ax1.axhline(0, color="grey", linestyle=":", linewidth=1)
    ax1.set_xlabel("Intern rendement over de hele looptijd (%)", fontsize=8)
    ax1.set_title("Risico en rendement van de actieve projecten (grootte = boekwaarde)", fontsize=9, loc="left")
    chart_style(ax1)
    ax1.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{number(v, 0)} %"))
    legend = [Line2D([], [], marker=markers[v], color="white", markerfacecolor=VERDICT_COLOURS[v], markersize=8,
                     label=VERDICT_WORDS[v]) for v in VERDICTS]
    ax1.legend(handles=legend, fontsize=7, frameon=False, loc="best")
    ax1.set_ylabel("CW van wat nog komt", fontsize=8)

    credit = ev.credit[ev.credit["drawn_end"].gt(0) | ev.credit["jaar"].between(V - 5, V + 5)]
    past = credit["jaar"] < V
    ax2.bar(credit["jaar"], credit["drawn_end"], color=np.where(past, "#9ecae1", "#0072B2"),
            label="Opgenomen op 31/12")
    ax2.step(credit["jaar"], credit["kredietlimiet"], where="mid", color="#D55E00", linewidth=2,
             label="Kredietlimiet")
    ax2.axvline(V - 0.5, color="black", linestyle="--", linewidth=1)
    ax2.set_title("Kaskrediet: opgenomen bedrag tegenover de limiet (lichter = verleden)", fontsize=9, loc="left")
    chart_style(ax2)
    ax2.legend(fontsize=7, frameon=False, loc="upper left")
    ax2.set_xlabel("Jaar", fontsize=8)
    fig.subplots_adjust(left=0.13, right=0.97, top=0.95, bottom=0.08, hspace=0.33)
    return png(fig)

