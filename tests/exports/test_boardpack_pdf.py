"""igemo_fin.exports.boardpack_pdf (and its charts): the PDF renders to non-blank A4 pages with the Dutch
texts, the project names and Belgian amounts."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from conftest import HOSTILE_NAME
from igemo_fin.exports.boardpack_pdf import board_pack_pdf
from igemo_fin.fmt import eur
from igemo_fin.valuation.evaluate import evaluate

PDFTOPPM = shutil.which("pdftoppm")
PDFTOTEXT = shutil.which("pdftotext")
needs_poppler = pytest.mark.skipif(
    PDFTOPPM is None or PDFTOTEXT is None, reason="poppler-utils is not installed (pdftoppm, pdftotext)")


# --------------------------------------------------------------------------- PDF

@pytest.fixture(scope="module")
def demo_pdf(pack_demo, tmp_path_factory):
    portfolio, ev = pack_demo
    folder = tmp_path_factory.mktemp("pdf")
    path = folder / "pack.pdf"
    path.write_bytes(board_pack_pdf(portfolio, ev, made_on=dt.date(2026, 1, 15)))
    return portfolio, ev, path


def pdf_text(path: Path) -> str:
    done = subprocess.run([PDFTOTEXT, str(path), "-"], capture_output=True, text=True, timeout=60,
                          check=True)
    return done.stdout.replace("\u00a0", " ")


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def render(path: Path, resolution: int = 40) -> list[Path]:
    subprocess.run([PDFTOPPM, "-r", str(resolution), "-png", str(path), str(path.with_suffix(""))], check=True,
                   timeout=120)
    return sorted(path.parent.glob(path.stem + "-*.png"))


@needs_poppler
class TestPdf:
    def test_pages_render_and_none_is_blank(self, demo_pdf):
        from PIL import Image

        _, ev, path = demo_pdf
        pages = render(path)
        active = int((ev.figures["status"] == "actief").sum())
        assert len(pages) >= 4 + active  # cover, summary, verdicts, one per active project, annex
        for page in pages:
            with Image.open(page) as image:
                width, height = image.size
                assert height / width == pytest.approx(297 / 210, rel=0.01), "not A4 portrait"
                pixels = np.asarray(image.convert("L"))
            inked = (pixels < 200).mean()
            assert inked > 0.003, f"{page.name} looks blank ({inked:.2%} inked)"

    def test_page_numbers(self, demo_pdf):
        _, _, path = demo_pdf
        text = pdf_text(path)
        pages = text.count("\f") + (0 if text.endswith("\f") else 1)
        for n in range(1, pages + 1):
            assert f"pagina {n} van {pages}" in text

    def test_dutch_texts_names_and_belgian_amounts(self, demo_pdf):
        portfolio, ev, path = demo_pdf
        text = flat(pdf_text(path))
        for phrase in ("Bestuursdossier", "Financiële risico's van de projectportefeuille", "1 januari 2026",
                       "Opgemaakt op 15/01/2026", "Samenvatting van de portefeuille", "Oordeel per actief project",
                       "Waarom dit oordeel", "Kerncijfers", "Contante waarde van wat nog komt",
                       "Drempels van het beslissingskader", "Afgeronde en stopgezette projecten"):
            assert phrase in text, phrase
        for p in ev.figures.itertuples():
            assert p.naam in text, p.naam
        # every fired rule's sentence, word for word
        for sentence in ev.rules.loc[ev.rules["fired"], "sentence"]:
            assert flat(sentence) in text, sentence
        # amounts the Belgian way: '€ 32.809.781', never '32,809,781' or '32809781.85'
        total = ev.portfolio_totals()["npv_forward_active"]
        assert eur(total) in text
        assert re.search(r"€ -?\d{1,3}(\.\d{3})+\b", text)
        assert not re.search(r"\d{1,3}(,\d{3}){2,}", text)
        assert "2,85 %" in text

    def test_hostile_names_are_printed_literally(self, pack_allocated, tmp_path):
        portfolio, ev = pack_allocated
        path = tmp_path / "hostile.pdf"
        path.write_bytes(board_pack_pdf(portfolio, ev))
        text = flat(pdf_text(path))
        assert flat(HOSTILE_NAME) in text  # the markup is shown, not interpreted
        assert "@Mechelen" in text
        assert len(render(path, resolution=20)) > 1


def test_pdf_is_a4_and_deterministic(pack_allocated):
    portfolio, ev = pack_allocated
    first = board_pack_pdf(portfolio, ev, made_on=dt.date(2026, 1, 15))
    assert first.startswith(b"%PDF-")
    assert board_pack_pdf(portfolio, ev, made_on=dt.date(2026, 1, 15)) == first
    assert b"/MediaBox [ 0 0 595.2756 841.8898 ]" in first


def test_project_without_flows(pack_allocated):
    """An active project without any forecast still gets a PDF section."""
    portfolio, _ = pack_allocated
    extra = portfolio.projects.iloc[[0]].assign(project_code="LEEG", naam="Leeg project", status="actief")
    bare = replace(portfolio, projects=pd.concat([portfolio.projects, extra], ignore_index=True))
    assert board_pack_pdf(bare, evaluate(bare)).startswith(b"%PDF-")
