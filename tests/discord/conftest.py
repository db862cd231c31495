"""Fixtures for the Discord tests: a fake Discord on 127.0.0.1 and the real client connected to it.

    async def test_x(bot, discord_fake):            # bot: connected, no rate limit
        reply = await discord_fake.mention("who came?")

    async def test_y(connect, discord_fake):        # connect: choose the environment
        async with connect({"DISCORD_PREFIX": "!"}, limiter=TokenBucket(...)) as client: ...

No __init__.py in this folder, on purpose: with one, `tests/discord` could shadow discord.py.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest

from adapters.console import ConsoleChat
from adapters.discord import SummitClient, build_client, from_env
from bot import Engine, KnowledgeBase, MemoryFeedback
from knowledge.loader import load_language
from operations.live import Bot
from operations.ratelimit import TokenBucket
from tests.bots import as_bot
from tests.discord.doubles import TOKEN, Connect, SpyEngine
from tests.fakes.discord_fake import DiscordFake


@pytest.fixture
def fresh_engine(kb: KnowledgeBase) -> Engine:
    """An engine of its own, so no test's conversation leaks into another's follow-ups."""
    return Engine(kb, load_language())


@pytest.fixture
def console(fresh_engine: Engine) -> ConsoleChat:
    return ConsoleChat(Bot(fresh_engine), conversation="parity")


@pytest.fixture
async def discord_fake(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[DiscordFake]:
    fake = DiscordFake(token=TOKEN)
    await fake.start()
    fake.patch(monkeypatch)  # REST base and gateway URL; restored after the test
    try:
        yield fake
    finally:
        await fake.stop()


@pytest.fixture
def connect(discord_fake: DiscordFake, fresh_engine: Engine) -> Connect:
    """Build the client from an environment (plus shard options) and run it against the fake."""

    @asynccontextmanager
    async def connect(
        env: dict[str, str] | None = None,
        *,
        shards: int = 1,
        engine: Any = None,
        limiter: TokenBucket | None = None,
        **options: Any,
    ) -> AsyncIterator[SummitClient]:
        environ = {"DISCORD_TOKEN": TOKEN, "DISCORD_API_BASE_URL": discord_fake.url, **(env or {})}
        settings = from_env(environ, **options)
        client = build_client(
            as_bot(engine or fresh_engine), settings, feedback=MemoryFeedback(), limiter=limiter
        )
        async with discord_fake.running(client, TOKEN, shards=shards):
            yield client

    return connect


@pytest.fixture
async def bot(connect: Connect) -> AsyncIterator[SummitClient]:
    async with connect() as client:
        yield client


@pytest.fixture
def spy(fresh_engine: Engine) -> SpyEngine:
    return SpyEngine(fresh_engine)
