"""The main flows in a real browser at 1366x768: every page opens, speaks Dutch, shows no error box."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from .conftest import ARTIFACTS, ROOT

pytestmark = pytest.mark.browser

#: url path -> texts that must be on the page
PAGES = {
    "": ["Projectportefeuille in één oogopslag", "Oordeel per project", "Waarde van wat nog komt"],
    "overzicht": ["Projectportefeuille in één oogopslag", "Oordeel per project", "Waarde van wat nog komt"],
    "project": ["Kerncijfers", "Waarom: elke regel van het beslissingskader"],
    "kader": ["Beslissingskader", "De officiële drempels", "Wat als? Drempels simuleren"],
    "kaskrediet": ["Kaskrediet", "Rentestress: wat als de rente stijgt?"],
}


def wait_for_app(page) -> None:
    """Wait until the script has run and everything it sent is drawn.

    Before the entry script runs, Streamlit shows a navigation built from the pages/ folder; ours
    (with "Beslissingskader") replaces it once st.navigation has run. Charts and tables stream in
    after that, so we also wait for skeletons to go and every Plotly chart to have drawn its SVG.
    """
    page.wait_for_selector("[data-testid='stApp']", timeout=30_000)
    page.get_by_text("Beslissingskader").first.wait_for(timeout=30_000)
    page.wait_for_function(
        """() => !document.querySelector('[data-testid="stStatusWidget"]')
              && !document.querySelector('[data-testid="stSkeleton"]')
              && [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
                   .every(c => c.querySelector('.main-svg'))""", timeout=30_000)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(800)


def assert_no_error_box(page) -> None:
    assert page.locator("[data-testid='stException']").count() == 0
    errors = page.locator("[data-testid='stAlertContentError']")
    assert errors.count() == 0, errors.all_inner_texts()


@pytest.mark.parametrize("path", list(PAGES))
def test_every_page_in_the_browser(page, demo_app, path):
    page.goto(f"{demo_app}/{path}")
    wait_for_app(page)
    for text in PAGES[path]:
        page.get_by_text(text, exact=False).first.wait_for(timeout=30_000)
    assert_no_error_box(page)
    body = page.inner_text("body")
    assert "Traceback" not in body and "NaN" not in body
    assert "Page not found" not in body and "Pagina niet gevonden" not in body
    page.screenshot(path=str(ARTIFACTS / f"demo_{path or 'start'}.png"), full_page=True)


def test_overview_shows_the_cli_figures(page, demo_app):
    cli = subprocess.run([sys.executable, "-m", "igemo_fin", "evaluate", str(ROOT / "data" / "demo_portefeuille.xlsx"),
                          "--json"], capture_output=True, text=True, cwd=ROOT, check=True)
    data = json.loads(cli.stdout)
    page.goto(demo_app)
    wait_for_app(page)
    text = page.inner_text("[data-testid='stMetric']:has-text('Waarde van wat nog komt')")
    expected = f"€ {round(data['portfolio']['npv_forward_active']):,}".replace(",", ".")
    assert expected in text


def test_what_if_in_the_browser(page, demo_app):
    page.goto(f"{demo_app}/kader")
    wait_for_app(page)
    field = page.locator("input[aria-label='Stopzetten als de toekomstige contante waarde lager is dan (€)']")
    field.fill("-5000000")
    field.press("Enter")
    wait_for_app(page)
    page.get_by_text("krijgen een ander oordeel in de simulatie", exact=False).wait_for(timeout=30_000)
    assert_no_error_box(page)
    page.screenshot(path=str(ARTIFACTS / "demo_kader_whatif.png"), full_page=True)


def test_another_workbook_in_the_browser(page, other_app):
    page.goto(other_app)
    wait_for_app(page)
    page.get_by_text("Oordeel per project").wait_for(timeout=30_000)
    assert_no_error_box(page)
    page.screenshot(path=str(ARTIFACTS / "other_overzicht.png"), full_page=True)


def test_board_pack_downloads(page, demo_app):
    import io

    import openpyxl

    page.goto(demo_app)
    wait_for_app(page)
    with page.expect_download(timeout=60_000) as info:
        page.get_by_text("Bestuurspakket als Excel").click()
    download = info.value
    assert download.suggested_filename.startswith("bestuurspakket_")
    book = openpyxl.load_workbook(io.BytesIO(open(download.path(), "rb").read()))
    assert len(book.sheetnames) > 3
    with page.expect_download(timeout=120_000) as info:
        page.get_by_text("Bestuurspakket als PDF").click()
    assert open(info.value.path(), "rb").read(5) == b"%PDF-"
    assert_no_error_box(page)
