"""Shared state: two replicas agree on follow-ups and retries; Redis down is survived.

(Rate limits shared through Redis: tests/test_ratelimit.py.)

Every behaviour runs on both backends: `memory` (one process, the default) and `redis` (two
replicas, each with its own connection to one real redis-server). Two "replicas" on the memory
backend share one process's stores, which is what a single instance is.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest

from bot import Engine, KnowledgeBase, Question
from bot.context import Turn
from knowledge.loader import load_language
from operations.live import Bot
from operations.memory import MemoryContext
from operations.service import prepare
from operations.settings import read
from operations.state import RedisContext, RedisLink, State, open_state, state_on
from tests.redis_server import RedisServer, free_port

Replicas = Callable[[], State]  # the `replicas` fixture (tests/redis_server.py)


def test_a_follow_up_on_another_replica_finds_the_last_answer(
    replicas: Replicas, kb: KnowledgeBase
) -> None:
    one = Bot(Engine(kb, load_language()), memory=replicas().context)
    two = Bot(Engine(kb, load_language()), memory=replicas().context)

    first = one.ask(Question("who skipped the forum?", "slack", "slack:T1:C1:1700.1"))
    source = two.ask(Question("source?", "slack", "slack:T1:C1:1700.1"))

    assert first.answered and first.fact_id
    assert source.fact_id == first.fact_id and source.source is not None
    elsewhere = two.ask(Question("source?", "slack", "slack:T1:C1:1700.2"))
    assert elsewhere.fact_id is None  # another thread has no last answer


def test_an_event_is_first_once_across_replicas(replicas: Replicas) -> None:
    one, two = replicas().seen, replicas().seen

    assert one.first("slack:event:Ev1")
    assert not two.first("slack:event:Ev1")  # the retry that landed on the other replica
    assert not one.first("slack:event:Ev1")
    assert two.first("slack:event:Ev2")


def test_turns_expire_in_redis(redis_url: str) -> None:
    link = RedisLink.from_url(redis_url, prefix="ttl")
    RedisContext(link, ttl=60).put("c", Turn("pandas_loan", "are the pandas a gift?"))

    assert 0 < link.client.ttl("ttl:context:c") <= 60


def test_an_unreadable_turn_is_ignored(redis_url: str, caplog: pytest.LogCaptureFixture) -> None:
    link = RedisLink.from_url(redis_url, prefix="bad")
    link.client.set("bad:context:c", "{not json")

    assert RedisContext(link).get("c") is None
    assert "unreadable" in caplog.text


def test_unreachable_redis_falls_back_to_local_state(
    kb: KnowledgeBase, caplog: pytest.LogCaptureFixture
) -> None:
    state = open_state(read({"REDIS_URL": f"redis://127.0.0.1:{free_port()}/0"}).settings)
    engine = Bot(Engine(kb, load_language()), memory=state.context)

    with caplog.at_level(logging.WARNING, "summit_bot.state"):
        first = engine.ask(Question("who skipped the forum?", "slack", "c"))
        source = engine.ask(Question("source?", "slack", "c"))
        retry = state.seen.first("Ev1"), state.seen.first("Ev1")

    assert first.answered and source.fact_id == first.fact_id  # still answering, locally
    assert retry == (True, False)
    assert state.describe() == {"backend": "redis", "up": False, "fallback": "local"}
    [warning] = [r for r in caplog.records if r.name == "summit_bot.state"]  # said once
    assert "redis unreachable" in warning.getMessage() and "local state" in warning.getMessage()


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_redis_going_down_and_coming_back(
    redis_process: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    clock = Clock()
    link = RedisLink.from_url(redis_process.url, prefix="flaky")
    link = RedisLink(link.client, prefix="flaky", retry_after=5, clock=clock)
    state = state_on(link)
    assert state.seen.first("Ev1") and link.up is True

    redis_process.stop()
    with caplog.at_level(logging.WARNING, "summit_bot.state"):
        assert not state.seen.first("Ev1")  # the local twin remembers it
        assert state.seen.first("Ev2")
        assert link.up is False and state.describe()["up"] is False

        redis_process.start()  # again, on the same port
        assert state.describe()["up"] is False  # not asked again within retry_after
        clock.now += 5
        assert state.describe() == {"backend": "redis", "up": True}

    messages = [r.getMessage() for r in caplog.records if r.name == "summit_bot.state"]
    assert len(messages) == 2
    assert "unreachable" in messages[0] and "back" in messages[1]


def test_memory_default_without_redis_url() -> None:
    state = open_state(read({}).settings)
    assert state.link is None and isinstance(state.context, MemoryContext)
    assert state.describe() == {"backend": "memory", "up": True}


def test_turning_redis_on_keeps_the_built_engine(kb: KnowledgeBase) -> None:
    """prepare() with REDIS_URL moves conversations to Redis; the index is not built again."""
    settings = read({"REDIS_URL": f"redis://127.0.0.1:{free_port()}/0"}).settings
    bot = Bot(Engine(kb, load_language()))
    engine = bot.engine

    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    runtime = prepare(bot, settings)
    try:
        assert runtime.bot is bot and bot.engine is engine
        assert isinstance(bot.memory, RedisContext)
    finally:
        runtime.state.close()
        root.handlers[:], root.level = handlers, level
