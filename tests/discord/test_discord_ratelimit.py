"""How fast one person may ask on Discord: a burst passes, then one question per refill; how
many may wait for an answer at all (MAX_PENDING_QUESTIONS): the next is told it is busy; and an
interaction whose answer waits behind others is deferred, then answered.

The limiter runs on a clock the test moves by hand (operations/ratelimit.py); with Redis, the
other shard is a second limiter on the same redis-server.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from adapters import messages as ui
from adapters.discord import build_client, client, from_env
from bot import Engine, MemoryFeedback
from operations import messages as ops_messages
from operations.live import Bot
from operations.ratelimit import RedisTokenBucket, TokenBucket, rate_limiter
from operations.settings import read
from operations.state import State
from tests.bots import HeldObserver
from tests.discord.doubles import TOKEN, Connect
from tests.fakes.discord_fake import ALICE, BOB, BOT, GENERAL_ID, DiscordFake

TRADE = "how much is the trade worth?"
NO_PINGS = {"parse": []}
NO_PINGS_REPLY = {"parse": [], "replied_user": False}


class Clock:
    def __init__(self) -> None:
        self.now = 1_750_000_000.0

    def __call__(self) -> float:
        return self.now


async def test_a_dm_then_a_slash_command_at_once_are_both_answered(
    connect: Connect, discord_fake: DiscordFake
) -> None:
    limiter = rate_limiter(read({}).settings, None)  # the defaults: a burst of 5, then 1 per 3 s
    async with connect(limiter=limiter):
        direct = await discord_fake.dm(TRADE)
        slash = await discord_fake.slash("ask", question="who skipped the forum?")
        source = await discord_fake.click(slash, ui.SOURCE_BUTTON)

    assert direct.embeds and slash.embeds and source.embeds


async def test_with_too_many_waiting_the_next_asker_is_told_the_bot_is_busy(
    connect: Connect, discord_fake: DiscordFake, fresh_engine: Engine
) -> None:
    held = HeldObserver()
    async with connect(engine=Bot(fresh_engine, observer=held, max_pending=1)):
        first = asyncio.create_task(discord_fake.dm(TRADE))  # held in the engine
        assert await asyncio.to_thread(held.working.wait, 5)
        busy = await discord_fake.dm(TRADE, user=BOB)
        held.go_on.set()
        answered = await first

    assert busy.embeds[0]["description"] == ops_messages.BUSY
    assert "trade" in answered.embeds[0]["description"].casefold()
    assert held.metrics.value("summit_questions_turned_away_total", platform="discord") == 1


async def test_an_answer_held_up_is_deferred_then_follows(
    connect: Connect, discord_fake: DiscordFake, fresh_engine: Engine,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(client, "DEFER_AFTER", 0.05)  # Discord's 3 s, shrunk for the test
    held = HeldObserver()
    async with connect(engine=Bot(fresh_engine, observer=held)):
        mark = discord_fake.mark()
        deferred = await discord_fake.slash("ask", question=TRADE)  # the engine is still busy
        held.go_on.set()
        follow_up = await discord_fake.wait_request(mark, lambda r: r.path.startswith("/webhooks/"))

    assert deferred.callback_type == 5 and not deferred.ephemeral  # "thinking…", in public
    assert "trade" in follow_up.body["embeds"][0]["description"].casefold()
    assert follow_up.body["allowed_mentions"] == NO_PINGS


async def test_a_burst_passes_then_the_next_waits_for_a_token(
    connect: Connect, discord_fake: DiscordFake
) -> None:
    clock = Clock()
    async with connect(limiter=TokenBucket(burst=5, seconds=3.0, clock=clock)):
        burst = [
            await discord_fake.dm(TRADE),
            await discord_fake.mention(TRADE),
            await discord_fake.slash("ask", question=TRADE),
            await discord_fake.dm("source?"),
            await discord_fake.slash("ask", question=TRADE),
        ]
        refused = await discord_fake.slash("ask", question=TRADE)
        bob = await discord_fake.slash("ask", question=TRADE, user=BOB)
        help_ = await discord_fake.slash("help")  # help and topics are never limited
        clock.now += 3.0
        again = await discord_fake.slash("ask", question=TRADE)

    assert all(sent.embeds for sent in burst)
    assert refused.content == ops_messages.COOLDOWN.format(seconds=3)
    assert refused.ephemeral and not refused.embeds and refused.allowed_mentions == NO_PINGS
    assert bob.embeds and help_.embeds and again.embeds


async def test_in_a_channel_the_refusal_is_said_once_then_quiet(
    connect: Connect, discord_fake: DiscordFake
) -> None:
    clock = Clock()
    async with connect(limiter=TokenBucket(burst=1, seconds=60.0, clock=clock)):
        await discord_fake.mention(TRADE)
        warning = await discord_fake.mention(TRADE)
        mark = discord_fake.mark()
        await discord_fake.post_message(f"{BOT.mention} {TRADE}", mentions=[BOT])
        control = await discord_fake.dm("help", user=BOB)

    assert warning.content == ops_messages.COOLDOWN.format(seconds=60)
    assert warning.reference is not None and not warning.embeds
    assert warning.allowed_mentions == NO_PINGS_REPLY
    assert [s.request for s in discord_fake.sent_since(mark)] == [control.request]


async def test_a_refusal_in_a_channel_deletes_itself(
    connect: Connect, discord_fake: DiscordFake
) -> None:
    async with connect(limiter=TokenBucket(burst=1, seconds=1.0)):
        await discord_fake.mention(TRADE)
        warning = await discord_fake.mention(TRADE)
        gone = f"/channels/{GENERAL_ID}/messages/{warning.message['id']}"
        deleted = await discord_fake.wait_request(0, lambda r: r.path == gone)

    assert deleted.method == "DELETE"


async def test_the_bucket_is_one_across_shards(
    discord_fake: DiscordFake, fresh_engine: Engine, replicas: Callable[[], State]
) -> None:
    clock, here, there = Clock(), replicas(), replicas()
    if here.link is not None and there.link is not None:
        mine: TokenBucket = RedisTokenBucket(here.link, burst=2, seconds=3.0, clock=clock)
        other: TokenBucket = RedisTokenBucket(there.link, burst=2, seconds=3.0, clock=clock)
    else:
        mine = other = TokenBucket(burst=2, seconds=3.0, clock=clock)
    environ = {"DISCORD_TOKEN": TOKEN, "DISCORD_API_BASE_URL": discord_fake.url}
    settings = from_env(environ)
    client = build_client(Bot(fresh_engine), settings, feedback=MemoryFeedback(), limiter=mine)
    async with discord_fake.running(client, TOKEN):
        assert other.take(f"discord:{ALICE.id}") == 0.0  # alice asked on the other shard
        first = await discord_fake.slash("ask", question=TRADE)
        refused = await discord_fake.slash("ask", question=TRADE)
        bob = await discord_fake.slash("ask", question=TRADE, user=BOB)
        clock.now += 3.0
        again = await discord_fake.slash("ask", question=TRADE)

    assert first.embeds and bob.embeds and again.embeds  # nobody else is held up
    assert refused.content == ops_messages.COOLDOWN.format(seconds=3) and refused.ephemeral
