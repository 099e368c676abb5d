"""igemo_fin.records.store: imports all or nothing, nothing twice, workbook versions, survives SIGKILL."""

from __future__ import annotations

import dataclasses
import datetime as dt
import multiprocessing
import os
import random
import sqlite3
import time

import pandas as pd
import pytest

import igemo_fin.records.store as store_module
from igemo_fin.inputs.ledger import actuals_by_year, read_ledger
from igemo_fin.records.database import INTEGRITY_ERRORS, Database
from igemo_fin.records.store import MIGRATIONS, Store, file_sha256, open_store
from ledger_files import csv_bytes

HEADER = ["Boekdatum", "Rekening", "Omschrijving", "Projectcode", "Bedrag"]


def ledger(*lines) -> bytes:
    return csv_bytes([HEADER, *lines])


def read(data: bytes):
    return read_ledger(data, filename="grootboek.csv")


def fixed_clock(*moments):
    """A clock that returns the given UTC moments one after another (the last one repeats)."""
    queue = list(moments)

    def now():
        return queue.pop(0) if len(queue) > 1 else queue[0]
    return now


def count_lines(target) -> tuple[int, int]:
    with Database(target).connect() as conn:
        return conn.execute("SELECT COUNT(*), COALESCE(SUM(amount_cents), 0) FROM ledger_lines").fetchone()


EXPORT_A = ledger(
    ["05/01/2023", "605000", "grond", "P1", "1.000,00"],      # P1 2023 verwerving  -100000
    ["06/01/2023", "613000", "landmeter", "P1", "250,25"],    # P1 2023 studies      -25025
    ["07/02/2024", "700000", "perceel 1", "P1", "-5.000,00"],  # P1 2024 verkoop     +500000
    ["08/02/2024", "650000", "rente", "P1", "99,99"],         # negeren               -9999
)
# a later export overlapping A: its first three lines again, the perceel sale a second time (a genuine
# second identical booking), one new line and one for P2
EXPORT_B = ledger(
    ["05/01/2023", "605000", "grond", "P1", "1.000,00"],
    ["06/01/2023", "613000", "landmeter", "P1", "250,25"],
    ["07/02/2024", "700000", "perceel 1", "P1", "-5.000,00"],
    ["07/02/2024", "700000", "perceel 1", "P1", "-5.000,00"],  # occurrence 2: new    +500000
    ["09/03/2024", "603000", "riolering", "P1", "12.345,67"],  # new                 -1234567
    ["10/03/2024", "740000", "subsidie", "P2", "-1.000,01"],   # new                  +100001
)


class TestSetup:
    def test_pragmas_and_schema(self, tmp_path):
        store = Store(tmp_path / "a.db")
        with store.connect() as conn:
            assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
            assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 10_000
        assert store.schema_version() == len(MIGRATIONS)
        with sqlite3.connect(tmp_path / "a.db") as conn:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert {"schema_version", "ledger_imports", "ledger_lines", "workbook_versions"} <= tables

    def test_path_from_environment(self, tmp_path, monkeypatch):
        monkeypatch.setenv("IGEMO_DB", str(tmp_path / "sub" / "env.db"))
        assert Store().path == tmp_path / "sub" / "env.db"
        assert (tmp_path / "sub" / "env.db").exists()

    def test_default_path(self, tmp_path, monkeypatch):
        monkeypatch.delenv("IGEMO_DB", raising=False)
        monkeypatch.chdir(tmp_path)
        Store()
        assert (tmp_path / "data" / "igemo.db").exists()

    def test_migrations_run_once_and_in_order(self, tmp_path, monkeypatch):
        path = tmp_path / "m.db"
        Store(path)
        Store(path)  # opening again applies nothing
        monkeypatch.setattr(store_module, "MIGRATIONS", MIGRATIONS + [
            "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT DEFAULT 'a;b');\n"
            "INSERT INTO notes (text) VALUES ('x;y');"
        ])
        store = Store(path)
        assert store.schema_version() == len(MIGRATIONS) + 1
        with sqlite3.connect(path) as conn:
            assert conn.execute("SELECT text FROM notes").fetchall() == [("x;y",)]
            assert [r[0] for r in conn.execute("SELECT version FROM schema_version")] == list(
                range(1, len(MIGRATIONS) + 2))

    def test_newer_database_is_refused(self, tmp_path):
        path = tmp_path / "new.db"
        Store(path)
        with sqlite3.connect(path) as conn:
            conn.execute("INSERT INTO schema_version VALUES (99, '2030-01-01')")
        with pytest.raises(RuntimeError, match="schemaversie 99"):
            Store(path)

    def test_open_store(self, tmp_path, pg_server):
        assert open_store(f"sqlite:///{tmp_path / 'u.db'}").path == tmp_path / "u.db"
        url = pg_server.new_database()
        store = open_store(url)
        assert (store.backend, store.url, store.path, store.schema_version()) == ("postgresql", url, None,
                                                                                  len(MIGRATIONS))
        with pytest.raises(ValueError, match="'mysql://' wordt niet ondersteund"):
            open_store("mysql://igemo@localhost/igemo")


class TestLedgerImport:
    def test_import_stores_every_line_to_the_cent(self, db):
        store = Store(db)
        read_a = read(EXPORT_A)
        result = store.import_ledger(read_a, file_sha256=file_sha256(EXPORT_A), filename="a.csv", uploader="an")
        assert (result.already_imported, result.rows_read, result.rows_stored) == (False, 4, 4)
        # -100000 - 25025 + 500000 - 9999 = 364976
        assert result.total_cents == 364976
        assert count_lines(db) == (4, 364976)
        assert result.message == "4 regel(s) toegevoegd"
        lines = store.ledger_lines()
        pd.testing.assert_frame_equal(lines.drop(columns="import_id"), read_a.lines)

    def test_actuals_like_the_file(self, db):
        store = Store(db)
        read_a = read(EXPORT_A)
        store.import_ledger(read_a, file_sha256="a", filename="a.csv", uploader=None)
        pd.testing.assert_frame_equal(store.ledger_actuals(), actuals_by_year(read_a.actual_lines))
        assert store.ledger_actuals().to_dict("records") == [
            {"project_code": "P1", "jaar": 2023, "categorie": "studies", "bedrag": -250.25},
            {"project_code": "P1", "jaar": 2023, "categorie": "verwerving", "bedrag": -1000.0},
            {"project_code": "P1", "jaar": 2024, "categorie": "verkoop", "bedrag": 5000.0},
        ]

    def test_same_file_again_adds_nothing(self, db):
        first = dt.datetime(2026, 1, 15, 12, 0, tzinfo=dt.timezone.utc)
        later = dt.datetime(2026, 2, 1, 9, 0, tzinfo=dt.timezone.utc)
        # one clock tick per migration, one for the first import, one for the second
        store = Store(db, clock=fixed_clock(*[first] * (len(MIGRATIONS) + 1), later))
        sha = file_sha256(EXPORT_A)
        store.import_ledger(read(EXPORT_A), file_sha256=sha, filename="a.csv", uploader="an")
        again = store.import_ledger(read(EXPORT_A), file_sha256=sha, filename="a-kopie.csv", uploader="bo")
        assert again.already_imported and again.rows_stored == 0
        assert again.imported_at == "2026-01-15T12:00:00+00:00"
        # 12:00 UTC in January is 13:00 in Brussels
        assert again.message == "al geïmporteerd op 15/01/2026 om 13:00: niets toegevoegd"
        assert count_lines(db) == (4, 364976)
        assert len(store.import_history()) == 1

    def test_overlapping_export_adds_only_new_lines(self, db):
        store = Store(db)
        store.import_ledger(read(EXPORT_A), file_sha256=file_sha256(EXPORT_A), filename="a.csv", uploader=None)
        result = store.import_ledger(read(EXPORT_B), file_sha256=file_sha256(EXPORT_B), filename="b.csv",
                                     uploader=None)
        assert (result.rows_read, result.rows_stored, result.rows_already_present) == (6, 3, 3)
        assert result.message == "3 regel(s) toegevoegd, 3 al aanwezig uit een eerdere export"
        # A: 364976; new from B: +500000 - 1234567 + 100001 = -634566; together -269590
        assert count_lines(db) == (7, -269590)
        history = store.import_history()
        assert history["rows_stored"].tolist() == [3, 4]           # newest first
        assert history["imported_cents"].tolist() == [-634566, 364976]
        actuals = store.ledger_actuals().set_index(["project_code", "jaar", "categorie"])["bedrag"]
        assert actuals[("P1", 2024, "verkoop")] == 10000.0          # both sales count
        assert actuals[("P1", 2024, "infrastructuur")] == -12345.67
        assert actuals[("P2", 2024, "subsidies")] == 1000.01

    def test_counts_add_up_and_the_report_is_kept(self, db):
        store = Store(db)
        report = {"rows_read": 4, "rows_skipped": [{"row": 5, "reason": "rente"}]}
        store.import_ledger(read(EXPORT_A), file_sha256="a", filename="a.csv", uploader=None, report=report)
        row = store.import_history().iloc[0]
        # the 650000 line is stored but does not feed the actuals
        assert (row["rows_read"], row["rows_imported"], row["rows_skipped"], row["rows_stored"]) == (4, 3, 1, 4)
        assert store.find_import("a")["report"] == report
        assert store.find_import("b") is None

    def test_an_import_from_before_the_counts_is_upgraded(self, tmp_path, monkeypatch):
        path = tmp_path / "oud.db"
        with monkeypatch.context() as m:
            m.setattr(store_module, "MIGRATIONS", MIGRATIONS[:4])
            Store(path)
        with sqlite3.connect(path) as conn:  # what the earlier version stored: rows_imported = lines added
            conn.execute("INSERT INTO ledger_imports (file_sha256, filename, imported_at, uploader, rows_read, "
                         "rows_imported, rows_skipped, total_cents, file_total_cents, imported_cents) "
                         "VALUES ('a', 'a.csv', '2026-01-15T12:00:00+00:00', 'an', 1500, 1490, 394, 0, NULL, 0)")
        store = Store(path)
        row = store.import_history().iloc[0]
        assert (row["rows_read"], row["rows_imported"], row["rows_skipped"], row["rows_stored"]) == (1500, 1106, 394,
                                                                                                    1490)
        assert store.find_import("a")["report"] is None

    def test_actuals_for_known_projects(self, db):
        store = Store(db)
        store.import_ledger(read(EXPORT_B), file_sha256="b", filename="b.csv", uploader=None)
        actuals = store.ledger_actuals(known_projects=["p2"])
        assert actuals.to_dict("records") == [
            {"project_code": "p2", "jaar": 2024, "categorie": "subsidies", "bedrag": 1000.01}]

    def test_failed_import_leaves_nothing(self, db):
        store = Store(db)
        good = read(EXPORT_A)
        broken = good.lines.copy()
        broken.loc[2, "account"] = None  # violates NOT NULL half-way through the insert
        with pytest.raises(INTEGRITY_ERRORS):
            store.import_ledger(dataclasses.replace(good, lines=broken), file_sha256="x", filename="x.csv",
                                uploader=None)
        assert count_lines(db) == (0, 0)
        assert store.import_history().empty and store.find_import("x") is None
        assert store.import_ledger(good, file_sha256="x", filename="x.csv", uploader=None).rows_stored == 4


class TestWorkbookVersions:
    def test_versions(self, db):
        store = Store(db)
        assert store.latest_workbook() is None
        first = store.add_workbook_version(b"v1", "portefeuille.xlsx", "an", {"projecten_toegevoegd": ["P1"]})
        second = store.add_workbook_version(b"v2!", "portefeuille.xlsx", "bo",
                                            {"projecten_verwijderd": ["P1"], "opmerking": "geïnd"})
        assert store.latest_workbook() == (second, b"v2!")
        assert store.workbook_content(first) == b"v1"
        versions = store.workbook_versions()
        assert versions["id"].tolist() == [second, first]
        assert versions["size"].tolist() == [3, 2]
        assert versions["sha256"].tolist() == [file_sha256(b"v2!"), file_sha256(b"v1")]
        assert versions["summary"][0] == {"projecten_verwijderd": ["P1"], "opmerking": "geïnd"}
        with pytest.raises(KeyError):
            store.workbook_content(99)


# --- killed half-way ----------------------------------------------------------------------------

BATCHES = 6
LINES_PER_BATCH = 400
STEP = 300  # batch k holds lines k*300 .. k*300+399: each overlaps the next by 100 lines


def batch_reads():
    """Overlapping exports; every batch also books its first line twice (a genuine duplicate)."""
    reads = []
    for k in range(BATCHES):
        lines = []
        for n in range(k * STEP, k * STEP + LINES_PER_BATCH):
            day = dt.date(2023, 1, 1) + dt.timedelta(days=n % 700)
            lines.append([day.strftime("%d/%m/%Y"), ("605000", "613000", "700000")[n % 3], f"boeking {n}",
                          f"P{n % 7}", f"{(n * 7919) % 100000},{n % 100:02d}"])
        lines.append(lines[0])
        data = ledger(*lines)
        r = read(data)
        # plain Python objects: the forked child then needs no pyarrow thread pool
        frame = r.lines.copy()
        for column in frame.columns:
            if str(frame[column].dtype) == "str":
                frame[column] = frame[column].astype(object)
        reads.append((file_sha256(data), dataclasses.replace(r, lines=frame)))
    return reads


def _child(path: str, reads) -> None:
    try:
        store = Store(path)
        for sha, r in reads:
            store.import_ledger(r, file_sha256=sha, filename=f"{sha[:8]}.csv", uploader="kill-test")
    finally:
        os._exit(0)


def check_all_or_nothing(path, reads) -> int:
    """Integrity, every stored import complete, stored lines = union of the imported batches."""
    database = Database(path)
    assert database.integrity_check() == "ok"
    with database.connect() as conn:
        tables = database.schema_objects(conn)
        if not tables:  # killed before the schema was committed: the schema is all or nothing too
            return 0
        assert {"schema_version", "ledger_imports", "ledger_lines", "workbook_versions"} <= tables
        imports = conn.execute("SELECT id, file_sha256, rows_stored, imported_cents FROM ledger_imports "
                               "ORDER BY id").fetchall()
        for import_id, _, rows, cents in imports:
            assert conn.execute("SELECT COUNT(*), COALESCE(SUM(amount_cents), 0) FROM ledger_lines "
                                "WHERE import_id = ?", (import_id,)).fetchone() == (rows, cents)
        assert conn.execute("SELECT COUNT(*) FROM ledger_lines WHERE import_id NOT IN "
                            "(SELECT id FROM ledger_imports)").fetchone()[0] == 0
        stored = set(conn.execute("SELECT fingerprint, occurrence, amount_cents FROM ledger_lines"))
    done = [sha for _, sha, _, _ in imports]
    # the child imports the batches in order: what is stored is a prefix of them
    assert done == [sha for sha, _ in reads[:len(done)]]
    expected = set()
    for _, r in reads[:len(done)]:
        expected |= set(zip(r.lines["fingerprint"], r.lines["occurrence"], r.lines["amount_cents"]))
    assert stored == expected
    return len(done)


def test_sigkill_at_random_moments(db, request, tmp_path):
    def fresh(n: int):
        """An empty database for the n-th round."""
        if isinstance(db, str):
            return request.getfixturevalue("pg_server").new_database()
        return tmp_path / f"kill{n}.db"

    reads = batch_reads()
    context = multiprocessing.get_context("fork")
    # how long a whole run takes, to spread the kills over it
    t0 = time.perf_counter()
    scratch_db = fresh(-1)
    scratch = context.Process(target=_child, args=(str(scratch_db), reads))
    scratch.start()
    scratch.join()
    span = time.perf_counter() - t0
    assert check_all_or_nothing(scratch_db, reads) == BATCHES

    rng = random.Random(20240401)
    kills = partial = rounds = 0
    path = fresh(0)
    deadline = time.perf_counter() + 120
    while kills < 50:
        assert time.perf_counter() < deadline, f"only {kills} kills in 120 s"
        child = context.Process(target=_child, args=(str(path), reads))
        child.start()
        time.sleep(rng.uniform(0, span))
        if child.is_alive():
            child.kill()  # SIGKILL
            kills += 1
        child.join()
        done = check_all_or_nothing(path, reads)
        partial += 0 < done < BATCHES
        if done == BATCHES:  # finished before the kill: start over on a fresh file
            rounds += 1
            path = fresh(rounds)
            # the scratch run was slower than this one (it was timed under load, say): aim earlier,
            # or the runs keep finishing and the kills never come
            span *= 0.8
    assert partial >= 1, "no kill landed between the first and the last import"
    print(f"{kills} kills, {partial} left a partial database, {rounds} complete runs, span {span:.2f} s")

    # importing again succeeds and completes the database exactly
    store = Store(path)
    for sha, r in reads:
        store.import_ledger(r, file_sha256=sha, filename="again.csv", uploader="test")
    assert check_all_or_nothing(path, reads) == BATCHES
    union = {(f, o): c for _, r in reads
             for f, o, c in zip(r.lines["fingerprint"], r.lines["occurrence"], r.lines["amount_cents"])}
    assert count_lines(path) == (len(union), sum(union.values()))
    # 6 batches of 401 lines overlapping by 100, each with one duplicate of its first line
    assert len(union) == BATCHES * LINES_PER_BATCH - (BATCHES - 1) * 100 + BATCHES


def test_actuals_use_the_current_account_mapping(db):
    # A line on account 604010 is stored with the default category (overige_kosten); a workbook whose
    # rekeningen map 6040 to infrastructuur must value it as infrastructuur, without re-importing.
    import pandas as pd

    from igemo_fin.inputs.ledger import read_ledger
    from igemo_fin.records.store import Store

    csv = ("datum;rekening;bedrag;project\n"
           "15/03/2024;604010;1.000,00;P1\n"
           "20/03/2024;700000;-250,00;P1\n").encode()
    read = read_ledger(csv, filename="gb.csv")
    store = Store(db)
    store.import_ledger(read, file_sha256="x" * 64, filename="gb.csv", uploader="test")
    default = store.ledger_actuals().set_index("categorie")["bedrag"].to_dict()
    assert default == {"overige_kosten": -1000.0, "verkoop": 250.0}
    mapping = pd.DataFrame({"rekening_prefix": ["6040"], "categorie": ["infrastructuur"]})
    mapped = store.ledger_actuals(rekeningen=mapping).set_index("categorie")["bedrag"].to_dict()
    assert mapped == {"infrastructuur": -1000.0, "verkoop": 250.0}


def test_concurrent_imports_of_the_same_file_store_it_once(db):
    """Four processes' worth of writers (threads, each its own Store) offer the same export at once."""
    import threading

    Store(db)
    sha, data = file_sha256(EXPORT_B), read(EXPORT_B)
    barrier = threading.Barrier(4)
    results, errors = [], []

    def importer(n: int) -> None:
        store = Store(db)
        barrier.wait()
        try:
            results.append(store.import_ledger(data, file_sha256=sha, filename=f"b{n}.csv", uploader=f"u{n}"))
        except BaseException as exc:  # noqa: BLE001 - asserted below
            errors.append(exc)

    threads = [threading.Thread(target=importer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    assert sorted(r.already_imported for r in results) == [False, True, True, True]
    assert len({r.import_id for r in results}) == 1
    assert len(Store(db).import_history()) == 1 and count_lines(db) == (6, -259591)
