"""Load through the proxy: the same N protocol sessions on 2 app processes and on 1, behind nginx, sharing
a PostgreSQL store; p50/p95 per page and failed sessions for both.

Starts a throwaway PostgreSQL (scripts/scratch_postgres.py), then for each set-up ``deploy/serve.sh
--processes K --db URL`` (demo workbook, demo mode), runs ``benchmarks/load_sessions.py --protocol
--url`` against the proxy, stops it. Everything listens on 127.0.0.1.

    .venv/bin/python benchmarks/load_proxy.py [--sessions 30] [--json benchmarks/load_proxy.json]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _module(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module
    spec.loader.exec_module(module)
    return module


def _serve(processes: int, url: str, port: int) -> subprocess.Popen:
    env = {**os.environ, "IGEMO_WORKBOOK": str(ROOT / "data" / "demo_portefeuille.xlsx"), "IGEMO_DEMO": ""}
    proc = subprocess.Popen(["bash", str(ROOT / "deploy" / "serve.sh"), "--processes", str(processes), "--db", url,
                             "--port", str(port)], cwd=ROOT, env=env, start_new_session=True)
    deadline = time.time() + 180
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2).close()
            return proc
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError("deploy/serve.sh stopped")
            time.sleep(0.5)
    raise RuntimeError("the proxy did not answer")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    load = _module(ROOT / "benchmarks" / "load_sessions.py")
    scratch = _module(ROOT / "scripts" / "scratch_postgres.py")
    server = scratch.ScratchPostgres().start()
    results = {}
    try:
        url = server.new_database("load")
        for processes in (2, 1):
            port = scratch.free_port()
            proc = _serve(processes, url, port)
            try:
                out = Path(f"/tmp/igemo_load_proxy_{processes}.json")
                load.main(["--protocol", "--sessions", str(args.sessions), "--url", f"http://127.0.0.1:{port}",
                           "--json", str(out)])
                report = json.loads(out.read_text())
                results[processes] = report
            finally:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(30)
    finally:
        server.stop()
    for processes, report in results.items():
        print(f"\n== {processes} proces(sen), {args.sessions} sessies, {len(report['failed_sessions'])} mislukt, "
              f"p95 alle pagina's {report['p95_s']:.2f} s")
        for title, p in report["per_page"].items():
            print(f"  {title or '(openen)':<40} p50 {p['p50']:6.2f} s   p95 {p['p95']:6.2f} s")
    if args.json:
        args.json.write_text(json.dumps({k: {"failed": r["failed_sessions"], "p95_s": r["p95_s"], "per_page": r["per_page"]}
                                         for k, r in results.items()}, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
