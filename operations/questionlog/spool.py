"""Where the question log keeps rows while its database cannot be reached: a bounded local file.

    spool = Spool(data_dir / SPOOL_FILE, limit=100_000)   # Spool(None, ...): in memory only
    kept = spool.add(rows)              # appended in order; past `limit` the rest is refused
    upto, rows = spool.peek(256)        # the oldest rows...
    spool.remove(upto)                  # ...forgotten once the database has them
    len(spool)

A SQLite file in DATA_DIR, each `add` committed before it returns, so rows outlive the process:
the next start sends what a stopped one left. Rows are JSON. A row sent to the database but not
yet removed here (a crash in between) is sent again, which changes nothing: questions carry
their own ids (the insert skips a known id) and a vote applied twice is the same vote.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any

from bot import Vote
from operations.questionlog.records import FeedbackUpdate, Item, LoggedQuestion

log = logging.getLogger("summit_bot.questionlog")

SPOOL_FILE = "question-spool.sqlite3"
_TABLE = "CREATE TABLE IF NOT EXISTS spool (seq INTEGER PRIMARY KEY AUTOINCREMENT, row TEXT)"


class Spool:
    """A first-in, first-out store of log rows, used by the writer's thread only."""

    def __init__(self, path: Path | None, *, limit: int) -> None:
        self.limit = max(1, limit)
        self.where = str(path) if path is not None else "memory"
        try:
            self._db = _open(path)
        except (OSError, sqlite3.Error) as exc:  # a read-only DATA_DIR: keep them in memory
            log.warning("question log spool %s cannot be opened (%s): kept in memory", path, exc)
            self.where = "memory"
            self._db = _open(None)
        self._count = int(self._db.execute("SELECT COUNT(*) FROM spool").fetchone()[0])

    @property
    def durable(self) -> bool:
        """False when the rows would be lost with the process."""
        return self.where != "memory"

    def __len__(self) -> int:
        return self._count

    def add(self, rows: list[Item]) -> int:
        """Append `rows` in order, as many as the limit allows; return how many were kept."""
        kept = rows[: max(0, self.limit - self._count)]
        if kept:
            with self._db:
                self._db.executemany(
                    "INSERT INTO spool (row) VALUES (?)", [(encode(r),) for r in kept]
                )
            self._count += len(kept)
        return len(kept)

    def peek(self, count: int) -> tuple[int, list[Item]]:
        """The oldest `count` rows, and the position to `remove` them up to."""
        found = self._db.execute(
            "SELECT seq, row FROM spool ORDER BY seq LIMIT ?", (count,)
        ).fetchall()
        upto = int(found[-1][0]) if found else 0
        rows = []
        for seq, text in found:
            try:
                rows.append(decode(text))
            except (ValueError, TypeError, KeyError) as exc:  # damaged by hand, say: skip it
                log.warning("question log spool %s: row %s unreadable (%s)", self.where, seq, exc)
        return upto, rows

    def remove(self, upto: int) -> None:
        """Forget every row up to position `upto` (the database has them)."""
        with self._db:
            self._db.execute("DELETE FROM spool WHERE seq <= ?", (upto,))
        self._count = int(self._db.execute("SELECT COUNT(*) FROM spool").fetchone()[0])

    def close(self) -> None:
        self._db.close()


def _open(path: Path | None) -> sqlite3.Connection:
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(":memory:" if path is None else path, check_same_thread=False)
    if path is not None:
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = FULL")
    db.execute(_TABLE)
    return db


def encode(row: Item) -> str:
    """One row as JSON (lone surrogates and all: JSON escapes them)."""
    fields = asdict(row)
    fields["kind"] = "question" if isinstance(row, LoggedQuestion) else "vote"
    return json.dumps(fields, default=lambda v: v.isoformat() if isinstance(v, datetime) else v)


def decode(text: str) -> Item:
    fields: dict[str, Any] = json.loads(text)
    for key in ("asked_at", "feedback_at", "at"):
        if fields.get(key):
            fields[key] = datetime.fromisoformat(fields[key])
    if fields.pop("kind") == "vote":
        return FeedbackUpdate(**{**fields, "vote": Vote(fields["vote"])})
    feedback = Vote(fields["feedback"]) if fields.get("feedback") else None
    return LoggedQuestion(**{**fields, "suggestions": tuple(fields["suggestions"]),
                             "feedback": feedback})
