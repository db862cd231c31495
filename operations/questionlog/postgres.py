"""The question log in PostgreSQL (psycopg 3), so that several replicas share one log.

    DATABASE_URL=postgresql://summit:secret@db:5432/summit summit-bot slack

Migrations take a transaction-scoped advisory lock, so replicas starting together apply each
one once. The store connects on first use, and a broken connection (a restarted server) is
reopened on the next call; when that fails, the call raises one of `outage` (the writer spools
and tries again later). Rows carry their own ids, so a retried insert is not doubled.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from bot import ConfigError
from operations.questionlog.store import Store
from operations.urls import without_credentials

_REFUSALS = (
    "password authentication failed",
    "no password supplied",
    "does not exist",  # the database or the role
    "no pg_hba.conf entry",
    "permission denied",
)
"""Parts of the server's FATAL replies that mean the settings are wrong, not the server down."""
_MIGRATION_LOCK = 0x5_0111_7B07  # any constant: the advisory lock's key for summit-bot's log
KEEPALIVES: dict[str, Any] = {
    "keepalives": 1,
    "keepalives_idle": 30,
    "keepalives_interval": 10,
    "keepalives_count": 3,
}
"""TCP keepalives: a connection a NAT or load balancer dropped while idle is found dead within
about a minute (30 s idle, then 3 probes 10 s apart), not after the kernel's two hours."""


class PostgresStore(Store):
    dialect = "postgres"

    def __init__(self, url: str, *, connect_timeout: float = 5.0) -> None:
        super().__init__()
        try:
            import psycopg
        except ImportError:
            raise ConfigError(
                "DATABASE_URL is PostgreSQL but psycopg is not installed: "
                "pip install 'summit-bot[postgres]'"
            ) from None
        self._psycopg = psycopg
        self.errors = (psycopg.Error, OSError)
        # Connection trouble, server shutdown, too many clients, out of disk: try again later.
        self.outage = (psycopg.OperationalError, psycopg.InterfaceError, OSError)
        self._url = url
        self._timeout = connect_timeout
        self._conn: Any = None

    @property
    def target(self) -> str:
        return without_credentials(self._url)

    def refused(self, exc: BaseException) -> str | None:
        """The server's FATAL reply when it is one waiting will not fix (libpq gives no
        SQLSTATE for a refused connection, only the server's message)."""
        text = str(exc)
        if "FATAL:" not in text or not any(r in text for r in _REFUSALS):
            return None
        return " ".join(text.split("FATAL:", 1)[1].split())

    def _connect(self) -> Any:
        return self._psycopg.connect(
            self._url,
            autocommit=True,
            connect_timeout=max(1, round(self._timeout)),
            **KEEPALIVES,
        )

    @contextmanager
    def _transaction(self, *, migrating: bool = False) -> Iterator[Any]:
        with self._lock:
            if self._conn is None or self._conn.closed or self._conn.broken:
                self._conn = None
                self._conn = self._connect()
            with self._conn.transaction(), self._conn.cursor() as cursor:
                if migrating:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
                yield _Dialect(cursor)

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()


class _Dialect:
    """A cursor that takes the shared SQL's `?` placeholders (the SQL has no literal `?`)."""

    def __init__(self, cursor: Any) -> None:
        self._cursor = cursor

    def execute(self, sql: str, params: tuple[Any, ...]) -> Any:
        self._cursor.execute(sql.replace("?", "%s"), params)
        return self._cursor
