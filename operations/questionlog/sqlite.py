"""The question log's embedded default store: one SQLite file (store.py has the SQL)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot import ConfigError
from operations.questionlog.store import Store


class SQLiteStore(Store):
    """The embedded default: one file, WAL mode, every commit synced before it is acknowledged."""

    dialect = "sqlite"
    errors = (sqlite3.Error, OSError)

    def __init__(self, path: str | Path, *, busy_seconds: float = 30.0) -> None:
        super().__init__()
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._conn = sqlite3.connect(
                self.path, isolation_level=None, check_same_thread=False, timeout=busy_seconds
            )
            self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.execute("PRAGMA synchronous = FULL")
        except (OSError, sqlite3.Error) as exc:
            raise ConfigError(f"question log {self.path}: cannot open it ({exc})") from None

    @property
    def target(self) -> str:
        return str(self.path)

    @contextmanager
    def _transaction(self, *, migrating: bool = False) -> Iterator[Any]:
        with self._lock:
            # IMMEDIATE takes the write lock up front: two writers wait (busy timeout) rather
            # than deadlock on upgrading a read lock.
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def _time(self, value: datetime | None) -> Any:
        # ISO 8601 in UTC with a fixed width sorts and compares correctly as text.
        return None if value is None else _utc(value).isoformat(timespec="microseconds")

    def _read_time(self, value: Any) -> datetime:
        return datetime.fromisoformat(str(value))

    def integrity(self) -> str:
        """SQLite's own check of the file: "ok" when it is sound."""
        with self._lock:
            return str(self._conn.execute("PRAGMA integrity_check").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._conn.close()


def _utc(value: datetime) -> datetime:
    return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
