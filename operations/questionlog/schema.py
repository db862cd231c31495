"""The question log's schema, as numbered migrations applied in order, once, in a transaction.

A database records the versions applied in `schema_migrations`; opening the log applies the
missing ones (several replicas starting at once take a lock first, so each runs once). Never
edit a released migration: append a new one. A database newer than this code is refused.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sqlite: tuple[str, ...]
    postgres: tuple[str, ...]


def _questions(time: str, real: str) -> str:
    return f"""
        CREATE TABLE questions (
            id TEXT PRIMARY KEY,
            asked_at {time} NOT NULL,
            platform TEXT NOT NULL,
            conversation TEXT NOT NULL,
            user_key TEXT NOT NULL,
            question TEXT NOT NULL,
            outcome TEXT NOT NULL,
            fact_id TEXT,
            confidence {real} NOT NULL,
            kb_version TEXT NOT NULL,
            feedback TEXT,
            feedback_at {time}
        )"""


_COMMON_V1 = (
    "CREATE INDEX questions_asked_at ON questions (asked_at)",
    "CREATE INDEX questions_answer ON questions (platform, conversation, fact_id, asked_at)",
    "CREATE TABLE log_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
)
_COMMON_V2 = (
    "ALTER TABLE questions ADD COLUMN suggestions TEXT NOT NULL DEFAULT ''",
    "CREATE INDEX questions_fact ON questions (platform, fact_id, asked_at)",
)


def _runner_up(real: str) -> tuple[str, ...]:
    return (
        "ALTER TABLE questions ADD COLUMN runner_up TEXT",
        f"ALTER TABLE questions ADD COLUMN lead {real}",
    )


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "questions and log_meta",
        sqlite=(_questions("TEXT", "REAL"), *_COMMON_V1),
        postgres=(_questions("TIMESTAMPTZ", "DOUBLE PRECISION"), *_COMMON_V1),
    ),
    Migration(
        2,
        "did-you-mean suggestions; feedback lookup by fact",
        sqlite=_COMMON_V2,
        postgres=_COMMON_V2,
    ),
    Migration(
        3,
        "an answer's runner-up fact and its lead",
        sqlite=_runner_up("REAL"),
        postgres=_runner_up("DOUBLE PRECISION"),
    ),
)

LATEST = MIGRATIONS[-1].version

MIGRATIONS_TABLE = {
    "sqlite": "CREATE TABLE IF NOT EXISTS schema_migrations "
    "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
    "postgres": "CREATE TABLE IF NOT EXISTS schema_migrations "
    "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL)",
}
