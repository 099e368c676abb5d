"""igemo_fin.ingest: the import workflow the command line and the Gegevens page share.

The counts add up, a file imported before is answered from its stored report without being read, a
saved profile is applied to the next file with the same header, and nothing is written before a file
is accepted.
"""

from __future__ import annotations

import dataclasses
import sqlite3

import pytest

import igemo_fin.ingest.ledger as ingest_ledger
import igemo_fin.ingest.workbook as ingest_workbook
from igemo_fin.errors import InputError, LedgerError
from igemo_fin.ingest import (
    LedgerReport,
    MappingNeeded,
    import_ledger,
    prepare_ledger,
    prepare_workbook,
    store_ledger,
    store_workbook,
)
from igemo_fin.inputs.example_ledger import example_ledger
from igemo_fin.inputs.ledger_mapping import ColumnMapping, header_signature
from igemo_fin.inputs.workbook import read_workbook
from igemo_fin.records.profiles import save_profile
from igemo_fin.records.store import Store
from ledger_files import csv_bytes

from conftest import DEMO_WORKBOOK, build_sheets, flows, project

UNKNOWN_HEADER = ["Dag", "Rek", "Proj", "Waarde"]
UNKNOWN = csv_bytes([UNKNOWN_HEADER, ["15/03/2023", "605000", "A", "1.000,00"],
                     ["16/03/2023", "650000", "A", "20,00"], ["01/02/2025", "700000", "A", "-300.000,00"]])
UNKNOWN_MAPPING = ColumnMapping(date="Dag", account="Rek", project="Proj", amount="Waarde")


def dump(path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return list(conn.iterdump())


def never(*args, **kwargs):
    raise AssertionError("this must not be called")


@pytest.fixture
def demo():
    return read_workbook(DEMO_WORKBOOK.read_bytes())


class TestCounts:
    def test_the_counts_add_up_and_every_line_is_stored(self, tmp_path, demo):
        store = Store(tmp_path / "s.db")
        upload = prepare_ledger(example_ledger(), "voorbeeld.xlsx", store=store, portfolio=demo)
        report = upload.report
        assert report.rows_read == report.rows_imported + len(report.rows_skipped)
        assert report.rows_imported == len(upload.read.actual_lines) > 0 and len(report.rows_skipped) > 0
        assert report.rows_stored == 0 and report.imported_at is None  # not stored yet
        done = store_ledger(store, upload, uploader="An")
        assert done.rows_stored == len(upload.read.lines) and done.imported_at is not None
        assert {k: v for k, v in done.as_json().items() if k not in ("rows_stored", "imported_at")} == \
            {k: v for k, v in report.as_json().items() if k not in ("rows_stored", "imported_at")}
        row = store.import_history().iloc[0]
        assert (row["rows_read"], row["rows_imported"], row["rows_skipped"], row["rows_stored"]) == (
            done.rows_read, done.rows_imported, len(done.rows_skipped), done.rows_stored)
        assert done.message.startswith(f"voorbeeld.xlsx: {done.rows_read} regels gelezen: {done.rows_imported} "
                                       f"projectcijfers, {len(done.rows_skipped)} niet meegeteld; "
                                       f"{done.rows_stored} opgeslagen")

    def test_a_report_whose_counts_do_not_add_up_cannot_exist(self):
        with pytest.raises(ValueError, match="tellingen kloppen niet"):
            LedgerReport("x", "x.csv", False, None, None, None, 3, 1, ({"row": 2, "reason": "r"},), 0, {})


def test_a_new_file_is_read_once_for_its_header_and_its_lines(tmp_path, monkeypatch):
    calls = []
    read_tables = ingest_ledger.read_tables
    monkeypatch.setattr(ingest_ledger, "read_tables", lambda *a, **k: calls.append(a[1]) or read_tables(*a, **k))
    upload = prepare_ledger(example_ledger(), "gb.xlsx", store=Store(tmp_path / "s.db"))
    assert calls == ["gb.xlsx"] and upload.read.rows_read > 0


class TestAlreadyImported:
    def test_answered_from_the_stored_report_without_reading(self, tmp_path, demo, monkeypatch):
        store = Store(tmp_path / "s.db")
        first = import_ledger(example_ledger(), "gb.xlsx", db=lambda: store, existing=store, portfolio=demo,
                              uploader="An")
        before = dump(store.path)
        for name in ("read_tables", "ledger_from_tables", "preview_tables", "find_profile"):
            monkeypatch.setattr(ingest_ledger, name, never)
        again = prepare_ledger(example_ledger(), "kopie.xlsx", store=store, portfolio=never)
        assert again.already_imported and again.read is None
        report = store_ledger(store, again, uploader="Bo")
        assert report.already_imported and report.rows_stored == 0
        assert report.imported_at == first.imported_at and report.filename == "gb.xlsx"
        assert {k: v for k, v in report.as_json().items() if k not in ("already_imported", "rows_stored")} == \
            {k: v for k, v in first.as_json().items() if k not in ("already_imported", "rows_stored")}
        assert report.message.startswith("gb.xlsx: al geïmporteerd op ")
        assert dump(store.path) == before

    def test_an_import_without_a_kept_report_is_read_again(self, tmp_path):
        store = Store(tmp_path / "s.db")
        upload = prepare_ledger(example_ledger(), "gb.xlsx", store=store)
        store.import_ledger(upload.read, file_sha256=upload.report.file_sha256, filename="gb.xlsx", uploader=None)
        again = prepare_ledger(example_ledger(), "gb.xlsx", store=store)
        assert again.read is not None  # read, since there is no report to answer from
        report = store_ledger(store, again, uploader=None)
        assert report.already_imported and report.rows_stored == 0 and report.rows_read == upload.report.rows_read

    def test_stored_by_someone_else_in_the_meantime(self, tmp_path):
        store = Store(tmp_path / "s.db")
        mine = prepare_ledger(example_ledger(), "gb.xlsx", store=store)
        theirs = store_ledger(store, prepare_ledger(example_ledger(), "gb.xlsx", store=store), uploader="Bo")
        report = store_ledger(store, mine, uploader="An")
        assert report.already_imported and report.imported_at == theirs.imported_at and report.rows_stored == 0
        assert len(store.import_history()) == 1


class TestColumns:
    def test_an_unrecognised_header_needs_a_mapping(self, tmp_path):
        store = Store(tmp_path / "s.db")
        before = dump(store.path)
        with pytest.raises(MappingNeeded) as refused:
            prepare_ledger(UNKNOWN, "octopus.csv", store=store)
        assert refused.value.preview.header == tuple(UNKNOWN_HEADER)
        messages = refused.value.messages()
        assert all(m.startswith("bestand 'octopus.csv'") for m in messages)
        assert "pagina Gegevens" in messages[-1]
        assert dump(store.path) == before

    def test_the_mapping_the_user_picked(self):
        upload = prepare_ledger(UNKNOWN, "octopus.csv", store=None, mapping=UNKNOWN_MAPPING)
        assert upload.mapping == UNKNOWN_MAPPING and upload.report.profile is None
        assert (upload.report.rows_read, upload.report.rows_imported) == (3, 2)
        assert upload.report.totals_by_project == {"A": {"verwerving": -1000.0, "verkoop": 300_000.0}}

    def test_a_profile_for_the_same_header_is_applied(self, tmp_path):
        store = Store(tmp_path / "s.db")
        save_profile(store, "Octopus", UNKNOWN_MAPPING, header_signature(UNKNOWN_HEADER), saved_by="An")
        upload = prepare_ledger(UNKNOWN, "octopus.csv", store=store)
        assert upload.report.profile == "Octopus" and upload.report.rows_imported == 2
        done = store_ledger(store, upload, uploader="An")
        assert done.profile == "Octopus" and store.find_import(done.file_sha256)["report"]["profile"] == "Octopus"

    def test_a_profile_fits_an_export_with_a_title_row_more(self, tmp_path):
        store = Store(tmp_path / "s.db")
        save_profile(store, "Octopus", dataclasses.replace(UNKNOWN_MAPPING, header_row=1),
                     header_signature(UNKNOWN_HEADER), saved_by="An")
        titled = csv_bytes([["Octopus grootboekkaart"], [], UNKNOWN_HEADER, ["15/03/2023", "605000", "A", "1,00"]])
        upload = prepare_ledger(titled, "octopus.csv", store=store)
        assert upload.report.profile == "Octopus" and upload.mapping.header_row == 3
        assert upload.report.totals_by_project == {"A": {"verwerving": -1.0}}

    def test_a_profile_by_name(self, tmp_path):
        store = Store(tmp_path / "s.db")
        save_profile(store, "Octopus", UNKNOWN_MAPPING, "een|andere|kop", saved_by="An")
        assert prepare_ledger(UNKNOWN, "o.csv", store=store, profile="Octopus").report.profile == "Octopus"
        with pytest.raises(LedgerError, match="geen profiel 'Exact'; bewaarde profielen: 'Octopus'"):
            prepare_ledger(UNKNOWN, "o.csv", store=store, profile="Exact")
        with pytest.raises(LedgerError, match="er is nog geen databank"):
            prepare_ledger(UNKNOWN, "o.csv", store=None, profile="Octopus")


class TestRefused:
    def test_invalid_lines_write_nothing(self, tmp_path):
        store = Store(tmp_path / "s.db")
        before = dump(store.path)
        bad = csv_bytes([["Boekdatum", "Rekening", "Projectcode", "Bedrag"], ["31/02/2025", "603000", "A", "1,00"]])
        with pytest.raises(InputError) as refused:
            import_ledger(bad, "kapot.csv", db=never, existing=store, uploader="An")
        assert refused.value.problems[0].row == 2 and "kapot.csv" in refused.value.messages()[0]
        assert dump(store.path) == before

    def test_an_empty_file(self):
        with pytest.raises(InputError, match="het bestand is leeg"):
            prepare_ledger(b"", "leeg.csv", store=None)


class TestWorkbook:
    def test_first_version_then_the_same_file_is_not_read(self, tmp_path, monkeypatch):
        store = Store(tmp_path / "s.db")
        content = DEMO_WORKBOOK.read_bytes()
        first = store_workbook(store, prepare_workbook(content, "demo.xlsx", store=None), uploader="An")
        assert (first.version, first.already_latest, first.previous_version) == (1, False, None)
        monkeypatch.setattr(ingest_workbook, "read_workbook", never)
        upload = prepare_workbook(content, "demo.xlsx", store=store)
        assert upload.same_as_latest and upload.latest_id == 1
        again = store_workbook(store, upload, uploader="Bo")
        assert again.already_latest and again.version == 1 and "identiek" in again.message
        assert len(store.workbook_versions()) == 1

    def test_the_upload_counts_its_projects_and_the_active_ones(self, write_book):
        # Four projects, two of them actief (A, D); B is stopgezet and C afgerond.
        statuses = {"A": "actief", "B": "stopgezet", "C": "afgerond", "D": "actief"}
        cf = flows(*[(code, "prognose", 2024, "verwerving", 100_000) for code in statuses])
        path = write_book(build_sheets([project(c, status=s) for c, s in statuses.items()], cf))
        upload = prepare_workbook(path.read_bytes(), "vier.xlsx", store=None)
        assert upload.project_counts == (4, 2)

    def test_an_upload_that_is_the_latest_version_counts_nothing(self, tmp_path):
        store = Store(tmp_path / "s.db")
        content = DEMO_WORKBOOK.read_bytes()
        store_workbook(store, prepare_workbook(content, "demo.xlsx", store=None), uploader="An")
        assert prepare_workbook(content, "demo.xlsx", store=store).project_counts == (0, 0)

    def test_a_refused_workbook_writes_nothing(self, tmp_path):
        store = Store(tmp_path / "s.db")
        before = dump(store.path)
        with pytest.raises(InputError):
            prepare_workbook(b"PK\x03\x04 geen werkboek", "kapot.xlsx", store=store)
        assert dump(store.path) == before


def test_report_json_keys_in_order(tmp_path):
    from igemo_fin.ingest import LEDGER_JSON_KEYS

    upload = prepare_ledger(example_ledger(), "gb.xlsx", store=None)
    assert list(upload.report.as_json()) == list(LEDGER_JSON_KEYS)
    assert dataclasses.replace(upload.report).kept()["rows_skipped"] == upload.report.as_json()["rows_skipped"]
