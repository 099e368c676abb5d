"""deploy/postgresql.sql on a real PostgreSQL: the app's role cannot change or remove a log entry, even
when the triggers are gone; it can do everything the app does."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from igemo_fin.records.chain import verify_chain
from igemo_fin.records.database import DATABASE_ERRORS
from igemo_fin.records.decisions import decisions
from igemo_fin.records.store import Store
from igemo_fin.records.users import add_user, authenticate

from audit_support import decide, drop_trigger
from conftest import ROOT

PSQL = shutil.which("psql")
pytestmark = pytest.mark.skipif(PSQL is None, reason="psql is not installed (Debian's postgresql package)")


def run_sql_file(url: str) -> None:
    done = subprocess.run([PSQL, url, "-q", "-f", str(ROOT / "deploy" / "postgresql.sql")], capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stderr


@pytest.fixture
def roles(pg_server):
    """(owner store, app store) of one database set up as deploy/postgresql.sql says."""
    url = pg_server.new_database("grants")
    name = url.rsplit("/", 1)[1]
    run_sql_file(url)
    owner = Store(pg_server.url(name, user="igemo_owner"))
    run_sql_file(url)
    return owner, Store(pg_server.url(name, user="igemo_app"))


def test_the_app_role_only_appends_to_the_logs(roles):
    owner, app = roles
    decide(app)
    add_user(app, "an", role="bestuur", password="een lang wachtwoord 1")
    assert authenticate(app, "an", "een lang wachtwoord 1") is not None
    assert verify_chain(app).ok
    with owner.connect() as conn:
        drop_trigger(conn, owner, "decisions_no_update")
        drop_trigger(conn, owner, "decisions_no_delete")
    for sql in ("UPDATE decisions SET motivation = 'anders'", "DELETE FROM decisions", "TRUNCATE decisions",
                "UPDATE account_changes SET reason = 'x'", "DELETE FROM ledger_lines",
                "DELETE FROM schema_version", "CREATE TABLE eigen (x TEXT)"):
        with app.connect() as conn, pytest.raises(DATABASE_ERRORS, match="permission denied"):
            conn.execute(sql)
    assert len(decisions(app)) == 1
    result = verify_chain(app)  # every entry still fits; the dropped triggers are named
    assert not result.ok and result.n_entries == 2 and "decisions_no_update" in result.reason
