"""Names from the workbook are shown as text on every page that shows them: never a link, an image or HTML.

The demo workbook with every project renamed to Markdown and HTML (and one municipality too) goes through
every page of a reader and of that municipality; no element that renders Markdown may hold the markup
unescaped, and the Plotly figures hold no tag of it.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from igemo_fin.records.store import Store
from igemo_fin.records.users import add_user
from ui.plain import as_text

from conftest import DEMO_WORKBOOK, ROOT
from apptest_support import sign_in, through_entry_script

HOSTILE = ["[Klik hier](http://evil.example/x)", "![x](http://evil.example/t.png)", "<img src=x onerror=alert(1)>",
           "<a href='http://evil.example'>Lees</a>", "**vet** :red[rood] $x^2$", "<b>vet</b>\n# Kop"]
GEMEENTE = "Lier [stad](http://evil.example)"
MARKUP = ["](http", "<img", "<a ", "<b>", ":red[rood]", "$x^2$", "**vet**"]
READER_PAGES = ["pages/overzicht.py", "pages/project.py", "pages/kaskrediet.py", "pages/verplichtingen.py",
                "pages/risico.py", "pages/nacalculatie.py", "pages/besluiten.py", "pages/kader.py",
                "pages/financiering.py", "pages/nieuw_project.py", "pages/werking.py"]


@pytest.fixture
def hostile_workbook(write_book):
    sheets = pd.read_excel(DEMO_WORKBOOK, sheet_name=None, engine="calamine")
    projects = sheets["projecten"]
    projects["naam"] = [HOSTILE[i % len(HOSTILE)] + f" {i}" for i in range(len(projects))]
    projects["gemeente"] = projects["gemeente"].replace("Lier", GEMEENTE)
    return write_book(sheets, "vijandig.xlsx")


def rendered_texts(at: AppTest) -> list[str]:
    """Every text an element renders as Markdown."""
    kinds = ["markdown", "caption", "title", "header", "subheader", "info", "warning", "error", "success"]
    return [e.value for kind in kinds for e in getattr(at, kind)]


def assert_no_markup(at: AppTest, page: str) -> None:
    assert not at.exception, (page, [e.value for e in at.exception])
    # a backslash before the markup's first character makes Markdown show it as text
    found = [(t, m) for t in rendered_texts(at) for m in MARKUP if re.search(r"(?<!\\)" + re.escape(m), t)]
    assert found == [], page
    for chart in at.get("plotly_chart"):
        spec = chart.proto.spec
        assert not [m for m in ("<img", "<a href", "<b>vet") if m in spec], page


@pytest.fixture
def env(monkeypatch, tmp_path, hostile_workbook):
    through_entry_script(monkeypatch)
    monkeypatch.setenv("IGEMO_WORKBOOK", str(hostile_workbook))
    monkeypatch.setenv("IGEMO_DB", str(tmp_path / "app.db"))
    monkeypatch.setenv("IGEMO_DEMO", "1")
    return tmp_path / "app.db"


def test_every_reading_page(env):
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=180).run()
    for page in READER_PAGES:
        if page != "pages/overzicht.py":
            at.switch_page(page).run()
        assert_no_markup(at, page)
    at.switch_page("pages/project.py").run()
    titles = [t.value for t in at.title]
    assert any(as_text(h) in titles[0] for h in HOSTILE), titles  # the name is there, as text


def test_the_municipality_pages(env, monkeypatch):
    monkeypatch.delenv("IGEMO_DEMO")
    add_user(Store(env), "lier", role="gemeente", gemeente=GEMEENTE, password="correct-horse-battery")
    at = sign_in(AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=180), "lier").run()
    for page in ("pages/overzicht.py", "pages/project.py", "pages/mijn_gemeente.py"):
        if page != "pages/overzicht.py":
            at.switch_page(page).run()
        assert_no_markup(at, page)
    assert at.title[0].value == f"Projecten in {as_text(GEMEENTE)}"
