"""The pages Risico, Nacalculatie and Nieuw project toetsen in a real browser at 1366x768.

Each page opens on the demo data (and on the other portfolio workbook), shows its key Dutch texts and
no error box; a screenshot of the first screen and of the whole page goes to tests/e2e/artifacts/.
The upload of a one-project workbook, which AppTest cannot do, is driven here.
"""

from __future__ import annotations

import pytest

from igemo_fin.postcalc.proposal_input import proposal_from_form, proposal_sheets
from igemo_fin.inputs.workbook import read_workbook
from igemo_fin.exports.workbook_writer import workbook_bytes

from .conftest import ARTIFACTS, ROOT
from .test_browser import assert_no_error_box, wait_for_app

pytestmark = pytest.mark.browser

#: url path -> texts that must be on the page
PAGES = {
    "risico": ["Risico: wat kan er nog misgaan?", "Weerstandsvermogen", "Oordelen met de kans op verlies",
               "gesimuleerde toekomsten kost wat nog komt geld", "Wat beweegt de waarde het meest?",
               "Risico's uit het register", "Stressscenario's"],
    "nacalculatie": ["Nacalculatie: wat leerden de afgeronde projecten?", "Alle afgeronde projecten",
                     "Van begroot naar werkelijk resultaat", "Lessen voor de actieve projecten"],
    "nieuw_project": ["Nieuw project toetsen", "Kasstromen per jaar", "Oordeel over", "Met de lessen uit afgeronde",
                      "Kans op verlies", "Wat doet het voorstel met het kaskrediet?", "weerstandsvermogen"],
}


def full_screenshot(page, name: str) -> None:
    """Streamlit scrolls inside its main container, so grow the viewport to show the whole page."""
    height = page.evaluate("""() => Math.max(...[...document.querySelectorAll(
        '[data-testid="stMain"], [data-testid="stMainBlockContainer"], section')].map(e => e.scrollHeight), 768)""")
    page.set_viewport_size({"width": 1366, "height": int(height) + 40})
    page.wait_for_timeout(1000)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 768})


def open_page(page, url: str, path: str) -> None:
    page.goto(f"{url}/{path}")
    wait_for_app(page)
    for text in PAGES[path]:
        page.get_by_text(text, exact=False).first.wait_for(timeout=60_000)
    wait_for_app(page)


def assert_clean_text(page) -> None:
    assert_no_error_box(page)
    body = page.inner_text("body")
    for word in ("Traceback", "NaN", "nan %", "None", "npv_", "prob_loss", "result_nominal"):
        assert word not in body, word


@pytest.mark.parametrize("path", list(PAGES))
def test_risk_pages_in_the_browser(page, demo_app, path):
    open_page(page, demo_app, path)
    assert_clean_text(page)
    page.screenshot(path=str(ARTIFACTS / f"demo_{path}_scherm.png"))
    full_screenshot(page, f"demo_{path}.png")


@pytest.mark.parametrize("path", list(PAGES))
def test_risk_pages_on_another_workbook(page, other_app, path):
    open_page(page, other_app, path)
    assert_clean_text(page)
    full_screenshot(page, f"other_{path}.png")


def test_choosing_another_project_on_risico(page, demo_app):
    open_page(page, demo_app, "risico")
    box = page.get_by_role("combobox", name="Project", exact=True)
    box.scroll_into_view_if_needed()
    box.click()
    page.locator("[role='option']").filter(has_text="RC-03").click()
    wait_for_app(page)
    page.get_by_text("Papierfabriek Zennedal: contante waarde", exact=False).first.wait_for(timeout=30_000)
    page.get_by_text("In alle 10.000 gesimuleerde toekomsten kost wat nog komt geld.").wait_for(timeout=30_000)
    assert_clean_text(page)


def test_upload_a_one_project_workbook(page, demo_app, tmp_path):
    portfolio = read_workbook(ROOT / "data" / "demo_portefeuille.xlsx")
    import pandas as pd

    flows = pd.DataFrame({"jaar": [2026, 2027, 2028], "categorie": ["verwerving", "infrastructuur", "verkoop"],
                          "bedrag": [1_000_000.0, 500_000.0, 1_200_000.0]})
    proposal = proposal_from_form(naam="Fictief opgeladen voorstel", gemeente="Bornem", type="wonen", startjaar=2026,
                                  flows=flows, code="OP-1")
    path = tmp_path / "voorstel.xlsx"
    path.write_bytes(workbook_bytes(proposal_sheets(proposal, portfolio)))

    page.goto(f"{demo_app}/nieuw_project")
    wait_for_app(page)
    page.get_by_text("Werkboek met één project opladen").click()
    wait_for_app(page)
    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(str(path))
    page.get_by_text("Oordeel over Fictief opgeladen voorstel").wait_for(timeout=60_000)
    wait_for_app(page)
    # Costs 1.5 million, sales 1.2 million: a certain loss (forward value about -347,000), but above the stop
    # line of -500,000, so the chance of a loss past the stop line is 0 and the verdict is to adjust.
    page.get_by_text("Oordeel: ▲ Bijsturen").wait_for(timeout=30_000)
    assert_clean_text(page)
    full_screenshot(page, "demo_nieuw_project_opgeladen.png")
