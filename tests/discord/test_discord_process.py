"""`summit-bot discord` as a real process against the fake Discord: ready only once connected,
answers, counts, and stops cleanly on SIGTERM, after the answers in flight."""

from __future__ import annotations

import asyncio
import json
import signal
from pathlib import Path

from operations.ops_settings import OpsSettings
from operations.questionlog import open_store
from tests.discord.doubles import TOKEN
from tests.fakes.discord_fake import DiscordFake
from tests.processes import STOP_TIMEOUT, BotProcess
from tests.redis_server import free_port

TRADE = "how much is the trade worth?"


async def test_the_discord_adapter_runs_reports_and_stops_cleanly(
    discord_fake: DiscordFake, tmp_path: Path
) -> None:
    # --shard-count auto: the client asks the (fake) API for its gateway, as sharded bots do
    env = {"DISCORD_TOKEN": TOKEN, "DISCORD_API_BASE_URL": discord_fake.url}
    args = ["discord", "--shard-count", "auto"]
    async with BotProcess.start(args, env, health_port=free_port(), log=tmp_path / "log") as bot:
        health = await bot.ready()
        direct = await discord_fake.dm(TRADE)  # then at once a slash command: within the burst
        reply = await discord_fake.slash("ask", question=TRADE)
        metrics = await bot.metrics()
        code = await bot.terminate()

    assert health["status"] == "ok" and health["platform"] == "discord"
    assert health["shared_state"] == {"backend": "memory", "up": True}
    assert direct.embeds and reply.embeds
    assert 'summit_questions_total{outcome="answered",platform="discord"} 2.0' in metrics
    assert code == 0
    assert "discord stopped" in bot.text() and TOKEN not in bot.text()


async def test_sigterm_lets_the_answers_in_flight_reach_discord_first(
    discord_fake: DiscordFake, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    env = {"DISCORD_TOKEN": TOKEN, "DISCORD_API_BASE_URL": discord_fake.url,
           "RATE_LIMIT_SECONDS": "0", "DATA_DIR": str(data)}
    async with BotProcess.start(["discord", "--shard-count", "auto"], env, health_port=free_port(),
                                log=tmp_path / "log") as bot:
        await bot.ready()
        discord_fake.slow = asyncio.Event()  # Discord takes its time over the answers
        asking = [asyncio.create_task(discord_fake.slash("ask", question=TRADE)),
                  asyncio.create_task(discord_fake.mention(TRADE))]
        await asyncio.wait_for(discord_fake.slowed.wait(), 5)
        bot.process.send_signal(signal.SIGTERM)
        for _ in range(100):  # until it says it is stopping (bounded)
            status, body = await bot.get("/healthz")
            if json.loads(body)["status"] == "stopping":
                break
            await asyncio.sleep(0.05)
        assert status == 503 and bot.process.returncode is None  # waiting for the answers
        discord_fake.slow.set()
        slash, mention = await asyncio.gather(*asking)
        code = await asyncio.wait_for(bot.process.wait(), STOP_TIMEOUT)

    assert slash.embeds and mention.embeds
    assert code == 0
    with open_store(OpsSettings(data_dir=data)) as log:
        assert [q.text for q in log.questions()] == [TRADE, TRADE]
    assert "unfinished" not in bot.text()
