"""When Discord closes the gateway: fatal codes stop the bot with one clear line, others reconnect.

Discord closes a running bot's gateway with 4004 when its token is reset, 4014 when a
privileged intent is turned off in the portal, and with other codes for passing trouble.
"""

from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path

import pytest

from adapters.discord import build_client, from_env
from adapters.discord.service import FATAL_CLOSE_CODES, DiscordService
from bot import Engine
from operations.live import Bot
from operations.observe import Observer
from operations.service import Runtime, serve
from operations.settings import read
from operations.state import open_state
from tests.discord.doubles import TOKEN, Connect
from tests.fakes.discord_fake import DiscordFake
from tests.processes import BotProcess
from tests.redis_server import free_port

TRADE = "how much is the trade worth?"


async def serve_until_closed(
    fake: DiscordFake, engine: Engine, code: int, env: dict[str, str] | None = None
) -> int:
    """Run the service as `summit-bot discord` does; Discord closes the gateway with `code`."""
    environ = {"DISCORD_TOKEN": TOKEN, "DISCORD_API_BASE_URL": fake.url, **(env or {})}
    settings = read({**environ, "HEALTH_PORT": str(free_port())}).settings
    bot = Bot(engine)
    client = build_client(bot, from_env(environ))
    runtime = Runtime(bot, open_state(settings), Observer(), settings)
    task = asyncio.create_task(serve(runtime, DiscordService(client, TOKEN)))
    await fake.connected()
    await fake.close_gateway(code)
    return await asyncio.wait_for(task, 10)


@pytest.mark.parametrize("code", sorted(FATAL_CLOSE_CODES))
async def test_a_fatal_close_code_ends_with_one_clear_line(
    discord_fake: DiscordFake,
    fresh_engine: Engine,
    caplog: pytest.LogCaptureFixture,
    code: int,
) -> None:
    exit_code = await serve_until_closed(discord_fake, fresh_engine, code)

    assert exit_code != 0
    [error] = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert error.exc_info is None and getattr(error, "close_code", None) == code
    assert error.getMessage().startswith(f"Discord closed the gateway with code {code}, ")
    assert FATAL_CLOSE_CODES[code] in error.getMessage()
    assert "Traceback" not in caplog.text
    assert len(discord_fake.identifies) == 1  # it did not try again


async def test_4014_with_the_prefix_command_names_the_intent_to_turn_on(
    discord_fake: DiscordFake, fresh_engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    exit_code = await serve_until_closed(
        discord_fake, fresh_engine, 4014, {"DISCORD_PREFIX": "!"}
    )

    assert exit_code != 0
    [error] = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert "DISCORD_PREFIX needs the Message Content intent" in error.getMessage()


@pytest.mark.parametrize("code", [1001, 4000, 4009])
async def test_other_close_codes_reconnect_and_it_answers_again(
    connect: Connect, discord_fake: DiscordFake, code: int
) -> None:
    async with connect():
        await discord_fake.close_gateway(code)
        for _ in range(250):  # until it has resumed (bounded)
            if discord_fake.resumes:
                break
            await asyncio.sleep(0.02)
        reply = await discord_fake.mention(TRADE)

    assert discord_fake.resumes == 1
    assert reply.embeds


async def test_the_process_exits_non_zero_with_one_json_line_after_4004(
    discord_fake: DiscordFake, tmp_path: Path
) -> None:
    env = {"DISCORD_TOKEN": TOKEN, "DISCORD_API_BASE_URL": discord_fake.url, "LOG_FORMAT": "json"}
    args = ["discord", "--shard-count", "auto"]  # sharded: it dials the gateway the API names
    async with BotProcess.start(args, env, health_port=free_port(), log=tmp_path / "log") as bot:
        await bot.ready()
        await discord_fake.close_gateway(4004)
        exit_code = await asyncio.wait_for(bot.process.wait(), 15)

    assert exit_code != 0
    records = [json.loads(line) for line in bot.log_lines()]  # every line is JSON
    [error] = [r for r in records if r["level"] in ("ERROR", "CRITICAL")]
    assert error["close_code"] == 4004 and "DISCORD_TOKEN" in error["message"]
    assert "error" not in error and "Traceback" not in bot.text() and TOKEN not in bot.text()
