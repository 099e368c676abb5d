"""A throwaway PostgreSQL server in a temporary folder: for the tests, the load benchmark and trying the
deployment on one machine.

Uses Debian's ``postgresql`` package (``initdb`` and ``pg_ctl`` from ``/usr/lib/postgresql/<n>/bin``):
a new cluster in a temporary folder, listening on 127.0.0.1 on a free port, with ``trust``
authentication for loopback only. PostgreSQL refuses to run as root, so as root the cluster belongs
to the user ``nobody`` (started through ``runuser``).

Durability is switched off (``fsync``, ``synchronous_commit``, ``full_page_writes``): the server is
thrown away, never crashes in a test, and the tests check the store's transactions, not the disk.
Never use these settings for real data.

    python scripts/scratch_postgres.py      # prints the URL; Ctrl-C stops and removes the server
"""

from __future__ import annotations

import glob
import os
import shutil
import signal
import socket
import subprocess
import tempfile
from pathlib import Path

import psycopg

__all__ = ["ScratchPostgres", "postgres_bin", "free_port"]

SUPERUSER = "postgres"


def postgres_bin() -> Path | None:
    """The newest ``/usr/lib/postgresql/<n>/bin`` that has ``initdb``, or None (package absent)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    return Path(found[-1]).parent if found else None


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nobody listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ScratchPostgres:
    """A PostgreSQL cluster of its own; :meth:`start`, :meth:`new_database`, :meth:`stop`."""

    def __init__(self, bin_dir: Path | None = None):
        self.bin_dir = bin_dir or postgres_bin()
        if self.bin_dir is None:
            raise RuntimeError("Debian's postgresql package is not installed (apt-get install postgresql)")
        self.folder = Path(tempfile.mkdtemp(prefix="igemo-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self._count = 0
        self._as = ["runuser", "-u", "nobody", "--"] if os.geteuid() == 0 else []

    def _run(self, *args: str) -> None:
        subprocess.run([*self._as, *args], check=True, capture_output=True, text=True, cwd=self.folder)

    def start(self) -> ScratchPostgres:
        if self._as:
            shutil.chown(self.folder, "nobody")
            self.folder.chmod(0o700)
        self._run(str(self.bin_dir / "initdb"), "-D", str(self.data), "-U", SUPERUSER, "--auth=trust",
                  "-E", "UTF8", "--no-locale", "--no-sync")
        options = (f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
        self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-o", options, "-l",
                  str(self.folder / "server.log"), "-w", "-t", "60", "start")
        return self

    def url(self, database: str = "postgres", user: str = SUPERUSER) -> str:
        return f"postgresql://{user}@127.0.0.1:{self.port}/{database}"

    def execute(self, sql: str, database: str = "postgres") -> None:
        """Run SQL as the superuser (no transaction: CREATE DATABASE may not run in one)."""
        with psycopg.connect(self.url(database), autocommit=True) as conn:
            conn.execute(sql)

    def new_database(self, prefix: str = "t") -> str:
        """Create an empty database; its URL (superuser)."""
        self._count += 1
        name = f"{prefix}{os.getpid()}_{self._count}"
        self.execute(f"CREATE DATABASE {name}")
        return self.url(name)

    def drop_database(self, url: str) -> None:
        self.execute(f"DROP DATABASE IF EXISTS {url.rsplit('/', 1)[1]} WITH (FORCE)")

    def stop(self) -> None:
        try:
            self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


if __name__ == "__main__":
    server = ScratchPostgres().start()
    print(server.new_database("igemo"), flush=True)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        signal.pause()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
