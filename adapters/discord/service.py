"""The Discord client as a long-running service, with a clean stop.

    service = DiscordService(client, settings.token)   # run, connected, stop, close

On SIGTERM the gateway stays open while the events in flight finish: a shard's events go to
its one connection only, so closing it first would lose them rather than send them elsewhere.
Then `client.close()` closes the gateway and the REST session.
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
        except discord.LoginFailure:
            raise ConfigError(
                "DISCORD_TOKEN was rejected by Discord: copy it again (developer portal > Bot)"
            ) from None
        except discord.PrivilegedIntentsRequired:
            raise ConfigError(
                "DISCORD_PREFIX needs the Message Content intent: turn it on in the developer "
                "portal (Bot > Privileged Gateway Intents), or unset DISCORD_PREFIX"
            ) from None

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
