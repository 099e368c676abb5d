"""Verplichtingen and Financiering in a real browser at 1366x768: they open, speak Dutch, show no error box."""

from __future__ import annotations

import pytest

from .conftest import ARTIFACTS
from .test_browser import assert_no_error_box, wait_for_app

pytestmark = pytest.mark.browser

#: url path -> texts that must be on the page
PAGES = {
    "verplichtingen": ["Verplichtingen tegenover de gemeenten", "Risicodeling: wie draagt welk verlies",
                       "Winstdeling en de voorziening ervoor", "Voorgesteld journaal van de voorzieningen",
                       "Spreiding van het rendement over de looptijd", "Waardeverminderingen op de grondvoorraad",
                       "Gedragen door de gemeenten", "Winstdeling verschuldigd (hele looptijd)"],
    "financiering": ["Financiering: alternatieven voor het kaskrediet", "Financieringsbehoefte",
                     "Kaskrediet (zoals nu)", "Lening met vaste rente", "Terug naar het werkboek",
                     "Rentescenario voor de kost per jaar"],
}


def open_page(page, url: str, path: str) -> str:
    page.goto(f"{url}/{path}")
    wait_for_app(page)
    for text in PAGES[path]:
        page.get_by_text(text, exact=False).first.wait_for(timeout=30_000)
    assert_no_error_box(page)
    body = page.inner_text("body")
    assert "Traceback" not in body and "NaN" not in body and "None" not in body
    return body


def screenshot(page, name: str) -> None:
    """``name.png``: what a 1366x768 screen shows; ``name_volledig.png``: the whole page at 1366 wide.

    Streamlit scrolls inside its main block, so a full-page screenshot would stop at the window: the
    window is made as tall as the content for the second picture, then set back.
    """
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": 1366, "height": max(768, int(height))})
    page.wait_for_timeout(1500)  # charts redraw at the new size
    page.screenshot(path=str(ARTIFACTS / f"{name}_volledig.png"))
    page.set_viewport_size({"width": 1366, "height": 768})


@pytest.mark.parametrize("path", list(PAGES))
def test_page_in_the_browser(page, demo_app, path):
    open_page(page, demo_app, path)
    screenshot(page, f"demo_{path}")


@pytest.mark.parametrize("path", list(PAGES))
def test_page_with_another_workbook(page, other_app, path):
    open_page(page, other_app, path)
    screenshot(page, f"other_{path}")


def test_risk_simulation_in_the_browser(page, demo_app):
    open_page(page, demo_app, "verplichtingen")
    page.get_by_text("met risicosimulatie (P90)").click()
    wait_for_app(page)
    page.get_by_text("Wie draagt het verlies in het pessimistische geval (P90)", exact=False).first.wait_for(
        timeout=30_000)
    assert_no_error_box(page)
    screenshot(page, "demo_verplichtingen_p90")


def test_financing_simulation_in_the_browser(page, demo_app):
    open_page(page, demo_app, "financiering")
    page.get_by_text("Parameters van de alternatieven bekijken of aanpassen").click()
    field = page.locator("input[aria-label='Rente vaste lening (%)']")
    field.fill("4")
    field.press("Enter")
    wait_for_app(page)
    page.get_by_text("Simulatie.", exact=False).first.wait_for(timeout=30_000)
    assert_no_error_box(page)
    screenshot(page, "demo_financiering_simulatie")
    page.get_by_role("button", name="Terug naar het werkboek").click()
    wait_for_app(page)
    assert page.get_by_text("Simulatie.", exact=False).count() == 0
    assert field.input_value() == "3.00"
