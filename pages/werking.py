"""Werking en budget: finance's yearly review of the running costs, the overhead that escapes the
projects, and the municipalities' operating contribution in real terms (docs/werking.md)."""

import pandas as pd
import streamlit as st

from igemo_fin.errors import WorkbookError
from igemo_fin.fmt import date_nl, eur, number, pct
from igemo_fin.review.budget import FORECAST_METHODS, flag_word
from igemo_fin.review.trend import real_by_year
from igemo_fin.review.yearly import default_review_year, review_years
from ui import review_charts as charts
from ui import review_state
from ui.auth import require_role
from ui.plain import as_text
from ui.state import evaluation, require_portfolio, show_basis
from ui.tables import show_refusal_table
from ui.styled_table import show_table
from ui.shared import show_chart

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LAST_INDEXED = "per gemeente: het jaar van de laatste indexering"

# Reading page for financien and bestuur (it writes nothing). Checked here too, so it never shows data
# outside the navigation.
require_role("bestuur", "financien")
source, portfolio = require_portfolio()
lines, lines_label, lines_key = review_state.review_lines(source, portfolio)

st.title("Werking en budget")
show_basis(evaluation())
st.write("De jaarlijkse evaluatie van de vaste kosten: budget tegenover werkelijk per kostengroep, de evolutie "
         "in reële termen, de kosten die aan de projecten ontsnappen en de werkingsbijdrage van de gemeenten. "
         f"Bron van de werkelijke cijfers: {as_text(lines_label)}.")

default_year = default_review_year(lines, portfolio.settings.valuation_year())
years = review_years(lines, portfolio.settings.valuation_year())
left, right = st.columns(2)
year = left.selectbox("Jaar van de evaluatie", years, index=years.index(default_year), key="werking_jaar")

try:
    result = review_state.review(source.sha256, lines_key, int(year), None, portfolio, lines)
except WorkbookError as error:
    st.error(f"De bladen van de werking in het werkboek '{as_text(error.file or source.name)}' hebben "
             f"{len(error.problems)} probleem/problemen; verbeter ze en laad het werkboek opnieuw op.")
    show_refusal_table(error.problems)
    st.stop()

index_years = [int(y) for y in result.inputs.index.index if y <= year]
choice = right.selectbox("Wat-als: werkingsbijdrage geïndexeerd vanaf", [LAST_INDEXED] + index_years,
                         key="werking_indexjaar",
                         help="Wat de bijdrage zou zijn als ze vanaf dat jaar de index had gevolgd.")
if choice != LAST_INDEXED:
    result = review_state.review(source.sha256, lines_key, int(year), int(choice), portfolio, lines)

period, total = result.period, result.total
through = date_nl(period.through) if period.through.year == year else "nog niets geboekt"
m1, m2, m3, m4 = st.columns(4)
m1.metric(f"Prognose werking {year}", eur(total["forecast"]),
          help=f"Geboekt tot {through}; de prognose per kostengroep staat in de tabel.")
m2.metric("Verschil met het budget", eur(total["difference"]), pct(total["difference_pct"], 1),
          delta_color="inverse", help="Prognose min budget; positief = boven het budget.")
m3.metric("Kostengroepen boven de index", number(result.groups_above_index),
          help=f"Groeien meer dan {number(result.inputs.margin_pct, 1)} procentpunt sneller dan de index "
               "(instelling werking_marge_pct).")
m4.metric("Lijnen buiten de projecten", number(result.lines_outside_projects),
          help="Projectrekeningen zonder projectcode en kosten op een onbekend of afgesloten project.")

st.subheader(f"Budget tegenover werkelijk {year}")
table = pd.DataFrame({
    "Kostengroep": result.budget["label"], "Budget": result.budget["budget"],
    f"Werkelijk tot {through}": result.budget["actual"],
    "Zelfde periode vorig jaar": result.budget["same_period_last_year"],
    f"Heel {year - 1}": result.budget["last_year"], "Prognose": result.budget["forecast"],
    "Methode": [FORECAST_METHODS[m] for m in result.budget["forecast_method"]],
    "Verschil": result.budget["difference"], "Verschil %": result.budget["difference_pct"],
    "Groei %": result.budget["nominal_growth_pct"], "Index %": result.budget["index_growth_pct"],
    "Reële groei %": result.budget["real_growth_pct"],
    "Sneller dan de index": [flag_word(f) for f in result.budget["flag"]],
})
money = [c for c in table.columns if c not in ("Kostengroep", "Methode", "Sneller dan de index") and "%" not in c]
show_table(table, money=money, percent=[c for c in table.columns if "%" in c], hide_index=True,
           key="werking_budget")
if result.inputs.budget.empty:
    st.info("Er is geen blad 'budget_werking' in het werkboek: de verschillen met het budget blijven leeg.")
if result.inputs.index.empty:
    st.info("Er is geen blad 'index' in het werkboek: de reële groei en de signalen blijven leeg.")

st.subheader("Evolutie in reële termen")
show_chart(charts.cost_trend(result.trend, int(year)), key="werking_trend")
wide = real_by_year(result.trend).drop(columns="group")
wide.columns = ["Kostengroep", *(f"{y} (reëel)" for y in wide.columns[1:])]
show_table(wide, money=list(wide.columns[1:]), hide_index=True, key="werking_trendtabel")

st.subheader("Kosten die aan de projecten ontsnappen")
lists = (("zonder_code", "Projectrekeningen zonder projectcode", result.uncoded, result.uncoded_cost),
         ("verkeerd_project", "Kosten op een onbekend of afgesloten project", result.misdirected,
          result.misdirected_cost))
for which, title, frame, cost in lists:
    st.markdown(f"**{title}** ({number(len(frame))} lijn(en), {eur(cost)})")
    if frame.empty:
        st.caption("Geen lijnen in dit jaar.")
        continue
    shown = pd.DataFrame({"Datum": [date_nl(d) for d in frame["date"]], "Stuk": frame["document"],
                          "Rekening": frame["account"], "Omschrijving": frame["description"],
                          "Projectcode": frame["project_code"], "Bedrag": frame["cost"], "Waarom": frame["reason"]})
    show_table(shown, money=["Bedrag"], decimals=2, hide_index=True, key=f"werking_{which}")
    st.download_button(f"{title} downloaden (Excel)",
                       review_state.list_download(source.sha256, lines_key, int(year), which,
                                                  f"{title} ({year})", frame),
                       file_name=f"IGEMO_{which}_{year}.xlsx", mime=XLSX, icon=":material/download:",
                       key=f"werking_download_{which}")
months = result.monthly.rename(columns={
    "month": "Maand", "costs": "Kosten", "costs_uncoded": "Zonder geldige projectcode", "share_uncoded_pct": "Aandeel %",
    "project_costs": "Op projectrekeningen", "project_costs_uncoded": "Waarvan zonder code",
    "project_share_uncoded_pct": "Aandeel projectrekeningen %"})
st.markdown("**Aandeel kosten zonder projectcode per maand**")
show_table(months, money=["Kosten", "Zonder geldige projectcode", "Op projectrekeningen", "Waarvan zonder code"],
           percent=["Aandeel %", "Aandeel projectrekeningen %"], hide_index=True, key="werking_maanden")

st.subheader("Werkingsbijdrage van de gemeenten")
if result.contributions.empty:
    st.info(f"Er zijn geen werkingsbijdragen voor {year} (blad 'werkingsbijdrage').")
else:
    cover = result.coverage
    c1, c2, c3 = st.columns(3)
    c1.metric(f"Werkingsbijdragen {year}", eur(cover["contributions"]),
              help=f"Dekt {pct(cover['coverage_pct'], 1)} van de werkingskosten.")
    c2.metric("Kloof met de werkingskosten", eur(cover["gap"]))
    c3.metric("Kloof na herindexering", eur(cover["gap_reindexed"]))
    partners = pd.DataFrame({
        "Gemeente": result.contributions["partner"], "Bijdrage": result.contributions["contribution_nominal"],
        "Laatst geïndexeerd": result.contributions["last_indexed"].astype(str),
        "Reële waarde (prijzen laatste indexering)": result.contributions["contribution_real"],
        "Geïndexeerd vanaf": result.contributions["index_year"].astype(str),
        "Na herindexering": result.contributions["reindexed"],
        "Verschil": result.contributions["reindexation_gap"]})
    show_table(partners, money=["Bijdrage", "Reële waarde (prijzen laatste indexering)", "Na herindexering",
                                "Verschil"], hide_index=True, key="werking_bijdragen")
    show_chart(charts.contributions(result.contribution_years, int(year)), key="werking_bijdragegrafiek")
