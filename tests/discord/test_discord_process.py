"""`summit-bot discord` as a real process against the fake Discord: ready only once connected,
answers, counts, and stops cleanly on SIGTERM."""

from __future__ import annotations

from pathlib import Path

from tests.discord.doubles import TOKEN
from tests.fakes.discord_fake import DiscordFake
from tests.processes import BotProcess
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
