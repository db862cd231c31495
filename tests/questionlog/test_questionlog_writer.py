"""The writer: never blocks the caller, counts what it must drop, retries, flushes on close,
and a crash (SIGKILL) in the middle of writing loses nothing that was acknowledged."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from bot import Answer, Outcome, Question
from operations.ops_settings import OpsSettings
from operations.questionlog import QuestionLog, SQLiteStore, Store, open_store
from operations.questionlog.records import Item

ROOT = Path(__file__).resolve().parents[2]
NOPE = Answer(Outcome.ABSTAINED, "Sorry.")


class GatedStore:
    """A real store whose writes wait at a gate: a database that is slow for as long as we like."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self.entered = threading.Event()
        self.gate = threading.Event()

    def write(self, items: Sequence[Item]) -> None:
        self.entered.set()
        self.gate.wait(30)
        self._store.write(items)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


class FlakyStore:
    """A real store whose first `failures` writes fail as a locked database would."""

    def __init__(self, store: Store, failures: int) -> None:
        self._store = store
        self.failures = failures
        self.attempts = 0

    def write(self, items: Sequence[Item]) -> None:
        self.attempts += 1
        if self.attempts <= self.failures:
            raise sqlite3.OperationalError("database is locked")
        self._store.write(items)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


def question(n: int) -> Question:
    return Question(f"question {n}", platform="console", conversation="c", user="u")


def test_a_slow_database_never_blocks_the_caller_and_drops_are_counted(tmp_path: Path) -> None:
    store = GatedStore(SQLiteStore(tmp_path / "log.sqlite3"))
    store.migrate()
    log = QuestionLog(store, salt="s", queue_size=5)  # type: ignore[arg-type]

    assert log.question(question(0), NOPE, kb_version="v")
    assert store.entered.wait(10)  # the writer holds question 0 and waits on the database
    accepted = [log.question(question(n), NOPE, kb_version="v") for n in range(1, 21)]

    assert accepted == [True] * 5 + [False] * 15  # the queue holds 5; the rest are dropped
    assert log.stats().dropped == 15 and log.stats().queued == 5
    store.gate.set()
    stats = log.close()
    assert (stats.written, stats.dropped, stats.failed, stats.queued) == (6, 15, 0, 0)
    with open_store(OpsSettings(database_url=f"sqlite:///{tmp_path}/log.sqlite3")) as reader:
        assert [q.text for q in reader.questions()] == [f"question {n}" for n in range(6)]


def test_a_failed_write_is_retried_and_nothing_is_lost(tmp_path: Path) -> None:
    store = FlakyStore(SQLiteStore(tmp_path / "log.sqlite3"), failures=2)
    store.migrate()
    log = QuestionLog(store, salt="s", retry_delays=(0.0, 0.0, 0.0))  # type: ignore[arg-type]
    log.question(question(1), NOPE, kb_version="v")

    assert log.flush()
    assert store.attempts == 3 and log.stats().written == 1
    log.close()


def test_a_write_that_keeps_failing_is_counted_and_the_writer_goes_on(tmp_path: Path) -> None:
    store = FlakyStore(SQLiteStore(tmp_path / "log.sqlite3"), failures=4)
    store.migrate()
    log = QuestionLog(store, salt="s", retry_delays=(0.0, 0.0, 0.0))  # type: ignore[arg-type]
    log.question(question(1), NOPE, kb_version="v")
    assert log.flush()
    log.question(question(2), NOPE, kb_version="v")

    stats = log.close()
    assert (stats.written, stats.failed) == (1, 1)


def test_close_writes_everything_queued_and_later_questions_count_as_dropped(
    log_settings: OpsSettings,
) -> None:
    store = open_store(log_settings)
    log = QuestionLog(store, salt=store.salt())
    for n in range(1000):
        log.question(question(n), NOPE, kb_version="v")

    assert log.close().written == 1000
    assert not log.question(question(1000), NOPE, kb_version="v")
    assert log.stats().dropped == 1
    with open_store(log_settings) as reader:
        assert reader.count() == 1000


# A writer process that acknowledges (prints) how many questions are committed after each
# flush, then goes straight on writing: a SIGKILL right after an acknowledgement lands in the
# middle of the next batches. With "die-in-transaction" the process exits by itself halfway
# through inserting a batch, inside the open transaction, so the test knows exactly where.
CHILD = """
import os, sys
from operations.ops_settings import OpsSettings
from operations.questionlog import QuestionLog, open_store
from bot import Answer, Outcome, Question

settings = OpsSettings(database_url=sys.argv[1])
store = open_store(settings)
log = QuestionLog(store, salt="s")
answer = Answer(Outcome.ABSTAINED, "Sorry.")
n = 0
while True:
    for _ in range(200):
        log.question(Question(f"q{n}", "console", "c", "u"), answer, kb_version="v")
        n += 1
    assert log.flush()
    print(n, flush=True)
    if n == 2000 and sys.argv[2] == "die-in-transaction":
        write = store.write
        def dying_write(items):
            if len(items) < 2:
                return write(items)
            print("dying", items[0].text, flush=True)
            def rows():  # the first half is inserted in the open transaction, then exit
                for i, item in enumerate(items):
                    if i == len(items) // 2:
                        os._exit(9)
                    yield item
            return write(rows())
        store.write = dying_write
"""


@pytest.mark.parametrize("crash", ["sigkill", "die-in-transaction"])
def test_a_crash_mid_write_loses_nothing_acknowledged(
    log_settings: OpsSettings, crash: str
) -> None:
    url = log_settings.database_url or f"sqlite:///{log_settings.sqlite_path}"
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, url, crash], cwd=ROOT, stdout=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert child.stdout is not None
        acknowledged, dying = 0, ""
        for line in child.stdout:
            if line.startswith("dying"):
                dying = line.split()[1]
                break
            acknowledged = int(line)
            if acknowledged >= 2000 and crash == "sigkill":
                break
        if crash == "sigkill":
            child.send_signal(signal.SIGKILL)
        child.wait(30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(30)
    assert acknowledged == 2000
    assert child.returncode == (-signal.SIGKILL if crash == "sigkill" else 9)

    with open_store(OpsSettings(database_url=url)) as reader:
        texts = [q.text for q in reader.questions()]
        if isinstance(reader, SQLiteStore):
            assert reader.integrity() == "ok"
    assert {f"q{n}" for n in range(acknowledged)} <= set(texts)
    assert len(texts) == len(set(texts))
    if crash == "die-in-transaction":
        # every batch before the dying one is there; of the dying one, not a row
        assert sorted(int(t[1:]) for t in texts) == list(range(int(dying[1:])))


def test_a_lost_postgres_connection_is_reopened_and_the_batch_retried(
    postgres_server: Any,
) -> None:
    """A restarted database server (or a proxy's idle cut) costs a retry, not the questions."""
    import psycopg

    url = postgres_server.create_database("reconnect")
    store = open_store(OpsSettings(database_url=url))
    log = QuestionLog(store, salt="s", retry_delays=(0.0, 0.0, 0.0))
    log.question(question(1), NOPE, kb_version="v")
    assert log.flush()

    with psycopg.connect(url, autocommit=True) as other:
        cut = other.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchall()
    assert cut == [(True,)]
    log.question(question(2), NOPE, kb_version="v")

    stats = log.close()
    assert (stats.written, stats.failed) == (2, 0)
    with open_store(OpsSettings(database_url=url)) as reader:
        assert reader.count() == 2
