"""Discord sharded across processes: the cooldown is one, wherever a person asks.

Each test runs on both backends (tests/redis_server.py `replicas`): the other shard's process
is a second cooldown on the same Redis (or, in memory, the same process's cooldown).
"""

from __future__ import annotations

from collections.abc import Callable

from adapters.discord import build_client, from_env
from adapters.discord.cooldown import Cooldown
from adapters.discord.shared import RedisCooldown
from adapters.redis_state import State
from bot import Engine, MemoryFeedback, messages
from tests.discord.doubles import TOKEN
from tests.fakes.discord_fake import ALICE, BOB, DiscordFake

TRADE = "how much is the trade worth?"


async def test_a_turn_taken_on_another_shard_holds_here(
    discord_fake: DiscordFake, fresh_engine: Engine, replicas: Callable[[], State]
) -> None:
    here, there = replicas(), replicas()
    if here.link is not None and there.link is not None:
        mine: Cooldown = RedisCooldown(here.link, 60)
        other: Cooldown = RedisCooldown(there.link, 60)
    else:
        mine = other = Cooldown(60)
    environ = {"DISCORD_TOKEN": TOKEN, "DISCORD_API_BASE_URL": discord_fake.url}
    client = build_client(
        fresh_engine, from_env(environ), feedback=MemoryFeedback(), cooldown=mine
    )
    async with discord_fake.running(client, TOKEN):
        assert other.wait(str(ALICE.id)) == 0.0  # alice asked on the other shard just now
        refused = await discord_fake.slash("ask", question=TRADE)
        bob = await discord_fake.slash("ask", question=TRADE, user=BOB)

    assert refused.content == messages.COOLDOWN.format(seconds=60) and refused.ephemeral
    assert bob.embeds  # nobody else is held up
