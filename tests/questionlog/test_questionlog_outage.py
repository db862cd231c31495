"""The question log while its database is out of reach: answering goes on, rows wait in a
bounded local spool and reach the database once, in order, when it is back; one log line per
change and no traceback. Against a real PostgreSQL server that stops and starts again, and a
store double for the limits."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from bot import Answer, ConfigError, Feedback, Outcome, Question, Vote
from operations.ops import Ops
from operations.ops_settings import OpsSettings
from operations.questionlog import LogStats, QuestionLog, SQLiteStore, open_store, user_key
from operations.questionlog.spool import SPOOL_FILE, Spool
from tests.pg import PostgresServer
from tests.questionlog.doubles import DownStore
from tests.redis_server import free_port

MINI_KB = Path(__file__).parents[1] / "fixtures" / "mini_kb.yaml"
FORUM = "who skipped the forum?"
NOPE = Answer(Outcome.ABSTAINED, "Sorry.")


def until(stats: Callable[[], LogStats], state: str, timeout: float = 10.0) -> LogStats:
    """Poll (bounded) until the log is in `state` with nothing spooled or queued."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        now = stats()
        if now.state == state and not now.spooled and not now.queued:
            return now
        time.sleep(0.05)
    raise AssertionError(f"not {state} after {timeout} s: {stats()}")


def changes(caplog: pytest.LogCaptureFixture) -> list[str]:
    """The question log's lines, and no traceback among them."""
    records = [r for r in caplog.records if r.name == "summit_bot.questionlog"]
    assert not [r for r in records if r.exc_info], "a traceback for an expected outage"
    return [r.getMessage() for r in records]


def test_questions_asked_during_an_outage_arrive_once_and_in_order(
    postgres_server: PostgresServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, "summit_bot.questionlog")
    url = postgres_server.create_database("outage")
    settings = OpsSettings(data_dir=tmp_path / "data", database_url=url)
    ops = Ops.open(MINI_KB, settings)
    log = ops.bot.log
    assert log is not None
    asked: list[str] = []

    def ask(text: str) -> Answer:
        asked.append(text)
        return ops.bot.ask(Question(text, "slack", "c1", "U1"))

    for n in range(10):
        ask(f"before {n}")
    assert log.flush() and log.stats().state == "ok"
    with postgres_server.down():
        for n in range(30):
            ask(f"during {n}")
        forum = ask(FORUM)
        ops.feedback.record(Feedback("slack", "c1", "U1", forum.fact_id or "", Vote.DOWN))
        assert log.flush()
        during = log.stats()
    until(log.stats, "ok")  # the writer found it back by itself
    for n in range(10):
        ask(f"after {n}")
    stats = ops.close()

    assert (during.state, during.spooled, during.dropped) == ("spooling", 32, 0)
    assert (stats.written, stats.dropped, stats.failed, stats.spooled) == (52, 0, 0, 0)
    with open_store(settings) as reader:
        rows = reader.questions()
    assert [r.text for r in rows] == asked  # each once, in the order asked
    assert [r.feedback for r in rows if r.text == FORUM] == [Vote.DOWN]
    target, spool = settings.log_target, settings.data_dir / SPOOL_FILE
    down, back, flushed = changes(caplog)  # one line per change
    assert down.startswith(f"question log {target} is down (") and str(spool) in down
    assert back == f"question log {target} is back"
    assert flushed == f"question log {target}: flushed 32 spooled row(s)"


def test_a_log_opened_while_the_database_is_down_starts_degraded_and_catches_up(
    postgres_server: PostgresServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The adapters open the log this way: a database down at start does not stop them."""
    caplog.set_level(logging.INFO, "summit_bot.questionlog")
    port = free_port()
    settings = OpsSettings(
        data_dir=tmp_path / "data", database_url=f"postgresql://summit@127.0.0.1:{port}/later"
    )
    ops = Ops.open(MINI_KB, settings)
    log = ops.bot.log
    assert log is not None
    ops.bot.ask(Question(FORUM, "discord", "c1", "U0ALICE"))
    assert log.flush()
    degraded = log.stats()

    with PostgresServer.start(port=port) as server:
        server.create_database("later")
        until(log.stats, "ok")
        ops.close()
        with open_store(settings) as reader:
            [row] = reader.questions()
            salt = reader.salt()

    assert (degraded.state, degraded.spooled) == ("spooling", 1)
    assert row.text == FORUM
    assert row.user == user_key("U0ALICE", platform="discord", salt=salt)  # hashed once known
    down, *_ = changes(caplog)
    assert down.startswith(f"question log {settings.log_target} is down at start: degraded")


def test_a_database_that_refuses_the_connection_stops_the_start(
    postgres_server: PostgresServer, tmp_path: Path
) -> None:
    """No such database (or a wrong password): waiting will not fix it, so it is no outage."""
    url = postgres_server.url("no_such_log")
    settings = OpsSettings(data_dir=tmp_path / "data", database_url=url)
    with pytest.raises(ConfigError, match='the server refused: database "no_such_log" does not'):
        open_store(settings, offline=True)
    with pytest.raises(ConfigError, match="the server refused"):
        Ops.open(MINI_KB, settings)


def test_past_the_spool_limit_questions_are_dropped_and_counted(tmp_path: Path) -> None:
    store = DownStore(SQLiteStore(tmp_path / "log.sqlite3"), down=True)
    log = QuestionLog(store, salt="s", spool=Spool(tmp_path / SPOOL_FILE, limit=5))  # type: ignore[arg-type]
    for n in range(8):
        assert log.question(Question(f"q{n}", "console", "c"), NOPE, kb_version="v")
    assert log.flush()
    spooling = log.stats()

    store.down = False
    stats = log.close()  # one last try on the way out: the database takes the spool

    assert (spooling.state, spooling.spooled, spooling.dropped) == ("spooling", 5, 3)
    assert (stats.state, stats.written, stats.dropped, stats.spooled) == ("ok", 5, 3, 0)
    with SQLiteStore(tmp_path / "log.sqlite3") as reader:
        assert [q.text for q in reader.questions()] == [f"q{n}" for n in range(5)]


def test_what_a_stopped_process_left_in_the_spool_is_sent_by_the_next_start(
    tmp_path: Path,
) -> None:
    path = tmp_path / "log.sqlite3"
    first = QuestionLog(DownStore(SQLiteStore(path), down=True), salt="s",  # type: ignore[arg-type]
                        spool=Spool(tmp_path / SPOOL_FILE, limit=100))
    for n in range(3):
        first.question(Question(f"q{n}", "console", "c"), NOPE, kb_version="v")
    left = first.close()

    second = QuestionLog(SQLiteStore(path), salt="s", spool=Spool(tmp_path / SPOOL_FILE, limit=100))
    second.question(Question("q3", "console", "c"), NOPE, kb_version="v")
    stats = second.close()

    assert (left.state, left.spooled, left.written) == ("spooling", 3, 0)
    assert (stats.written, stats.spooled) == (4, 0)
    with SQLiteStore(path) as reader:
        assert [q.text for q in reader.questions()] == ["q0", "q1", "q2", "q3"]
