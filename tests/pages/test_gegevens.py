"""The Gegevens page (AppTest) and its support modules ui/store_source.py, ui/uploads.py, ui/column_mapping.py.

Files are stored either through the page (AppTest's file uploader) or with the workflow the page calls
(:mod:`igemo_fin.ingest`); the page's helpers are tested on their own.
"""

from __future__ import annotations

import hashlib

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from igemo_fin.ingest import COUNT_LABELS, prepare_ledger, prepare_workbook, store_ledger, store_workbook
from igemo_fin.inputs.example_ledger import example_ledger
from igemo_fin.fmt import eur
from igemo_fin.records.store import Store
from igemo_fin.inputs.workbook import read_workbook
from igemo_fin.exports.workbook_writer import workbook_bytes
from ledger_files import xlsx_bytes
from ui import store_source
from ui.state import Source

from ui.plain import as_text

from igemo_fin.records.users import add_user, list_users, set_active
from conftest import (DEMO_WORKBOOK, ROOT, as_if_in_one_clock_tick, build_sheets, file_stamps, flat_credit, flows,
                      project)
from apptest_support import OIDC_AUTH, assert_clean, open_page, sign_in, through_entry_script

PAGE = "pages/gegevens.py"


@pytest.fixture
def db(tmp_path, monkeypatch):
    """An empty database location; the dashboard reads the store (no IGEMO_WORKBOOK)."""
    path = tmp_path / "igemo.db"
    monkeypatch.setenv("IGEMO_DB", str(path))
    monkeypatch.delenv("IGEMO_WORKBOOK", raising=False)
    return path




def frames(at: AppTest) -> list[pd.DataFrame]:
    return [d.value.data if hasattr(d.value, "data") else d.value for d in at.dataframe]


def frame_with(at: AppTest, column: str) -> pd.DataFrame:
    found = [f for f in frames(at) if column in f.columns]
    assert found, f"no table with column {column!r}"
    return found[0]


def import_workbook_bytes(store, content, filename, *, uploader):
    return store_workbook(store, prepare_workbook(content, filename, store=store), uploader=uploader)


def import_ledger_bytes(store, content, filename, *, portfolio, uploader):
    return store_ledger(store, prepare_ledger(content, filename, store=store, portfolio=portfolio), uploader=uploader)


def book(*projects, name_suffix="") -> bytes:
    cf = pd.concat([flows((p, "prognose", 2024, "verwerving", 1_000_000), (p, "prognose", 2027, "verkoop", 1_500_000))
                    for p in projects], ignore_index=True)
    return workbook_bytes(build_sheets([project(p, naam=f"Project {p}{name_suffix}") for p in projects], cf,
                                       flat_credit()))


# --------------------------------------------------------------------------- rendering

def test_renders_with_an_empty_database_and_does_not_create_it(db):
    at = open_page(PAGE)
    assert_clean(at)
    assert at.title[0].value == "Gegevens"
    infos = " ".join(i.value for i in at.info)
    assert "nog geen grootboekexport" in infos and "nog geen portefeuillewerkboek" in infos
    assert [t.label for t in at.tabs] == ["Grootboek", "Portefeuillewerkboek"]
    assert at.text_input(key="gegevens_naam").value == ""
    assert not db.exists()


def test_history_versions_and_quality_after_imports(db):
    store = Store(db)
    demo = DEMO_WORKBOOK.read_bytes()
    import_workbook_bytes(store, demo, "demo_portefeuille.xlsx", uploader="An Peeters")
    portfolio = read_workbook(demo)
    data = example_ledger()
    import_ledger_bytes(store, data, "voorbeeld_grootboek.xlsx", portfolio=portfolio, uploader="An Peeters")

    at = open_page(PAGE)
    assert_clean(at)
    history = frame_with(at, "Regels gelezen")
    assert history["Bestand"].tolist() == ["voorbeeld_grootboek.xlsx"]
    assert history["Door"].tolist() == ["An Peeters"]
    assert history["Regels gelezen"].tolist() == [27] and history["Opgeslagen"].tolist() == [27]
    assert history["Regels gelezen"].tolist() == (history["Projectcijfers"] + history["Niet meegeteld"]).tolist()
    versions = frame_with(at, "Wijzigingen")
    assert versions["Versie"].tolist() == [1]
    assert versions["Wijzigingen"].tolist() == ["Eerste versie: 20 projecten."]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Onbekende projectcodes"] == "1"           # BT-99
    assert metrics["Rekeningen die niet meetellen"] == "1"    # 650000 interest
    assert metrics["Regels zonder projectcode"] == "1"        # bank costs
    realised = frame_with(at, "Kosten gerealiseerd").set_index("Code")
    # BT-05 sold 701,340.00 in Q1 2026 against a forecast of 2,126,666 for the year
    assert realised.loc["BT-05", "Opbrengsten gerealiseerd"] == 701_340.0
    assert realised.loc["BT-05", "Opbrengsten %"] == "33,0 %"  # 701,340 / 2,126,666
    assert realised.loc["BT-05", "Kosten %"] == "–"  # no forecast cost in 2026
    past = frame_with(at, "Verschil netto")
    assert sorted(past["Code"]) == ["BT-05", "GM-01", "RC-03", "WO-04"] and set(past["Jaar"]) == {"2025"}


def test_the_stored_actuals_reach_the_overview(db):
    """Project A of test_cli_data: 2023 from the ledger gives a book value of 1,576,079.31 on 01/01/2025."""
    credit = flat_credit(rate=3.0, rates={2023: 4.0, 2024: 4.0})
    cf = flows(("A", "prognose", 2023, "verwerving", 1_000_000), ("A", "prognose", 2024, "infrastructuur", 400_000),
               ("A", "prognose", 2025, "verkoop", 900_000), ("A", "prognose", 2026, "verkoop", 900_000))
    settings = pd.DataFrame({"parameter": ["waarderingsjaar"], "waarde": [2025]})
    content = workbook_bytes(build_sheets([project("A")], cf, credit, instellingen=settings))
    store = Store(db)
    import_workbook_bytes(store, content, "a.xlsx", uploader="An")
    ledger = xlsx_bytes([["Boekdatum", "Rekening", "Projectcode", "Debet", "Credit"],
                         ["15/03/2023", "605000", "A", 1_050_000, None], ["20/06/2023", "613000", "A", 50_000, None]])
    import_ledger_bytes(store, ledger, "gb.xlsx", portfolio=read_workbook(content), uploader="An")
    at = open_page()
    assert_clean(at)
    metric = [m.value for m in at.metric if m.label == "Kapitaal vast in projecten"]
    assert metric == [eur(1_576_079.31)]


def test_choosing_an_older_version_changes_the_overview(db):
    store = Store(db)
    import_workbook_bytes(store, book("X1", name_suffix=" (v1)"), "v1.xlsx", uploader="An")
    import_workbook_bytes(store, book("X1", "X2", name_suffix=" (v2)"), "v2.xlsx", uploader="Bo")

    at = open_page()
    assert_clean(at)
    assert at.dataframe[0].value["Project"].tolist() == ["Project X1 (v2)", "Project X2 (v2)"]
    assert any("Versie 2 van" in c.value and as_text("(v2.xlsx)") in c.value for c in at.caption)  # a file name: text

    at.switch_page(PAGE)
    at.run()
    assert_clean(at)
    versions = frame_with(at, "Wijzigingen")
    assert versions["Versie"].tolist() == [2, 1]
    assert versions["Wijzigingen"].iloc[0].startswith("1 project toegevoegd (X2)")
    at.selectbox(key="gegevens_versie_keuze").set_value(1).run()
    assert_clean(at)
    assert at.session_state["gegevens_versie"] == 1
    assert any("oudere versie" in w.value for w in at.warning)

    at.switch_page("pages/overzicht.py")
    at.run()
    assert_clean(at)
    assert at.dataframe[0].value["Project"].tolist() == ["Project X1 (v1)"]
    assert any(as_text("(versie 1)") in c.value for c in at.caption)  # the basis line names the version shown
    assert any("Versie 1 van" in w.value and "niet de nieuwste" in w.value for w in at.warning)

    at.switch_page(PAGE)
    at.run()
    assert at.selectbox(key="gegevens_versie_keuze").value == 1  # the choice is remembered
    at.selectbox(key="gegevens_versie_keuze").set_value(0).run()
    assert at.session_state["gegevens_versie"] is None
    at.switch_page("pages/overzicht.py")
    at.run()
    assert at.dataframe[0].value["Project"].tolist() == ["Project X1 (v2)", "Project X2 (v2)"]


def test_a_profile_saved_in_the_same_clock_tick_is_shown(db):
    """The page's cached reading of the profiles follows a write that left the files' times and sizes."""
    from igemo_fin.inputs.ledger_mapping import ColumnMapping, header_signature
    from igemo_fin.records.profiles import save_profile

    def save(name, header):
        mapping = ColumnMapping(date=header[0], account=header[1], project=header[2], debit=header[3],
                                credit=header[4], decimal_mark=".")
        save_profile(store, name, mapping, header_signature(header), saved_by="An")

    store = Store(db)
    save("Octopus", ["Dag", "Rek", "Proj", "D", "C"])
    stamps = file_stamps(db)
    at = open_page(PAGE)
    assert frame_with(at, "Profiel")["Profiel"].tolist() == ["Octopus"]
    save("Exact", ["Datum", "Rekening", "Kostenplaats", "Debet", "Credit"])
    as_if_in_one_clock_tick(db, stamps)
    at.run()
    assert_clean(at)
    assert frame_with(at, "Profiel")["Profiel"].tolist() == ["Exact", "Octopus"]


def test_igemo_workbook_keeps_priority_over_the_store(db, monkeypatch):
    import_workbook_bytes(Store(db), book("X1", name_suffix=" (opgeslagen)"), "v1.xlsx", uploader="An")
    monkeypatch.setenv("IGEMO_WORKBOOK", str(DEMO_WORKBOOK))
    at = open_page()
    assert_clean(at)
    assert "Project X1 (opgeslagen)" not in at.dataframe[0].value["Project"].tolist()
    at.switch_page(PAGE)
    at.run()
    assert_clean(at)
    assert any("IGEMO_WORKBOOK" in i.value for i in at.info)
    assert at.selectbox(key="gegevens_versie_keuze").disabled


# --------------------------------------------------------------------------- the support module

class TestStoreSource:
    def test_no_database_no_source_and_nothing_created(self, db):
        assert store_source.db_key() is None
        assert store_source.latest_store_source() is None
        assert not db.exists()

    def test_latest_version_is_the_source(self, db):
        store = Store(db)
        assert store_source.latest_store_source() is None  # a database without versions
        content = book("X1")
        import_workbook_bytes(store, content, "werkboek.xlsx", uploader="An")
        source = store_source.latest_store_source()
        assert source.content == content and source.name == "werkboek.xlsx" and not source.is_demo
        assert source.label.startswith("Versie 1 van ") and source.label.endswith("(werkboek.xlsx)")

    def test_db_key_changes_with_every_import(self, db):
        store = Store(db)
        before = store_source.db_key()
        import_workbook_bytes(store, book("X1"), "w.xlsx", uploader="An")
        assert store_source.db_key() != before

    def test_db_key_moves_with_two_writes_in_one_clock_tick_and_only_then(self, db):
        store = Store(db)
        add_user(store, "bert", role="bestuur", password="correct-horse-battery")
        stamps = file_stamps(db)
        first = store_source.db_key()
        store.workbook_versions(), list_users(store)
        assert store_source.db_key() == first  # a rerun that only reads
        set_active(store, "bert", False)
        as_if_in_one_clock_tick(db, stamps)
        second = store_source.db_key()
        assert second != first
        set_active(store, "bert", True)
        as_if_in_one_clock_tick(db, stamps)
        assert store_source.db_key() not in (first, second)

    def test_stored_actuals(self, db):
        store = Store(db)
        content = book("X1")
        import_workbook_bytes(store, content, "w.xlsx", uploader="An")
        source = store_source.latest_store_source()
        assert store_source.stored_actuals(source) is None  # no ledger yet
        ledger = xlsx_bytes([["Datum", "Rekening", "Project", "Bedrag"], ["01/02/2024", "605000", "x1", "1.234,56"],
                             ["01/02/2024", "605000", "ANDER", "10,00"]])
        import_ledger_bytes(store, ledger, "gb.xlsx", portfolio=read_workbook(content), uploader="An")
        actuals = store_source.stored_actuals(source)
        assert actuals.to_dict("records") == [{"project_code": "X1", "jaar": 2024, "categorie": "verwerving",
                                               "bedrag": -1234.56}]
        demo = Source(DEMO_WORKBOOK.read_bytes(), "demo.xlsx", "demo", "abc", is_demo=True)
        assert store_source.stored_actuals(demo) is None  # fictive data never mixes with the ledger
        # a workbook that is not a stored version (IGEMO_WORKBOOK) is shown as it is
        other = book("X1", name_suffix=" elders")
        env = Source(other, "elders.xlsx", "Werkboek elders.xlsx", hashlib.sha256(other).hexdigest())
        assert store_source.stored_actuals(env) is None

    def test_version_label(self):
        assert store_source.version_label(3, "2026-01-31T23:30:00+00:00", "p.xlsx") == "Versie 3 van 01/02/2026 (p.xlsx)"
        assert store_source.version_label(1, "2026-06-01T10:00:00+00:00", "p.xlsx", latest=False).endswith(
            ", niet de nieuwste")

    def test_preview_tables_of_the_example_ledger(self):
        portfolio = read_workbook(DEMO_WORKBOOK)
        read = prepare_ledger(example_ledger("csv"), "voorbeeld.csv", store=None, portfolio=portfolio).read
        totals = store_source.totals_table(read.actual_lines).set_index("Project")
        # BT-05: sales 684,250 + 712,980 + 745,600 + 701,340 = 2,844,170.00; subsidy 650,000; landmeter -4,235
        assert totals.loc["BT-05", "Verkoop"] == 2_844_170.0
        assert totals.loc["BT-05", "Totaal"] == 2_844_170.0 + 650_000.0 - 4_235.0
        # GM-01 with the demo's 'rekeningen' (6040 -> infrastructuur): 402,118 + 455,903.37 + 389,250 + 298,004.12
        assert totals.loc["GM-01", "Infrastructuur"] == pytest.approx(-1_545_275.49, abs=1e-9)
        detail, by_kind = store_source.skipped_tables(read.skipped)
        assert detail["Rij"].tolist() == [8, 19, 25, 31]
        assert by_kind.set_index("Soort")["Bedrag"].to_dict() == {
            "Geen projectcode": -45.8, "Onbekende projectcode": -1250.0, "Rekening genegeerd": -30_793.73}
        lines = store_source.lines_table(read.lines)
        assert lines["Datum"].iloc[0] == "14/02/2025" and len(lines) == 27

    def test_history_and_versions_tables(self, db):
        store = Store(db)
        import_workbook_bytes(store, book("X1"), "w1.xlsx", uploader=None)
        import_workbook_bytes(store, book("X1", "X2"), "w2.xlsx", uploader="Bo")
        table = store_source.versions_table(store.workbook_versions(), shown=1)
        assert table["Versie"].tolist() == [2, 1] and table["Door"].tolist() == ["Bo", "–"]
        assert table["Getoond"].tolist() == ["", "●"]
        assert table["Wijzigingen"].tolist()[1] == "Eerste versie: 1 project."
        import_ledger_bytes(store, example_ledger(), "gb.xlsx", portfolio=None, uploader="An")
        history = store_source.history_table(store.import_history())
        assert history[["Bestand", *COUNT_LABELS.values()]].values.tolist() == [["gb.xlsx", 27, 24, 3, 27]]  # no portfolio: BT-99 counts
        assert history["Saldo bestand"].iloc[0] == 3_229_130.55


# --------------------------------------------------------------------------- who uploads

PASSWORD = "correct-horse-battery"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def stored_uploaders(db) -> tuple[list, list]:
    store = Store(db)
    return store.import_history()["uploader"].tolist(), store.workbook_versions()["uploader"].tolist()


def upload_and_save(at: AppTest) -> AppTest:
    """Upload the example ledger and a workbook, and confirm both, as finance does on the page."""
    at.file_uploader(key="gegevens_grootboek_bestand").set_value(
        ("voorbeeld_grootboek.xlsx", example_ledger(), XLSX)).run()
    assert_clean(at)
    at.button(key="gegevens_grootboek_opslaan").click().run()
    assert_clean(at)
    at.file_uploader(key="gegevens_werkboek_bestand").set_value(("w.xlsx", book("X1"), XLSX)).run()
    assert_clean(at)
    at.button(key="gegevens_werkboek_opslaan").click().run()
    assert_clean(at)
    return at


class TestUploader:
    def test_a_signed_in_user_uploads_under_their_own_name(self, db, monkeypatch):
        """Local account: no name field, and the imports carry the account's name, whatever was typed before."""
        from igemo_fin.records.users import add_user
        through_entry_script(monkeypatch)
        add_user(Store(db), "fien", role="financien", password=PASSWORD)
        at = sign_in(AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120), "fien", monkeypatch)
        at.session_state["gegevens_naam"] = "Iemand Anders"  # a name left in the session cannot be used
        at.run()
        at.switch_page(PAGE).run()
        assert_clean(at)
        assert not [t for t in at.text_input if t.key == "gegevens_naam"]
        assert any("op naam van **fien**" in c.value for c in at.caption)
        upload_and_save(at)
        assert stored_uploaders(db) == (["fien"], ["fien"])
        assert frame_with(at, "Regels gelezen")["Door"].tolist() == ["fien"]

    def test_an_oidc_user_uploads_under_their_e_mail_address(self, db, monkeypatch):
        through_entry_script(monkeypatch)
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
        at.secrets.update({"auth": OIDC_AUTH, "roles": {"fien@igemo.be": "financien"}})
        at.user = {"is_logged_in": True, "email": "Fien@IGEMO.be"}
        at.run()
        at.switch_page(PAGE).run()
        assert_clean(at)
        assert not [t for t in at.text_input if t.key == "gegevens_naam"]
        upload_and_save(at)
        assert stored_uploaders(db) == (["fien@igemo.be"], ["fien@igemo.be"])

    def test_demo_mode_keeps_the_name_field(self, db, monkeypatch):
        monkeypatch.setenv("IGEMO_DEMO", "1")
        at = open_page(PAGE)
        assert not any("op naam van" in c.value for c in at.caption)
        at.text_input(key="gegevens_naam").input("An Peeters").run()
        upload_and_save(at)
        assert stored_uploaders(db) == (["An Peeters"], ["An Peeters"])


def _cells(content: bytes) -> dict[str, list[tuple]]:
    import io

    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(content))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}


def test_templates_are_made_on_click_not_on_every_run(db, monkeypatch):
    """The download buttons get a callable: opening the page builds no Excel file; the click does."""
    from streamlit.runtime.media_file_manager import MediaFileManager

    import igemo_fin.inputs.example_ledger as example_module
    import igemo_fin.exports.workbook_writer as writer_module

    calls: list[str] = []
    real_template, real_example = writer_module.empty_template, example_module.example_ledger
    monkeypatch.setattr(writer_module, "empty_template", lambda: calls.append("sjabloon") or real_template())
    monkeypatch.setattr(example_module, "example_ledger",
                        lambda kind="xlsx": calls.append(kind) or real_example(kind))
    deferred: dict[str, object] = {}
    add_deferred = MediaFileManager.add_deferred

    def recording(self, data_callable, *args, **kwargs):
        file_id = add_deferred(self, data_callable, *args, **kwargs)
        deferred[file_id] = data_callable
        return file_id

    monkeypatch.setattr(MediaFileManager, "add_deferred", recording)
    at = open_page(PAGE)
    at.run()
    assert_clean(at)
    assert calls == []
    buttons = {b.proto.id.rsplit("-", 1)[-1]: b.proto for b in at.get("download_button")}
    made = {key: deferred[proto.deferred_file_id]() for key, proto in buttons.items()
            if key in ("gegevens_sjabloon", "gegevens_voorbeeld_xlsx", "gegevens_voorbeeld_csv")}
    assert sorted(calls) == ["csv", "sjabloon", "xlsx"]
    # The same workbooks: every sheet and cell (the bytes also hold the moment the file was written).
    assert _cells(made["gegevens_sjabloon"]) == _cells(real_template())
    assert _cells(made["gegevens_voorbeeld_xlsx"]) == _cells(real_example("xlsx"))
    assert made["gegevens_voorbeeld_csv"] == real_example("csv")


# --------------------------------------------------------------------------- the mapping step and profiles

CSV = "text/csv"
OCTOPUS_HEADER = ["Dag", "Rek", "Proj", "Waarde", "Tekst"]


def octopus(*lines) -> bytes:
    from ledger_files import csv_bytes

    return csv_bytes([["Octopus grootboekkaart"], OCTOPUS_HEADER, *lines])


OCTOPUS_1 = octopus(["15/03/2023", "605000", "BT-05", "1.000,00", "grond"],
                    ["16/03/2023", "650000", "BT-05", "20,00", "rente"],
                    ["01/02/2025", "700000", "BT-05", "-300.000,00", "lot 1"])
OCTOPUS_2 = octopus(["02/04/2025", "605000", "BT-05", "2.500,00", "grond 2"])


def pick_columns(at: AppTest) -> AppTest:
    at.number_input(key="gegevens_kolom_rij").set_value(2).run()
    for key, column in (("datum", "Dag"), ("rekening", "Rek"), ("project", "Proj"), ("bedrag", "Waarde"),
                        ("omschrijving", "Tekst")):
        at.selectbox(key=f"gegevens_kolom_{key}").set_value(column)
    return at.run()


def test_an_unrecognised_export_columns_picked_preview_confirm_then_the_next_one_without_asking(db):
    at = open_page(PAGE)
    at.text_input(key="gegevens_naam").input("An Peeters").run()
    at.file_uploader(key="gegevens_grootboek_bestand").set_value(("octopus_1.csv", OCTOPUS_1, CSV)).run()
    assert_clean(at)
    assert any("niet eenduidig herkend" in w.value for w in at.warning)
    first_rows = frames(at)[0]
    assert first_rows.iloc[1].tolist()[:4] == OCTOPUS_HEADER[:4]  # the user sees the file's top rows
    assert not [b for b in at.button if b.key == "gegevens_grootboek_opslaan"] or \
        at.button(key="gegevens_grootboek_opslaan").disabled
    pick_columns(at)
    assert_clean(at)
    metrics = {m.label: m.value for m in at.metric}
    # against the demo portfolio: 2 lines of BT-05 count, the interest line does not
    assert (metrics["Regels gelezen"], metrics["Projectcijfers"], metrics["Niet meegeteld"]) == ("3", "2", "1")
    totals = frame_with(at, "Verkoop").set_index("Project")
    assert totals.loc["BT-05", "Verkoop"] == 300_000.0 and totals.loc["BT-05", "Verwerving"] == -1_000.0
    assert frame_with(at, "Omschrijving")["Omschrijving"].tolist() == ["grond", "rente", "lot 1"]
    assert at.button(key="gegevens_grootboek_opslaan").disabled  # a profile needs a name
    assert not db.exists() or Store(db).import_history().empty  # nothing stored before confirming
    at.text_input(key="gegevens_profiel_nieuw").input("Octopus - grootboekkaart").run()
    at.button(key="gegevens_grootboek_opslaan").click().run()
    assert_clean(at)
    assert any("3 regels gelezen: 2 projectcijfers, 1 niet meegeteld; 3 opgeslagen (profiel 'Octopus - "
               "grootboekkaart')" in s.value for s in at.success)
    from igemo_fin.records.profiles import list_profiles

    [saved] = list_profiles(Store(db))
    assert (saved.name, saved.saved_by, saved.mapping.amount, saved.mapping.header_row) == (
        "Octopus - grootboekkaart", "An Peeters", "Waarde", 2)
    profiles = frame_with(at, "Profiel")
    assert profiles["Profiel"].tolist() == ["Octopus - grootboekkaart"]
    assert profiles["Bewaard door"].tolist() == ["An Peeters"]

    # the next export with the same header: no mapping step, the profile is applied
    at.file_uploader(key="gegevens_grootboek_bestand").set_value(("octopus_2.csv", OCTOPUS_2, CSV)).run()
    assert_clean(at)
    assert not any("niet eenduidig herkend" in w.value for w in at.warning)
    assert any("volgens het bewaarde profiel 'Octopus - grootboekkaart'" in c.value for c in at.caption)
    at.button(key="gegevens_grootboek_opslaan").click().run()
    assert_clean(at)
    history = frame_with(at, "Regels gelezen")
    assert history["Bestand"].tolist() == ["octopus_2.csv", "octopus_1.csv"]
    assert history["Regels gelezen"].tolist() == [1, 3] and history["Projectcijfers"].tolist() == [1, 2]


def test_a_file_imported_before_is_not_read_again(db):
    store = Store(db)
    import_ledger_bytes(store, example_ledger(), "gb.xlsx", portfolio=None, uploader="An")
    at = open_page(PAGE)
    at.file_uploader(key="gegevens_grootboek_bestand").set_value(("gb.xlsx", example_ledger(), XLSX)).run()
    assert_clean(at)
    assert any("al geïmporteerd op" in i.value and "27 regels gelezen: 24 projectcijfers, 3 niet meegeteld" in i.value
               for i in at.info)
    assert not [b for b in at.button if b.key == "gegevens_grootboek_opslaan"]


def test_profiles_are_renamed_changed_and_removed_on_the_page(db):
    from igemo_fin.inputs.ledger_mapping import ColumnMapping, header_signature
    from igemo_fin.records.profiles import list_profiles, save_profile

    store = Store(db)
    save_profile(store, "Octopus", ColumnMapping("Dag", "Rek", project="Proj", amount="Waarde"),
                 header_signature(OCTOPUS_HEADER), saved_by="An")
    at = open_page(PAGE)
    at.text_input(key="gegevens_naam").input("Bo Janssens").run()
    assert_clean(at)
    assert frame_with(at, "Profiel")["Kolommen"].tolist() == [
        "Datum: Dag; Rekening: Rek; Projectcode: Proj; Bedrag (met teken): Waarde"]
    at.text_input(key="gegevens_profiel_naam_Octopus").input("Octopus (punt)")
    at.text_input(key="gegevens_profiel_description_Octopus").input("Tekst")
    at.radio(key="gegevens_profiel_dec_Octopus").set_value(".")
    at.button[[b.label for b in at.button].index("Wijzigingen bewaren")].click().run()
    assert_clean(at)
    [changed] = list_profiles(store)
    assert (changed.name, changed.mapping.description, changed.mapping.decimal_mark, changed.saved_by) == (
        "Octopus (punt)", "Tekst", ".", "Bo Janssens")
    at.text_input(key="gegevens_profiel_amount_Octopus (punt)").input("")
    at.button[[b.label for b in at.button].index("Wijzigingen bewaren")].click().run()
    assert any("minstens een datum, een rekening en een bedrag" in e.value for e in at.error)
    assert list_profiles(store)[0].mapping.amount == "Waarde"  # refused: unchanged
    at.button(key="gegevens_profiel_verwijderen").click().run()
    assert list_profiles(store) == []
    assert any("Profiel 'Octopus (punt)' verwijderd" in s.value for s in at.success)
