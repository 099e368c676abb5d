"""The page Meerjarenperspectief in a real browser at 1366x768: it opens on the demo data, shows the
path, the bands and the waterfall (Plotly drawn), the same equity as the command line, and no error box."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from .conftest import ARTIFACTS, ROOT
from .test_browser import assert_no_error_box, wait_for_app

pytestmark = pytest.mark.browser

TEXTS = ["Meerjarenperspectief", "Kaskrediet per jaar tegenover de limiet", "Eigen vermogen per jaar",
         "Het pad per jaar", "Onzekerheid per jaar (risicosimulatie)", "Verschillenanalyse: waarom veranderde het beeld?",
         "Verloop van de tijd"]


def test_meerjarenperspectief_in_the_browser(page, demo_app):
    page.goto(f"{demo_app}/meerjarenperspectief")
    wait_for_app(page)
    for text in TEXTS:
        page.get_by_text(text, exact=False).first.wait_for(timeout=60_000)
    wait_for_app(page)
    assert_no_error_box(page)
    assert page.locator("[data-testid='stPlotlyChart'] .main-svg").count() >= 3
    body = page.inner_text("body")
    assert "Traceback" not in body and "NaN" not in body
    cli = subprocess.run([sys.executable, "-m", "igemo_fin", "mpg", str(ROOT / "data" / "demo_portefeuille.xlsx"),
                          "--json"], capture_output=True, text=True, cwd=ROOT, check=True)
    last = json.loads(cli.stdout)["years"][-1]
    text = page.inner_text(f"[data-testid='stMetric']:has-text('Eigen vermogen eind {last['year']}')")
    assert f"€ {round(last['equity']):,}".replace(",", ".") in text
    page.screenshot(path=str(ARTIFACTS / "demo_meerjarenperspectief.png"), full_page=True)
