"""How the client meets Discord: command sync, intents, REST base, shards, errors, logs."""

from __future__ import annotations

import io
import logging
from typing import Any

import discord
import pytest

from adapters import messages
from adapters.discord import ShardedSummitClient, SummitClient
from bot import Engine
from operations.logs import REDACTED, setup_logging
from operations.settings import read
from tests.discord.doubles import TOKEN, BrokenEngine, Connect
from tests.fakes.discord_fake import ALICE, GUILD_ID, DiscordFake

TRADE = "how much is the trade worth?"
PRIVILEGED = discord.Intents(members=True, presences=True, message_content=True).value
MESSAGE_CONTENT = discord.Intents(message_content=True).value


async def test_slash_commands_sync_globally_by_default(
    bot: SummitClient, discord_fake: DiscordFake
) -> None:
    assert list(discord_fake.commands) == [None]
    commands = {c["name"]: c for c in discord_fake.commands[None]}
    assert set(commands) == {"ask", "topics", "help"}
    options = {o["name"]: o for o in commands["ask"]["options"]}
    assert options["question"]["type"] == 3 and options["question"]["required"]
    assert options["question"]["autocomplete"] is True
    assert options["question"]["max_length"] == 2000
    assert options["private"]["type"] == 5 and not options["private"]["required"]
    assert all(c["description"] for c in commands.values())


async def test_a_guild_id_syncs_to_that_server_only(
    connect: Connect, discord_fake: DiscordFake
) -> None:
    async with connect({"DISCORD_GUILD_ID": str(GUILD_ID)}):
        answer = await discord_fake.slash("ask", question=TRADE)

    assert list(discord_fake.commands) == [GUILD_ID]
    assert answer.embeds


async def test_no_privileged_intent_unless_the_prefix_command_is_on(
    connect: Connect, discord_fake: DiscordFake
) -> None:
    async with connect():
        pass
    async with connect({"DISCORD_PREFIX": "!"}):
        pass

    plain, prefixed = (identify["intents"] for identify in discord_fake.identifies)
    assert plain & PRIVILEGED == 0
    assert prefixed & PRIVILEGED == MESSAGE_CONTENT
    wanted = discord.Intents(guilds=True, guild_messages=True, dm_messages=True).value
    assert plain & wanted == wanted


async def test_the_api_base_url_setting_routes_rest_calls(
    connect: Connect, discord_fake: DiscordFake, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(discord.http.Route, "BASE", "http://127.0.0.1:9/nowhere")
    async with connect({"DISCORD_API_BASE_URL": discord_fake.url}):
        pass

    assert discord_fake.api_base == discord.http.Route.BASE
    assert [r.path for r in discord_fake.requests[:2]] == ["/users/@me", "/oauth2/applications/@me"]


async def _no_identify_pause(self: Any, shard_id: int | None, *, initial: bool = False) -> None:
    """Discord allows one IDENTIFY per 5 s, so discord.py waits; the fake does not need that."""


async def test_shards_each_identify_and_share_the_events(
    connect: Connect, discord_fake: DiscordFake, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ShardedSummitClient, "before_identify_hook", _no_identify_pause)
    async with connect(shards=2, shard_count=2) as client:
        reply = await discord_fake.mention(TRADE)
        direct = await discord_fake.dm(TRADE)

    assert isinstance(client, discord.AutoShardedClient)
    assert sorted(i["shard"] for i in discord_fake.identifies) == [[0, 2], [1, 2]]
    assert reply.text == direct.text


async def test_automatic_sharding_asks_discord_how_many(
    connect: Connect, discord_fake: DiscordFake
) -> None:
    async with connect(shard_count="auto"):
        reply = await discord_fake.mention(TRADE)

    assert "/gateway/bot" in [r.path for r in discord_fake.requests]
    assert discord_fake.identifies[0]["shard"] == [0, 1]
    assert reply.embeds


async def test_errors_are_logged_with_context_and_answered_with_an_apology(
    connect: Connect,
    discord_fake: DiscordFake,
    fresh_engine: Engine,
    caplog: pytest.LogCaptureFixture,
) -> None:
    broken = BrokenEngine(fresh_engine, fail_on={TRADE, "source"})
    async with connect(engine=broken):
        reply = await discord_fake.mention(TRADE)
        direct = await discord_fake.dm(TRADE)
        answer = await discord_fake.slash("ask", question=TRADE)
        working = await discord_fake.slash("ask", question="who skipped the forum?")
        source = await discord_fake.click(working, messages.SOURCE_BUTTON)

    for sent in (reply, direct, answer, source):
        assert sent.content == messages.ERROR
        assert not sent.embeds and "Traceback" not in sent.content
    assert answer.ephemeral and source.ephemeral
    assert working.embeds
    failures = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(failures) == 4
    assert all(r.exc_info and f"user {ALICE.id}" in r.getMessage() for r in failures)
    assert "/ask" in failures[2].getMessage()
    assert "button summit:source:" in failures[3].getMessage()


async def test_a_rejected_token_stops_the_start(
    connect: Connect, discord_fake: DiscordFake
) -> None:
    discord_fake.token = "another-token"
    with pytest.raises(discord.LoginFailure):
        async with connect():
            pass

    assert [r.response for r in discord_fake.requests] == [401]


async def test_the_token_never_reaches_the_logs(
    connect: Connect, discord_fake: DiscordFake, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with connect():
        reply = await discord_fake.mention(TRADE)
        await discord_fake.click(reply, messages.SOURCE_BUTTON)
        await discord_fake.slash("ask", question=TRADE)

    assert "has connected to Gateway" in caplog.text  # discord.py's own logs were captured
    assert TOKEN not in caplog.text
    assert TOKEN.split(".")[0] not in caplog.text


def test_the_one_log_redaction_hides_the_discord_token() -> None:
    """operations/logs.py redacts every secret of the settings, the Discord token included."""
    stream, root = io.StringIO(), logging.getLogger()
    level = root.level
    handler = setup_logging(read({"DISCORD_TOKEN": TOKEN}).settings, stream=stream)
    try:
        logging.getLogger("test.discord.redact").warning("oops, the header was Bot %s", TOKEN)
    finally:
        root.removeHandler(handler)
        root.setLevel(level)

    assert TOKEN not in stream.getvalue()
    assert f"Bot {REDACTED}" in stream.getvalue()
