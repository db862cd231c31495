"""The question log against SQLite and PostgreSQL: writes, votes, purges, migrations, replicas."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot import Answer, ConfigError, Feedback, Outcome, Question, Suggestion, Vote
from operations.ops_settings import OpsSettings
from operations.questionlog import QuestionLog, Store, open_store, user_key
from operations.questionlog.schema import LATEST, MIGRATIONS, MIGRATIONS_TABLE
from tests.pg import PostgresServer

T0 = datetime(2025, 6, 1, 9, 30, tzinfo=UTC)
SECOND = timedelta(seconds=1)
FORUM = Answer(Outcome.ANSWERED, "American business leaders stayed away.", "forum_skipped", 0.91,
               runner_up="huntsman_skipped", lead=0.125)
PANDAS = Answer(Outcome.ANSWERED, "Two giant pandas.", "pandas_loan", 0.77)
UNSURE = Answer(
    Outcome.SUGGESTED,
    "Did you mean…",
    confidence=0.4,
    suggestions=(Suggestion("trade_volume", "How much?"), Suggestion("trade_deals", "Deals?")),
)
NOPE = Answer(Outcome.ABSTAINED, "Sorry, I don't know that.")


def ask(text: str, *, conversation: str = "c1", user: str = "U1", platform: str = "slack"
        ) -> Question:
    return Question(text, platform=platform, conversation=conversation, user=user)


@pytest.fixture
def store(log_settings: OpsSettings) -> Iterator[Store]:
    with open_store(log_settings) as opened:
        yield opened


OpenLog = Callable[..., QuestionLog]


@pytest.fixture
def open_log(log_settings: OpsSettings) -> OpenLog:
    """`open_log(**options)`: a writer on a connection of its own, as a replica would have."""

    def open_log(**options: Any) -> QuestionLog:
        store = open_store(log_settings)
        return QuestionLog(store, salt=store.salt(), **options)

    return open_log


def test_every_field_of_a_question_is_written(store: Store, open_log: OpenLog) -> None:
    log = open_log()
    log.question(ask("who skipped the forum?"), FORUM, kb_version="v1", at=T0)
    log.question(ask("trade?", conversation="c2"), UNSURE, kb_version="v1", at=T0 + SECOND)
    log.question(ask("weather?", platform="discord"), NOPE, kb_version="v2", at=T0 + 2 * SECOND)

    assert log.flush()
    first, unsure, nope = store.questions()
    assert (first.asked_at, first.platform, first.conversation) == (T0, "slack", "c1")
    assert first.text == "who skipped the forum?"
    assert (first.outcome, first.fact_id, first.confidence) == ("answered", "forum_skipped", 0.91)
    assert first.kb_version == "v1" and first.feedback is None
    assert (first.runner_up, first.lead) == ("huntsman_skipped", 0.125)
    assert unsure.outcome == "did_you_mean" and unsure.fact_id is None
    assert (unsure.runner_up, unsure.lead) == (None, None)
    assert unsure.suggestions == ("trade_volume", "trade_deals")
    assert (nope.outcome, nope.platform, nope.kb_version) == ("abstained", "discord", "v2")
    assert log.close().written == 3


def test_user_ids_are_salted_hashes_unless_raw_ids_are_configured(
    store: Store, open_log: OpenLog
) -> None:
    hashed, raw = open_log(), open_log(raw_user_ids=True)
    hashed.question(ask("a?", user="U0ALICE"), NOPE, kb_version="v", at=T0)
    raw.question(ask("b?", user="U0ALICE"), NOPE, kb_version="v", at=T0 + timedelta(seconds=1))
    hashed.close(), raw.close()

    a, b = store.questions()
    assert "U0ALICE" not in a.user and len(a.user) == 20
    assert a.user == user_key("U0ALICE", platform="slack", salt=store.salt())
    assert a.user != user_key("U0ALICE", platform="slack", salt="another salt")
    assert b.user == "U0ALICE"


def test_replicas_sharing_a_log_share_its_salt(log_settings: OpsSettings) -> None:
    one, two = open_store(log_settings), open_store(log_settings)
    try:
        assert one.salt() == two.salt() and len(one.salt()) == 32
    finally:
        one.close(), two.close()


def test_concurrent_writers_lose_nothing(log_settings: OpsSettings, open_log: OpenLog) -> None:
    logs = [open_log() for _ in range(4)]  # four replicas: four writer threads and connections
    for n in range(300):
        for i, log in enumerate(logs):
            log.question(ask(f"q{i}-{n}", conversation=f"c{i}"), FORUM, kb_version="v")

    assert [log.close().written for log in logs] == [300] * 4
    with open_store(log_settings) as reader:
        rows = reader.questions()
    assert len(rows) == 1200 and len({r.id for r in rows}) == 1200
    assert {r.text for r in rows} == {f"q{i}-{n}" for i in range(4) for n in range(300)}


def test_a_vote_updates_the_latest_answer_of_that_fact_in_that_conversation(
    store: Store, open_log: OpenLog
) -> None:
    log = open_log()
    log.question(ask("forum?"), FORUM, kb_version="v", at=T0)
    log.question(ask("forum again?"), FORUM, kb_version="v", at=T0 + timedelta(minutes=1))
    log.question(ask("pandas?"), PANDAS, kb_version="v", at=T0 + timedelta(minutes=2))
    log.question(ask("forum?", conversation="c9"), FORUM, kb_version="v",
                 at=T0 + timedelta(minutes=3))
    log.record(Feedback("slack", "c1", "U1", "forum_skipped", Vote.DOWN))
    log.record(Feedback("slack", "c1", "U1", "pandas_loan", Vote.UP))
    log.close()

    first, again, pandas, elsewhere = store.questions()
    assert first.feedback is None
    assert again.feedback is Vote.DOWN and again.feedback_at is not None
    assert pandas.feedback is Vote.UP
    assert elsewhere.feedback is None


def test_a_changed_vote_replaces_the_first(
    store: Store, open_log: OpenLog
) -> None:
    log = open_log()
    log.question(ask("pandas?"), PANDAS, kb_version="v", at=T0)
    log.record(Feedback("slack", "c1", "U1", "pandas_loan", Vote.DOWN))
    log.record(Feedback("slack", "c1", "U1", "pandas_loan", Vote.UP))
    log.close()

    [row] = store.questions()
    assert row.feedback is Vote.UP


def test_a_vote_from_another_conversation_goes_to_the_latest_answer_on_that_platform(
    store: Store, open_log: OpenLog
) -> None:
    """Discord keys conversations by person: Bob's 👎 on Alice's public answer is about it."""
    log = open_log()
    log.question(ask("pandas?", platform="discord", conversation="discord:1:alice"), PANDAS,
                 kb_version="v", at=T0)
    log.question(ask("pandas?", platform="slack"), PANDAS, kb_version="v",
                 at=T0 + timedelta(minutes=1))
    log.record(Feedback("discord", "discord:1:bob", "bob", "pandas_loan", Vote.DOWN))
    log.record(Feedback("discord", "discord:1:bob", "bob", "no_such_fact", Vote.DOWN))
    log.close()

    on_discord, on_slack = store.questions()
    assert on_discord.feedback is Vote.DOWN
    assert on_slack.feedback is None


def test_purge_deletes_only_what_is_older_than_the_cut(
    store: Store, open_log: OpenLog
) -> None:
    log = open_log()
    for days in (100, 91, 89, 1):
        log.question(ask(f"{days} days ago"), NOPE, kb_version="v", at=T0 - timedelta(days=days))
    log.close()

    assert store.purge(before=T0 - timedelta(days=90)) == 2
    assert [q.text for q in store.questions()] == ["89 days ago", "1 days ago"]
    assert store.purge(before=T0 - timedelta(days=90)) == 0


def test_the_writer_purges_by_the_retention_setting_when_it_starts(
    store: Store, open_log: OpenLog
) -> None:
    old = datetime.now(UTC) - timedelta(days=40)
    first = open_log()
    first.question(ask("old"), NOPE, kb_version="v", at=old)
    first.question(ask("new"), NOPE, kb_version="v")
    first.close()

    open_log(retention_days=30).close()

    assert [q.text for q in store.questions()] == ["new"]


def test_reads_select_a_time_range_and_recent_distinct_texts(
    store: Store, open_log: OpenLog
) -> None:
    log = open_log()
    for minutes, text in enumerate(["a?", "b?", "a?", "", "c?"]):
        log.question(ask(text), NOPE, kb_version="v", at=T0 + timedelta(minutes=minutes))
    log.close()

    since = store.questions(since=T0 + timedelta(minutes=1), until=T0 + timedelta(minutes=3))
    assert [q.text for q in since] == ["b?", "a?"]
    assert store.recent_texts(limit=10) == ["c?", "a?", "b?"]
    assert store.count() == 5


# -- migrations ------------------------------------------------------------------------------------


def test_a_new_log_is_at_the_latest_schema_and_migrating_again_changes_nothing(
    store: Store,
) -> None:
    assert store.version() == LATEST
    salt = store.salt()
    assert store.migrate() == LATEST
    assert store.salt() == salt


def test_an_old_schema_is_upgraded_keeping_its_rows(log_settings: OpsSettings) -> None:
    store = _bare_store(log_settings)
    with store._transaction(migrating=True) as tx:
        tx.execute(MIGRATIONS_TABLE[store.dialect], ())
        store._apply(tx, MIGRATIONS[0])
        tx.execute(
            "INSERT INTO questions (id, asked_at, platform, conversation, user_key, question, "
            "outcome, fact_id, confidence, kb_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            ("x1", store._time(T0), "slack", "c1", "", "old?", "abstained", None, 0.0, "v0"),
        )
    assert store.version() == 1

    assert store.migrate() == LATEST
    [row] = store.questions()
    assert (row.id, row.text, row.suggestions) == ("x1", "old?", ())
    store.close()


def test_a_log_from_a_newer_summit_bot_is_refused(log_settings: OpsSettings) -> None:
    open_store(log_settings).close()
    store = _bare_store(log_settings)
    with store._transaction() as tx:
        tx.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                   (LATEST + 1, "from the future", store._time(T0)))
    store.close()

    with pytest.raises(ConfigError, match=f"schema version {LATEST + 1} is newer"):
        open_store(log_settings)


def _bare_store(settings: OpsSettings) -> Store:
    """A store that has not been migrated."""
    if settings.database_url:
        from operations.questionlog.postgres import PostgresStore

        return PostgresStore(settings.database_url)
    from operations.questionlog import SQLiteStore

    return SQLiteStore(settings.sqlite_path)


def test_a_postgresql_connection_sends_keepalives(postgres_server: PostgresServer) -> None:
    """An idle connection a NAT dropped is found dead in about a minute, not two hours."""
    from operations.questionlog.postgres import KEEPALIVES, PostgresStore

    store = PostgresStore(postgres_server.create_database(f"keepalive_{os.getpid()}"))
    conn = store._connect()
    try:
        dsn = conn.info.dsn
        assert all(f"{name}={value}" in dsn for name, value in KEEPALIVES.items())
    finally:
        conn.close()
