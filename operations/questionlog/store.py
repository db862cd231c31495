"""Where the question log is kept: SQLite (the default) or PostgreSQL, behind one small class.

    store = open_store(settings)          # connect.py: migrates the schema, ConfigError if not
    store = open_store(settings, offline=True)   # the writer's: the database may be down now
    store.write([row, feedback_update])   # one transaction: all of it is kept, or none
    store.questions(since=...)            # rows, oldest first
    store.purge(before=...)               # -> how many rows were deleted

The SQL is written once, with `?` placeholders; each dialect (sqlite.py, postgres.py) says how
to connect, how to lock for a migration and how it stores time. A store is used by one thread
at a time (the writer's, or a command's).
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, Protocol

from bot import ConfigError, Vote
from operations.questionlog.records import Item, LoggedQuestion
from operations.questionlog.schema import LATEST, MIGRATIONS, MIGRATIONS_TABLE, Migration

SALT_KEY = "user_salt"
_COLUMNS = (
    "id, asked_at, platform, conversation, user_key, question, outcome, fact_id, confidence, "
    "kb_version, suggestions, feedback, feedback_at, runner_up, lead"
)
_INSERT = (
    f"INSERT INTO questions ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (id) DO NOTHING"
)
# The vote goes to the latest answer of that fact in that conversation; a click from another
# conversation (someone else's answer in a channel) goes to the latest answer of the fact there.
_VOTE_IN_CONVERSATION = """
    UPDATE questions SET feedback = ?, feedback_at = ? WHERE id = (
        SELECT id FROM questions WHERE platform = ? AND conversation = ? AND fact_id = ?
        AND asked_at <= ? ORDER BY asked_at DESC LIMIT 1)"""
_VOTE_ON_PLATFORM = """
    UPDATE questions SET feedback = ?, feedback_at = ? WHERE id = (
        SELECT id FROM questions WHERE platform = ? AND fact_id = ?
        AND asked_at <= ? ORDER BY asked_at DESC LIMIT 1)"""


class Cursor(Protocol):
    rowcount: int

    def fetchall(self) -> list[Any]: ...


class Store:
    """The dialect-neutral part: migrations, writes, reads and purges."""

    dialect = ""
    errors: tuple[type[Exception], ...] = (OSError,)
    """What a failed database call raises (the writer retries those)."""
    outage: tuple[type[Exception], ...] = ()
    """What a database that cannot be reached now raises (refused, timed out, shut down): the
    writer keeps rows in its local spool meanwhile. None for SQLite, a local file."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.migrated = False

    def refused(self, exc: BaseException) -> str | None:
        """Why the database turned the connection away for good (a wrong password, no such
        database), when `exc` says so; None for an outage, which passes."""
        return None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- what each dialect provides ----------------------------------------------------------

    @contextmanager
    def _transaction(self, *, migrating: bool = False) -> Iterator[Any]:
        """A transaction whose `execute(sql, params)` takes `?` placeholders; commits on exit."""
        raise NotImplementedError
        yield

    def _time(self, value: datetime | None) -> Any:
        return value

    def _read_time(self, value: Any) -> datetime:
        assert isinstance(value, datetime)
        return value

    def close(self) -> None:
        raise NotImplementedError

    @property
    def target(self) -> str:
        """Where the rows go, without secrets, for messages."""
        raise NotImplementedError

    # -- migrations ----------------------------------------------------------------------------

    def migrate(self) -> int:
        """Apply missing migrations; return the schema version. Safe with concurrent openers."""
        with self._transaction(migrating=True) as tx:
            tx.execute(MIGRATIONS_TABLE[self.dialect], ())
            applied = {int(r[0]) for r in tx.execute("SELECT version FROM schema_migrations", ())
                       .fetchall()}
            newest = max(applied, default=0)
            if newest > LATEST:
                raise ConfigError(
                    f"question log {self.target}: schema version {newest} is newer than this "
                    f"summit-bot knows ({LATEST}): upgrade summit-bot"
                )
            for migration in MIGRATIONS:
                if migration.version not in applied:
                    self._apply(tx, migration)
            tx.execute(
                "INSERT INTO log_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
                (SALT_KEY, secrets.token_hex(16)),
            )
        self.migrated = True
        return LATEST

    def _apply(self, tx: Any, migration: Migration) -> None:
        for statement in getattr(migration, self.dialect):
            tx.execute(statement, ())
        tx.execute(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
            (migration.version, migration.name, self._time(datetime.now(UTC))),
        )

    def version(self) -> int:
        with self._transaction() as tx:
            rows = tx.execute("SELECT MAX(version) FROM schema_migrations", ()).fetchall()
        return int(rows[0][0] or 0)

    def salt(self) -> str:
        """The random salt kept in the log, shared by every process that writes to it."""
        with self._transaction() as tx:
            rows = tx.execute("SELECT value FROM log_meta WHERE key = ?", (SALT_KEY,)).fetchall()
        return str(rows[0][0])

    # -- writes and reads --------------------------------------------------------------------

    def write(self, items: Sequence[Item]) -> None:
        """Insert rows and apply votes, in order, in one transaction (retrying it is harmless)."""
        with self._transaction() as tx:
            for item in items:
                if isinstance(item, LoggedQuestion):
                    tx.execute(_INSERT, self._row(item))
                    continue
                at = self._time(item.at)
                vote = (str(item.vote), at, item.platform)
                done = tx.execute(_VOTE_IN_CONVERSATION, (*vote, item.conversation, item.fact_id,
                                                          at))
                if done.rowcount == 0:
                    tx.execute(_VOTE_ON_PLATFORM, (*vote, item.fact_id, at))

    def questions(
        self, *, since: datetime | None = None, until: datetime | None = None
    ) -> list[LoggedQuestion]:
        """Logged questions asked in [since, until), oldest first."""
        where, params = [], []
        if since is not None:
            where.append("asked_at >= ?")
            params.append(self._time(since))
        if until is not None:
            where.append("asked_at < ?")
            params.append(self._time(until))
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        sql = f"SELECT {_COLUMNS} FROM questions{clause} ORDER BY asked_at, id"
        with self._transaction() as tx:
            rows = tx.execute(sql, tuple(params)).fetchall()
        return [self._logged(row) for row in rows]

    def recent_texts(self, *, limit: int = 1000) -> list[str]:
        """Distinct question texts, most recently asked first (what a replay should try)."""
        sql = (
            "SELECT question FROM questions WHERE question <> '' GROUP BY question "
            "ORDER BY MAX(asked_at) DESC LIMIT ?"
        )
        with self._transaction() as tx:
            return [str(r[0]) for r in tx.execute(sql, (limit,)).fetchall()]

    def count(self) -> int:
        with self._transaction() as tx:
            return int(tx.execute("SELECT COUNT(*) FROM questions", ()).fetchall()[0][0])

    def purge(self, *, before: datetime) -> int:
        """Delete questions asked before `before`; return how many."""
        with self._transaction() as tx:
            done = tx.execute("DELETE FROM questions WHERE asked_at < ?", (self._time(before),))
            return max(0, int(done.rowcount))

    def _row(self, q: LoggedQuestion) -> tuple[Any, ...]:
        return (
            q.id, self._time(q.asked_at), q.platform, q.conversation, q.user, q.text, q.outcome,
            q.fact_id, q.confidence, q.kb_version, ",".join(q.suggestions),
            str(q.feedback) if q.feedback else None, self._time(q.feedback_at),
            q.runner_up, q.lead,
        )

    def _logged(self, row: Sequence[Any]) -> LoggedQuestion:
        return LoggedQuestion(
            id=str(row[0]),
            asked_at=self._read_time(row[1]),
            platform=str(row[2]),
            conversation=str(row[3]),
            user=str(row[4]),
            text=str(row[5]),
            outcome=str(row[6]),
            fact_id=row[7],
            confidence=float(row[8]),
            kb_version=str(row[9]),
            suggestions=tuple(s for s in str(row[10] or "").split(",") if s),
            feedback=Vote(row[11]) if row[11] else None,
            feedback_at=self._read_time(row[12]) if row[12] else None,
            runner_up=row[13],
            lead=None if row[14] is None else float(row[14]),
        )


def reason(exc: BaseException) -> str:
    """An exception's first line, for a one-line log message."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
