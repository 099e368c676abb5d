"""The nginx site of deploy/nginx-igemo.conf filled in for a set of app processes on this machine.

Used by deploy/serve.sh (and the tests): plain http on a loopback port, one upstream line per process,
``/static/`` from the Streamlit package of this virtual environment. A real site keeps TLS: edit the
shipped file by hand instead (its comments say where).

    python deploy/site.py --listen 8080 --upstream 8501 --upstream 8502 > site.conf
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import streamlit

TEMPLATE = Path(__file__).with_name("nginx-igemo.conf")
STATIC = Path(streamlit.__file__).parent / "static" / "static"
"""Streamlit's front-end files (what ``/static/`` serves), of the version the processes run."""


def site_config(upstream_ports: list[int], listen_port: int, *, host: str = "127.0.0.1") -> str:
    """The shipped site on plain http at ``host:listen_port`` in front of ``127.0.0.1:<port>`` each."""
    text = TEMPLATE.read_text(encoding="utf-8")
    text = "\n".join(line for line in text.splitlines() if "# IGEMO_TLS" not in line)
    servers = "\n".join(f"    server 127.0.0.1:{port};" for port in upstream_ports)
    text = re.sub(r"^    server 127\.0\.0\.1:\d+;.*$", lambda _: servers, text, flags=re.M)
    text = re.sub(r"alias \S+;(.*# IGEMO_STATIC)", lambda m: f"alias {STATIC}/;{m.group(1)}", text)
    return re.sub(r"listen 443 ssl;", f"listen {host}:{listen_port};", text)


def nginx_main(folder: Path, site: str) -> str:
    """A whole nginx.conf that runs unprivileged with every file in ``folder``."""
    (folder / "site.conf").write_text(site, encoding="utf-8")
    return (f"pid {folder}/nginx.pid; error_log {folder}/error.log; worker_processes 1;\n"
            "events { worker_connections 1024; }\n"
            f"http {{ include /etc/nginx/mime.types; access_log off; client_body_temp_path {folder}/body;\n"
            f"proxy_temp_path {folder}/proxy; fastcgi_temp_path {folder}/fcgi; uwsgi_temp_path {folder}/uwsgi;\n"
            f"scgi_temp_path {folder}/scgi; include {folder}/site.conf; }}\n")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listen", type=int, required=True)
    parser.add_argument("--upstream", type=int, action="append", required=True)
    parser.add_argument("--folder", type=Path, required=True, help="writes nginx.conf and site.conf here")
    args = parser.parse_args()
    args.folder.mkdir(parents=True, exist_ok=True)
    (args.folder / "nginx.conf").write_text(nginx_main(args.folder, site_config(args.upstream, args.listen)),
                                            encoding="utf-8")
