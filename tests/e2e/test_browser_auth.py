"""Sign-in and roles in a real browser: the first request after a start is signed-in too, a municipality
sees only its projects, the board records a decision."""

from __future__ import annotations

import pytest

from igemo_fin.records.chain import verify_chain
from igemo_fin.records.decisions import decisions
from igemo_fin.records.store import Store
from igemo_fin.records.users import add_user

from .conftest import ARTIFACTS, ROOT, _start_app
from .test_browser import assert_no_error_box

pytestmark = pytest.mark.browser

PASSWORD = "correct-horse-battery"


@pytest.fixture(scope="module")
def auth_app(tmp_path_factory):
    db = tmp_path_factory.mktemp("auth") / "auth.db"
    store = Store(db)
    add_user(store, "bert", role="bestuur", password=PASSWORD)
    add_user(store, "lier", role="gemeente", gemeente="Lier", password=PASSWORD)
    proc, url = _start_app({"IGEMO_WORKBOOK": str(ROOT / "data" / "demo_portefeuille.xlsx"), "IGEMO_DB": str(db)})
    yield url, db
    proc.terminate()
    proc.wait(10)


def wait_for_app(page) -> None:
    """The script ran and everything is drawn (the sign-in page has no navigation to wait for)."""
    page.wait_for_selector("[data-testid='stApp']", timeout=30_000)
    page.wait_for_selector("[data-testid='stMain'] h1", timeout=30_000)
    page.wait_for_function(
        """() => !document.querySelector('[data-testid="stStatusWidget"]')
              && !document.querySelector('[data-testid="stSkeleton"]')""", timeout=30_000)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(800)


def sign_in(page, url: str, name: str) -> None:
    page.goto(url)
    wait_for_app(page)
    page.locator("input[aria-label='Gebruikersnaam']").fill(name)
    page.locator("input[aria-label='Wachtwoord']").fill(PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    page.get_by_text(f"Aangemeld als {name}", exact=False).first.wait_for(timeout=30_000)
    wait_for_app(page)


def open_in_sidebar(page, title: str) -> None:
    """Client-side navigation keeps the session (a new URL would start a new, signed-out one)."""
    page.locator("[data-testid='stSidebarNav'] a", has_text=title).first.click()
    wait_for_app(page)


def sidebar_pages(page) -> set[str]:
    """The titles of the navigation's links (each link also holds its icon's name on a line before it)."""
    return {t.strip().splitlines()[-1].strip() for t in page.locator("[data-testid='stSidebarNav'] a").all_inner_texts()}


def test_the_first_request_after_a_start_is_signed_in_too(page, auth_app):
    # with a pages/ folder Streamlit would serve this page without dashboard.py (ui/auth.py explains)
    url, _ = auth_app
    page.goto(f"{url}/kaskrediet")
    wait_for_app(page)
    page.get_by_text("Meld u aan met uw gebruikersnaam en wachtwoord", exact=False).wait_for(timeout=30_000)
    body = page.inner_text("[data-testid='stMain']")
    assert "Kaskrediet" not in body and "€" not in body


def test_a_wrong_password_is_refused(page, auth_app):
    url, _ = auth_app
    page.goto(url)
    wait_for_app(page)
    page.locator("input[aria-label='Gebruikersnaam']").fill("bert")
    page.locator("input[aria-label='Wachtwoord']").fill("niet-het-wachtwoord")
    page.get_by_role("button", name="Aanmelden").click()
    page.get_by_text("Onbekende gebruiker of verkeerd wachtwoord.").wait_for(timeout=30_000)
    assert "Projectportefeuille in één oogopslag" not in page.inner_text("body")


def test_gemeente_sees_only_its_projects(page, auth_app):
    url, _ = auth_app
    sign_in(page, url, "lier")
    assert sidebar_pages(page) == {"Overzicht", "Project", "Mijn gemeente"}
    assert_no_error_box(page)
    open_in_sidebar(page, "Project")
    page.locator("[data-testid='stSelectbox']").first.click()
    options = page.locator("[role='option']").all_inner_texts()
    page.keyboard.press("Escape")
    assert len(options) == 2 and all("(Lier)" in o for o in options), options
    assert {o.split(" – ")[0] for o in options} == {"GM-01", "WO-03"}
    open_in_sidebar(page, "Mijn gemeente")
    page.get_by_text("Projecten in Lier").wait_for(timeout=30_000)
    page.get_by_text("Verlies dat de gemeente draagt").wait_for(timeout=30_000)
    assert_no_error_box(page)
    page.screenshot(path=str(ARTIFACTS / "auth_gemeente.png"), full_page=True)
    # a page outside the role does not exist for this session
    page.goto(f"{url}/kaskrediet")
    wait_for_app(page)
    assert "Rentestress" not in page.inner_text("body")


def test_bestuur_records_a_decision(page, auth_app):
    url, db = auth_app
    sign_in(page, url, "bert")
    assert {"Overzicht", "Kaskrediet", "Besluiten", "Drempels"} <= sidebar_pages(page)
    assert "Gebruikers" not in sidebar_pages(page)
    open_in_sidebar(page, "Besluiten")
    page.get_by_text("Besluiten van het bestuur").wait_for(timeout=30_000)
    page.get_by_text("Afwijken van het oordeel").click()
    wait_for_app(page)
    page.locator("textarea[aria-label='Motivering (verplicht bij afwijken)']").fill("Proef in de browser: andere koper.")
    page.get_by_role("button", name="Besluit vastleggen").click()
    page.get_by_text("Besluit 1 vastgelegd", exact=False).wait_for(timeout=30_000)
    page.get_by_text("Logboek intact").first.wait_for(timeout=30_000)
    assert_no_error_box(page)
    page.screenshot(path=str(ARTIFACTS / "auth_besluiten.png"), full_page=True)
    log = decisions(Store(db))
    assert len(log) == 1
    entry = log.iloc[0]
    assert entry["decided_by"] == "bert" and bool(entry["overridden"])
    assert entry["motivation"] == "Proef in de browser: andere koper."
    assert verify_chain(db).ok
