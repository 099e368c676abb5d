"""The Gegevens page in a real browser: upload the example ledger, confirm, see it in the history; an
unrecognised export: pick its columns, preview, confirm, and the next one with that header goes without asking.

The app runs on its own empty database (``IGEMO_DB`` in a temporary folder) and without
``IGEMO_WORKBOOK``, which would otherwise take priority over the store.
"""

from __future__ import annotations

import re
import sqlite3
import subprocess

import pytest

from igemo_fin.inputs.example_ledger import example_ledger

from .conftest import ARTIFACTS, ROOT, _start_app
from .test_browser import assert_no_error_box, wait_for_app

pytestmark = pytest.mark.browser


def full_screenshot(page, name: str) -> None:
    """Streamlit scrolls inside its main container, so grow the viewport to show the whole page."""
    height = page.evaluate("""() => Math.max(...[...document.querySelectorAll(
        '[data-testid="stMain"], [data-testid="stMainBlockContainer"], section')].map(e => e.scrollHeight), 768)""")
    page.set_viewport_size({"width": 1366, "height": int(height) + 40})
    page.wait_for_timeout(800)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 768})


def line_count(db) -> int | None:
    """Stored ledger lines, read-only (None while the database does not exist: it is not created here)."""
    if not db.exists():
        return None
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return conn.execute("SELECT COUNT(*) FROM ledger_lines").fetchone()[0]


@pytest.fixture(scope="module")
def store_app(tmp_path_factory):
    folder = tmp_path_factory.mktemp("gegevens")
    db = folder / "igemo.db"
    # an empty IGEMO_WORKBOOK counts as unset: the dashboard reads the store, and falls back to the demo
    proc, url = _start_app({"IGEMO_WORKBOOK": "", "IGEMO_DB": str(db)})
    yield url, db, folder
    proc.terminate()
    try:
        proc.wait(20)
    except subprocess.TimeoutExpired:  # a loaded machine: do not fail the test on a slow shutdown
        proc.kill()
        proc.wait(10)


def test_upload_confirm_and_history(page, store_app):
    url, db, folder = store_app
    ledger = folder / "voorbeeld_grootboek.xlsx"
    ledger.write_bytes(example_ledger())

    page.goto(f"{url}/gegevens")
    wait_for_app(page)
    page.get_by_text("Er is nog geen grootboekexport geïmporteerd.").wait_for(timeout=30_000)
    assert not db.exists(), "opening the page must not create the database"

    name = page.locator("input[aria-label='Uw naam']")
    name.fill("An Peeters")
    name.press("Enter")
    wait_for_app(page)

    uploader = page.locator("[data-testid='stFileUploader']").filter(has_text="Grootboekexport")
    uploader.locator("input[type='file']").set_input_files(str(ledger))
    page.get_by_text("Totalen per project en categorie").wait_for(timeout=30_000)
    wait_for_app(page)
    assert_no_error_box(page)
    body = page.inner_text("body")
    assert "Regels gelezen" in body and "Niet meegeteld" in body
    assert "€ 3.229.130,55" in body  # the file's net total, Belgian format, to the cent
    full_screenshot(page, "gegevens_voorbeeld.png")

    page.get_by_role("button", name="Bevestigen en opslaan").click()
    page.get_by_text("27 regels gelezen: 23 projectcijfers, 4 niet meegeteld; 27 opgeslagen", exact=False).wait_for(
        timeout=30_000)
    wait_for_app(page)
    assert_no_error_box(page)
    page.get_by_text("al geïmporteerd op", exact=False).first.wait_for(timeout=30_000)
    history = page.locator("[data-testid='stDataFrame']").filter(has_text="voorbeeld_grootboek.xlsx")
    history.first.wait_for(timeout=30_000)
    assert "Er is nog geen grootboekexport geïmporteerd." not in page.inner_text("body")
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT filename, uploader, rows_read, rows_imported, rows_skipped, rows_stored "
                            "FROM ledger_imports").fetchall() == [("voorbeeld_grootboek.xlsx", "An Peeters", 27, 23, 4, 27)]
    full_screenshot(page, "gegevens_na_import.png")


def test_workbook_version_becomes_the_source(page, store_app):
    url, db, folder = store_app
    page.goto(f"{url}/gegevens")
    wait_for_app(page)
    name = page.locator("input[aria-label='Uw naam']")
    name.fill("Bo Janssens")
    name.press("Enter")
    wait_for_app(page)
    page.get_by_role("tab", name="Portefeuillewerkboek").click()
    uploader = page.locator("[data-testid='stFileUploader']").filter(has_text="Portefeuillewerkboek (.xlsx)")
    uploader.locator("input[type='file']").set_input_files(str(ROOT / "tests" / "data" / "other_portfolio.xlsx"))
    page.get_by_text("Eerste versie: 6 projecten.", exact=False).wait_for(timeout=30_000)
    wait_for_app(page)
    assert_no_error_box(page)
    page.get_by_role("button", name="Bevestigen en opslaan").click()
    page.get_by_text("Opgeslagen als versie 1.", exact=False).wait_for(timeout=30_000)
    wait_for_app(page)
    assert_no_error_box(page)
    page.get_by_role("tab", name="Portefeuillewerkboek").click()
    page.get_by_text("Versie die het dashboard toont").wait_for(timeout=30_000)
    sidebar = page.locator("[data-testid='stSidebar']")
    assert "Gegevens: Versie 1 van" in sidebar.inner_text() and "(other_portfolio.xlsx)" in sidebar.inner_text()
    full_screenshot(page, "gegevens_werkboek.png")

    page.goto(url)
    wait_for_app(page)
    page.get_by_text("Oordeel per project").wait_for(timeout=30_000)
    assert "Versie 1 van" in page.inner_text("body")
    assert_no_error_box(page)


def test_a_refused_ledger_shows_its_errors_and_stores_nothing(page, store_app):
    from tests.ledger_files import csv_bytes

    url, db, folder = store_app
    broken = folder / "kapot.csv"
    broken.write_bytes(csv_bytes([["Boekdatum", "Rekening", "Projectcode", "Bedrag"],
                                  ["31/02/2025", "603000", "K-101", "1.000,00"],
                                  ["01/03/2025", "603000", "K-101", "duizend"]]))
    before = line_count(db)
    page.goto(f"{url}/gegevens")
    wait_for_app(page)
    uploader = page.locator("[data-testid='stFileUploader']").filter(has_text="Grootboekexport")
    uploader.locator("input[type='file']").set_input_files(str(broken))
    page.get_by_text("wordt geweigerd: 2 probleem/problemen", exact=False).wait_for(timeout=30_000)
    wait_for_app(page)
    assert page.get_by_role("button", name="Bevestigen en opslaan").count() == 0
    full_screenshot(page, "gegevens_geweigerd.png")
    assert line_count(db) == before


def choose(page, label: str, option: str) -> None:
    """Pick an option of a Streamlit selectbox by its label."""
    box = page.locator("[data-testid='stSelectbox']").filter(has_text=label).first
    wanted = page.get_by_role("option", name=option, exact=True)
    # A rerun that redraws the field can swallow the key that opens it: open it again until the list shows.
    for _ in range(5):
        box.locator("input").focus()
        page.keyboard.press("ArrowDown")  # opens the list (a click on the field only focuses it here)
        try:
            wanted.wait_for(timeout=6_000)
            break
        except Exception:  # Playwright's TimeoutError: try once more
            page.keyboard.press("Escape")
            wait_for_app(page)
    wanted.click()
    wait_for_app(page)
    assert box.locator("input").input_value() == option


def test_an_unknown_export_is_mapped_once_then_imported_without_asking(page, store_app):
    from tests.ledger_files import csv_bytes

    url, db, folder = store_app
    header = ["Dag", "Rek", "Proj", "Waarde", "Tekst"]
    first, second = folder / "octopus_1.csv", folder / "octopus_2.csv"
    first.write_bytes(csv_bytes([["Octopus grootboekkaart"], header, ["15/03/2025", "605000", "BT-05", "1.000,00", "grond"],
                                 ["16/03/2025", "650000", "BT-05", "20,00", "rente"]]))
    second.write_bytes(csv_bytes([["Octopus grootboekkaart"], header,
                                  ["02/04/2025", "605000", "BT-05", "2.500,00", "grond 2"]]))
    page.goto(f"{url}/gegevens")
    wait_for_app(page)
    name = page.locator("input[aria-label='Uw naam']")
    name.fill("An Peeters")
    name.press("Enter")
    wait_for_app(page)
    uploader = page.locator("[data-testid='stFileUploader']").filter(has_text="Grootboekexport")
    uploader.locator("input[type='file']").set_input_files(str(first))
    page.get_by_text("niet eenduidig herkend", exact=False).wait_for(timeout=30_000)
    wait_for_app(page)
    row = page.locator("input[aria-label='Rij met de kolomkoppen']")
    row.fill("2")
    row.press("Enter")
    wait_for_app(page)
    for label, column in (("Datum", "Dag"), ("Rekening", "Rek"), ("Projectcode", "Proj"),
                          ("Bedrag (met teken)", "Waarde"), ("Omschrijving", "Tekst")):
        choose(page, label, column)
    page.get_by_text("Totalen per project en categorie").wait_for(timeout=30_000)
    body = page.inner_text("body")
    assert "Projectcijfers" in body and "€ -1.020,00" in body  # the file's net, before anything is stored
    full_screenshot(page, "gegevens_kolomkeuze.png")
    profile = page.locator("input[aria-label='Naam van het kolomprofiel']")
    profile.fill("Octopus - grootboekkaart")
    profile.press("Enter")
    wait_for_app(page)
    page.get_by_role("button", name="Bevestigen en opslaan").click()
    # the counts depend on the workbook shown (an earlier test of this module may have stored another one)
    page.get_by_text(re.compile(r"2 regels gelezen: \d projectcijfers, \d niet meegeteld; 2 opgeslagen \(profiel "
                                r"'Octopus - grootboekkaart'\)")).wait_for(timeout=30_000)
    wait_for_app(page)
    assert_no_error_box(page)

    uploader.locator("input[type='file']").set_input_files(str(second))
    page.get_by_text("octopus_2.csv").first.wait_for(timeout=30_000)
    page.get_by_text("volgens het bewaarde profiel 'Octopus - grootboekkaart'", exact=False).wait_for(timeout=30_000)
    wait_for_app(page)
    assert "niet eenduidig herkend" not in page.inner_text("body")
    page.get_by_role("button", name="Bevestigen en opslaan").click()
    page.get_by_text(re.compile(r"1 regels gelezen: \d projectcijfers, \d niet meegeteld; 1 opgeslagen")).wait_for(
        timeout=30_000)
    assert_no_error_box(page)
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT name, saved_by FROM mapping_profiles").fetchall() == [
            ("Octopus - grootboekkaart", "An Peeters")]
        stored = conn.execute("SELECT filename, rows_read, rows_imported + rows_skipped, rows_stored FROM ledger_imports "
                              "WHERE filename LIKE 'octopus%' ORDER BY id").fetchall()
        assert stored == [("octopus_1.csv", 2, 2, 2), ("octopus_2.csv", 1, 1, 1)]
