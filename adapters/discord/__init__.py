"""The Discord adapter: slash commands with autocomplete, mentions, DMs and answer embeds.

    summit-bot discord                                   # needs DISCORD_TOKEN: docs/discord.md
    client = build_client(engine, from_env(os.environ))  # what tests drive against a fake

Inside this package `import discord` is discord.py (absolute imports), never this package.
"""

from __future__ import annotations

import argparse
import logging
from collections.abc import Mapping

import discord

from adapters.discord.client import ShardedSummitClient, SummitClient, build_client
from adapters.discord.settings import DiscordSettings, from_env
from bot.engine import Engine
from bot.errors import ConfigError

__all__ = [
    "DiscordSettings",
    "ShardedSummitClient",
    "SummitClient",
    "build_client",
    "from_env",
    "run",
]


def run(engine: Engine, args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    """Run the bot until interrupted; bad settings or a rejected token raise ConfigError."""
    settings = from_env(
        environ,
        shard_count=getattr(args, "shard_count", None),
        shard_ids=getattr(args, "shard_ids", None),
    )
    client = build_client(engine, settings)
    discord.utils.setup_logging(level=logging.INFO, root=True)
    for handler in logging.getLogger().handlers:
        handler.addFilter(RedactToken(settings.token))
    try:
        client.run(settings.token, log_handler=None)
    except discord.LoginFailure:
        raise ConfigError(
            "DISCORD_TOKEN was rejected by Discord: copy it again (developer portal > Bot)"
        ) from None
    except discord.PrivilegedIntentsRequired:
        raise ConfigError(
            "DISCORD_PREFIX needs the Message Content intent: turn it on in the developer "
            "portal (Bot > Privileged Gateway Intents), or unset DISCORD_PREFIX"
        ) from None
    return 0


class RedactToken(logging.Filter):
    """Belt and braces: whatever logs a record, the token is replaced before it is written."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self._token = token

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        if self._token and self._token in text:
            record.msg, record.args = text.replace(self._token, "[token]"), None
        return True
