"""The Discord client as a long-running service, with a clean stop.

    service = DiscordService(client, settings.token)   # run, connected, stop, close

On SIGTERM the gateway stays open while the events in flight finish: a shard's events go to
its one connection only, so closing it first would lose them rather than send them elsewhere.
Then `client.close()` closes the gateway and the REST session.

When Discord closes the gateway, discord.py reconnects (and resumes) by itself, except after
the close codes that say reconnecting cannot help (`FATAL_CLOSE_CODES`): then `run` logs one
line that says what to fix and returns, and the process exits 1 for its supervisor to see.
"""

from __future__ import annotations

import asyncio
import logging

import discord
from aiohttp import web

from adapters.discord.client import PLATFORM, SummitClient
from bot.errors import ConfigError

log = logging.getLogger("adapters.discord.service")

# How discord.py 2.7 names the tasks that run handlers (as of 2026): client events
# ("discord.py: on_message"), slash commands ("CommandTree-invoker"), buttons and views
# ("discord-ui-view-dispatch-…", dynamic items "discord-ui-dynamic-item-…").
_HANDLER_TASKS = ("discord.py: on_", "CommandTree-invoker", "discord-ui-")

# Gateway close codes after which discord.py stops instead of reconnecting (discord.py 2.7,
# DiscordWebSocket._can_handle_close), with what each means for whoever runs the bot.
FATAL_CLOSE_CODES = {
    4004: "authentication failed: DISCORD_TOKEN was reset or revoked; copy it again "
    "(developer portal > Bot)",
    4010: "invalid shard: check --shard-ids / DISCORD_SHARD_IDS against the shard count",
    4011: "sharding required: the bot is in too many servers for one connection; "
    "run with --shard-count auto",
    4012: "invalid API version: this discord.py is too old for Discord; upgrade summit-bot",
    4013: "invalid intents: this discord.py sent intents Discord does not know; "
    "upgrade summit-bot",
    4014: "disallowed intents: a privileged intent is not enabled for the bot",
}
_PREFIX_INTENT = (
    "DISCORD_PREFIX needs the Message Content intent: turn it on in the developer portal "
    "(Bot > Privileged Gateway Intents), or unset DISCORD_PREFIX"
)


class DiscordService:
    """One discord.py client (sharded or not) as the runtime drives it."""

    platform = PLATFORM
    health_app: web.Application | None = None

    def __init__(self, client: SummitClient, token: str) -> None:
        self.client = client
        self._token = token

    async def run(self) -> None:
        try:
            await self.client.start(self._token)
        except discord.LoginFailure:  # the REST login, before any gateway
            raise ConfigError(
                "DISCORD_TOKEN was rejected by Discord: copy it again (developer portal > Bot)"
            ) from None
        except discord.PrivilegedIntentsRequired:  # discord.py's name for close code 4014
            self._gateway_closed(4014)
        except discord.ConnectionClosed as exc:
            self._gateway_closed(exc.code)

    def _gateway_closed(self, code: int | None) -> None:
        meaning = FATAL_CLOSE_CODES.get(code or 0, "discord.py does not reconnect after it")
        if code == 4014 and self.client.settings.prefix is not None:
            meaning = f"{meaning}: {_PREFIX_INTENT}"
        log.error(
            "Discord closed the gateway with code %s, %s",
            code, meaning, extra={"platform": PLATFORM, "close_code": code},
        )

    async def connected(self) -> bool:
        return self.client.is_ready() and not self.client.is_closed()

    async def stop_intake(self) -> None:
        log.info("finishing the events in flight before closing the gateway")

    def in_flight(self) -> int:
        return sum(
            1
            for task in asyncio.all_tasks()
            if not task.done() and task.get_name().startswith(_HANDLER_TASKS)
        )

    async def close(self) -> None:
        await self.client.close()
