"""Slack in HTTP mode as two replicas behind a load balancer, sharing one state store.

Each test runs on both backends (tests/redis_server.py `replicas`): with Redis, two apps with
their own connections to one redis-server; in memory, two apps sharing one process's stores.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

import pytest

from bot import Engine
from knowledge.loader import load_knowledge, load_language
from operations.live import Bot
from operations.state import State
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_workspace import Workspace
from tests.payloads import payload
from tests.slack.conftest import MINI_KB

Replica = Callable[[], AbstractAsyncContextManager[Workspace]]


@pytest.fixture
def replica(fake: FakeSlack, replicas: Callable[[], State]) -> Replica:
    """`async with replica() as one:` one more app instance, on the shared state."""
    kb = load_knowledge(MINI_KB)

    @asynccontextmanager
    async def start() -> AsyncIterator[Workspace]:
        state = replicas()
        engine = Bot(Engine(kb, load_language()), memory=state.context)
        async with Workspace.open(engine, fake, seen=state.seen) as workspace:
            yield workspace

    return start


async def test_a_retry_delivered_to_the_other_replica_is_answered_once(
    replica: Replica, fake: FakeSlack
) -> None:
    mention = {**payload("slack/app_mention"), "text": "<@UBOT> who skipped the forum?"}
    async with replica() as one, replica() as two:
        first = await one.event(mention, event_id="Ev0REPLICA")
        retried = await two.event(mention, event_id="Ev0REPLICA", retry=1)  # one was "slow"
        await one.settle()
        await two.settle()

    assert first.status == retried.status == 200
    assert retried.headers.get("x-slack-no-retry") == "1"
    [answer] = fake.calls("chat.postMessage")
    assert "American business leaders" in answer["text"]


async def test_a_follow_up_served_by_the_other_replica_finds_the_last_answer(
    replica: Replica,
) -> None:
    async with replica() as one, replica() as two:
        first = await one.mention("who skipped the forum?")
        source = await two.mention("source?", thread_ts=first.thread_ts)
        more = await one.mention("more", thread_ts=first.thread_ts)

    assert source.thread_ts == first.thread_ts and "paragraph 7" in source.text
    assert "US ambassador" in more.text
