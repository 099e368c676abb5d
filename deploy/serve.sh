#!/usr/bin/env bash
# Several app processes behind Debian's nginx on this machine (loopback only), sharing one database.
#
#   deploy/serve.sh --processes 2 --db postgresql://igemo_app@127.0.0.1/igemo [--port 8080]
#                   [--migrate-db postgresql://igemo_owner@127.0.0.1/igemo]
#
# 1. brings the schema up to date with --migrate-db (default --db; the app's own role cannot change the
#    schema when the grants of deploy/postgresql.sql are in place, so give the owner's URL there);
# 2. starts N `streamlit run serve.py` processes on 127.0.0.1, ports PORT+1 .. PORT+N, each with
#    IGEMO_DB=--db and IGEMO_PROXY=1, and waits until each answers /_stcore/health;
# 3. runs nginx in the foreground on 127.0.0.1:PORT with deploy/nginx-igemo.conf filled in
#    (deploy/site.py): sticky sessions, /static/ from the Streamlit package, security headers.
# Ctrl-C (or SIGTERM) stops nginx and every app process. Other IGEMO_* variables pass through.
set -euo pipefail
cd "$(dirname "$0")/.."

processes=2 port=8080 db="${IGEMO_DB:-}" migrate_db=""
while [ $# -gt 0 ]; do
  case "$1" in
    --processes) processes="$2"; shift 2 ;;
    --db) db="$2"; shift 2 ;;
    --migrate-db) migrate_db="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    *) echo "onbekende optie: $1" >&2; exit 2 ;;
  esac
done
[ -n "$db" ] || { echo "geef --db (een postgresql://-adres, gedeeld door alle processen)" >&2; exit 2; }
case "$db" in postgresql://*|postgres://*) ;; *)
  [ "$processes" -eq 1 ] || { echo "meerdere processen delen een PostgreSQL-databank: geef --db postgresql://..." >&2; exit 2; } ;;
esac
PY="${PYTHON:-.venv/bin/python}"
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
[ -x "$NGINX" ] || { echo "nginx ontbreekt (apt-get install nginx)" >&2; exit 2; }

"$PY" -c 'import sys; from igemo_fin.records.store import open_store; open_store(sys.argv[1])' "${migrate_db:-$db}"

run_dir="$(mktemp -d -t igemo-serve-XXXXXX)"
pids=()
stop() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$run_dir"
}
trap stop EXIT
trap 'exit 0' INT TERM

upstreams=()
for i in $(seq 1 "$processes"); do
  p=$((port + i))
  IGEMO_DB="$db" IGEMO_PROXY=1 "$PY" -m streamlit run serve.py --server.headless true --server.port "$p" \
    --server.address 127.0.0.1 --browser.gatherUsageStats false >"$run_dir/app$i.log" 2>&1 &
  pids+=("$!")
  upstreams+=(--upstream "$p")
done
for i in $(seq 1 "$processes"); do
  p=$((port + i))
  for _ in $(seq 1 120); do
    curl -fsS "http://127.0.0.1:$p/_stcore/health" >/dev/null 2>&1 && break
    sleep 0.5
  done
  curl -fsS "http://127.0.0.1:$p/_stcore/health" >/dev/null || { echo "proces $i start niet:" >&2; tail -20 "$run_dir/app$i.log" >&2; exit 1; }
done

"$PY" deploy/site.py --listen "$port" "${upstreams[@]}" --folder "$run_dir"
"$NGINX" -t -q -p "$run_dir" -c "$run_dir/nginx.conf"
"$NGINX" -p "$run_dir" -c "$run_dir/nginx.conf" -g "daemon off;" &
pids+=("$!")
for _ in $(seq 1 40); do curl -fsS "http://127.0.0.1:$port/_stcore/health" >/dev/null 2>&1 && break; sleep 0.25; done
echo "klaar: http://127.0.0.1:$port ($processes processen)"
wait "${pids[-1]}"
