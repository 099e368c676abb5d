-- The PostgreSQL database of the IGEMO store and its two roles. Run as a superuser with psql:
--   createdb igemo
--   psql -d igemo -v owner_password="'...'" -v app_password="'...'" -f deploy/postgresql.sql
-- then migrate as the owner and serve as the app:
--   python -c 'from igemo_fin.records.store import open_store; open_store("postgresql://igemo_owner@db/igemo")'
--   psql -d igemo -f deploy/postgresql.sql          (again: grants on the tables the migrations made)
--   IGEMO_DB=postgresql://igemo_app@db/igemo deploy/serve.sh --processes 2 --db "$IGEMO_DB"
-- Rerun this file after every upgrade that adds tables. tests/records/test_postgres_grants.py runs it.
\set ON_ERROR_STOP on

SELECT 'CREATE ROLE igemo_owner LOGIN' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'igemo_owner')
\gexec
SELECT 'CREATE ROLE igemo_app LOGIN' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'igemo_app')
\gexec
\if :{?owner_password}
ALTER ROLE igemo_owner PASSWORD :owner_password;
\endif
\if :{?app_password}
ALTER ROLE igemo_app PASSWORD :app_password;
\endif

-- The owner makes the schema (the numbered migrations); nobody else may create anything in it.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE, CREATE ON SCHEMA public TO igemo_owner;
GRANT USAGE ON SCHEMA public TO igemo_app;
SELECT format('ALTER TABLE %I OWNER TO igemo_owner', tablename) FROM pg_tables WHERE schemaname = 'public'
\gexec

-- The app reads and writes the working tables ...
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO igemo_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO igemo_app;
-- ... but only reads the schema version, and only adds to the append-only, hash-chained logs: no UPDATE,
-- DELETE or TRUNCATE there, whatever happens to their triggers.
-- The imports are history too: a ledger import is corrected by a new import, never by editing one (the
-- import's own transaction sets its counts right after inserting it, so UPDATE stays on ledger_imports).
-- Tables a migration has not made yet are skipped: rerun this file after migrating.
SELECT format('REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON %I FROM igemo_app', t)
  FROM unnest(ARRAY['schema_version']) AS t WHERE to_regclass(t) IS NOT NULL
\gexec
SELECT format('REVOKE UPDATE, DELETE, TRUNCATE ON %I FROM igemo_app', t)
  FROM unnest(ARRAY['decisions', 'threshold_versions', 'account_changes', 'ledger_lines', 'workbook_versions']) AS t
  WHERE to_regclass(t) IS NOT NULL
\gexec
