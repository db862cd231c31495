"""The Discord adapter: slash commands with autocomplete, mentions, DMs and answer embeds.

    summit-bot discord                                   # needs DISCORD_TOKEN: docs/discord.md
    client = build_client(bot, from_env(os.environ))     # what tests drive against a fake

Inside this package `import discord` is discord.py (absolute imports), never this package.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping

from adapters.discord.client import ShardedSummitClient, SummitClient, build_client
from adapters.discord.service import DiscordService
from adapters.discord.settings import DiscordSettings, from_checked, from_env
from operations.live import Bot
from operations.ops import Ops
from operations.ratelimit import rate_limiter
from operations.service import prepare, run_service
from operations.settings import COMMON, Checked, read

__all__ = [
    "DiscordSettings",
    "ShardedSummitClient",
    "SummitClient",
    "build_client",
    "from_env",
    "run",
]


def run(
    bot: Bot,
    args: argparse.Namespace,
    environ: Mapping[str, str] | None = None,
    *,
    ops: Ops | None = None,
    checked: Checked | None = None,
) -> int:
    """Run the bot until SIGTERM; bad settings or a rejected token raise ConfigError.

    `environ=None` reads the process environment and .env (operations/settings/). `ops` (the
    question log, reloads, admins: operations/ops.py) takes the votes and `/reload`.
    """
    checked = checked if checked is not None else read(environ)  # read once: the caller's
    settings = from_checked(
        checked,
        shard_count=getattr(args, "shard_count", None),
        shard_ids=getattr(args, "shard_ids", None),
    )
    checked.raise_for("Settings", COMMON)
    runtime = prepare(bot, checked.settings)
    limiter = rate_limiter(checked.settings, runtime.state.link)  # one for every shard
    extra = ops.adapter_options(runtime.observer.fact_base) if ops is not None else {}

    def service() -> DiscordService:
        client = build_client(runtime.bot, settings, limiter=limiter, **extra)
        return DiscordService(client, settings.token)

    return run_service(runtime, service)
