"""Shared fixtures: portfolio workbooks built in code."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from hypothesis import settings as hypothesis_settings  # noqa: E402

from igemo_fin.exports.workbook_writer import write_workbook  # noqa: E402

# Wall-clock deadlines make property tests flaky on a busy 2-core CI machine; the properties, not
# the speed, are what these tests check (speed lives in benchmarks/).
hypothesis_settings.register_profile("igemo", deadline=None, print_blob=True)
hypothesis_settings.load_profile("igemo")

DEMO_WORKBOOK = ROOT / "data" / "demo_portefeuille.xlsx"


def load_script(name: str):
    """A script of scripts/ loaded as a module (the folder is no package)."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the script loads
    spec.loader.exec_module(module)
    return module


def project(code: str, **overrides) -> dict:
    """A project row with sensible defaults for tests."""
    row = dict(project_code=code, naam=f"Project {code}", gemeente="Mechelen", type="bedrijventerrein",
               status="actief", startjaar=2023, eindjaar=2026, oppervlakte_m2=10_000, bestemming_zeker="ja",
               marktwaarde_huidige_staat=None, risicodeling_gemeente_pct=None, risicodeling_plafond=None,
               winstdeling_gemeente_pct=None, winstdeling_drempel=None)
    row.update(overrides)
    return row


def flat_credit(first: int = 2010, last: int = 2045, rate: float = 4.0, limit: float = 50e6,
                actual: dict[int, float] | None = None, rates: dict[int, float] | None = None) -> pd.DataFrame:
    years = list(range(first, last + 1))
    frame = pd.DataFrame({"jaar": years, "rentevoet_pct": [(rates or {}).get(y, rate) for y in years],
                          "kredietlimiet": limit})
    frame["rente_werkelijk"] = [(actual or {}).get(y) for y in years]
    return frame


def flows(*rows) -> pd.DataFrame:
    """``flows(("A", "prognose", 2023, "verwerving", 1e6), ...)``."""
    return pd.DataFrame(list(rows), columns=["project_code", "versie", "jaar", "categorie", "bedrag"])


def thresholds(**values) -> pd.DataFrame:
    return pd.DataFrame({"parameter": list(values), "waarde": list(values.values())})


def build_sheets(projects: list[dict], cashflows: pd.DataFrame, credit: pd.DataFrame | None = None,
                 drempels: pd.DataFrame | None = None, **extra: pd.DataFrame) -> dict[str, pd.DataFrame]:
    sheets = {
        "projecten": pd.DataFrame(projects),
        "kasstromen": cashflows,
        "kaskrediet": credit if credit is not None else flat_credit(),
        "drempels": drempels if drempels is not None else thresholds(),
    }
    sheets.update(extra)
    return sheets


@pytest.fixture
def write_book(tmp_path):
    """Write sheets to an .xlsx in tmp_path and return its path."""
    counter = {"n": 0}

    def _write(sheets: dict[str, pd.DataFrame], name: str | None = None) -> Path:
        counter["n"] += 1
        path = tmp_path / (name or f"book{counter['n']}.xlsx")
        write_workbook(sheets, path)
        return path

    return _write


#: Two projects: A with a budget and a forecast (a studies line with cents), B forecast only.
TWO_PROJECT_FLOWS = flows(
    ("A", "begroting", 2023, "verwerving", 1_000_000), ("A", "begroting", 2025, "verkoop", 1_500_000),
    ("A", "prognose", 2023, "verwerving", 1_000_000), ("A", "prognose", 2024, "studies", 50_000.25),
    ("A", "prognose", 2025, "verkoop", 1_400_000),
    ("B", "prognose", 2024, "infrastructuur", 300_000), ("B", "prognose", 2026, "verkoop", 500_000),
)


@pytest.fixture
def book(write_book):
    """Read a workbook built from projects (default A and B) and cash flows (default TWO_PROJECT_FLOWS)."""
    from igemo_fin.inputs.workbook import read_workbook

    def _book(projects=None, cashflows=TWO_PROJECT_FLOWS, **extra):
        projects = projects or [project("A"), project("B")]
        return read_workbook(write_book(build_sheets(projects, cashflows, **extra)))
    return _book
