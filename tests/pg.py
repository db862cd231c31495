"""A throwaway PostgreSQL server for the tests: initdb into a temporary folder, a free port.

    with PostgresServer.start() as server:       # raises Unavailable when there is no PostgreSQL
        url = server.create_database("t1")       # postgresql://summit@127.0.0.1:PORT/t1
        with server.down():                      # an outage: stopped, then started again
            ...

The binaries come from Debian's `postgresql` package (/usr/lib/postgresql/<version>/bin);
`.ci/run` installs it. PostgreSQL refuses to run as root, so as root the server runs as the
`postgres` user the package creates (through runuser).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

USER = "summit"


class Unavailable(Exception):
    """No PostgreSQL server can be started here; the message says why."""


def bin_dir() -> Path:
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3])
    )
    if not found:
        raise Unavailable("PostgreSQL is not installed (apt-get install postgresql)")
    return Path(found[-1]).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PostgresServer:
    def __init__(self, root: Path, port: int, run_as: list[str]) -> None:
        self.root = root
        self.port = port
        self._run_as = run_as

    @classmethod
    @contextmanager
    def start(cls, port: int | None = None) -> Iterator[PostgresServer]:
        """A server on `port` (default: a free one), removed on leaving."""
        binaries = bin_dir()
        root = Path(tempfile.mkdtemp(prefix="summit-pg-"))
        run_as: list[str] = []
        if os.geteuid() == 0:
            try:
                owner = pwd.getpwnam("postgres")
            except KeyError:
                shutil.rmtree(root, ignore_errors=True)
                raise Unavailable("running as root and there is no 'postgres' user") from None
            os.chown(root, owner.pw_uid, owner.pw_gid)
            run_as = ["runuser", "-u", "postgres", "--"]
        server = cls(root, port or _free_port(), run_as)
        try:
            server._run(str(binaries / "initdb"), "-D", str(root / "data"), "-U", USER,
                        "--auth=trust", "--encoding=UTF8", "--no-sync", "--no-instructions")
            server.resume()
        except subprocess.CalledProcessError as exc:
            log = root / "server.log"
            detail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            shutil.rmtree(root, ignore_errors=True)
            raise Unavailable(f"PostgreSQL did not start: {exc.stderr or exc}\n{detail}") from None
        try:
            yield server
        finally:
            subprocess.run(
                [*run_as, str(binaries / "pg_ctl"), "-D", str(root / "data"), "-m", "immediate",
                 "-w", "stop"], capture_output=True, check=False, timeout=60,
            )
            shutil.rmtree(root, ignore_errors=True)

    def resume(self) -> None:
        """Start the (initialised) server; back once it takes connections."""
        options = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off -c full_page_writes=off")
        self._run(str(bin_dir() / "pg_ctl"), "-D", str(self.root / "data"), "-l",
                  str(self.root / "server.log"), "-o", options, "-w", "-t", "60", "start")

    @contextmanager
    def down(self) -> Iterator[None]:
        """An outage: the server stops (connections cut, new ones refused), then starts again."""
        self._run(str(bin_dir() / "pg_ctl"), "-D", str(self.root / "data"), "-m", "fast",
                  "-w", "stop")
        try:
            yield
        finally:
            self.resume()

    def _run(self, *command: str) -> None:
        subprocess.run([*self._run_as, *command], capture_output=True, text=True, check=True,
                       timeout=120, cwd=self.root)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)
