"""summit-bot in Slack: mentions, DMs and `/summit` (setup: docs/slack.md).

    summit-bot slack                      # Socket Mode: SLACK_BOT_TOKEN, SLACK_APP_TOKEN
    summit-bot slack --http --port 3000   # Events API on /slack/events: + SLACK_SIGNING_SECRET

`build_app(engine, settings)` builds the Bolt app without running anything, so tests (and other
servers) can drive it; `run` is what the command line calls.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
from collections.abc import Mapping

from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp

from adapters.slack.app import COMMAND, EVENTS_PATH, build_app
from adapters.slack.send import web_client
from adapters.slack.settings import SlackSettings, from_env
from bot import Engine

__all__ = [
    "COMMAND",
    "EVENTS_PATH",
    "SlackSettings",
    "build_app",
    "from_env",
    "run",
    "socket_mode_handler",
    "web_client",
]


def run(engine: Engine, args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    """Check the settings (ConfigError names every problem), then serve until interrupted."""
    settings = from_env(environ, http=bool(args.http))
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    app = build_app(engine, settings)
    if settings.http:
        app.start(port=int(args.port), path=EVENTS_PATH)  # Bolt's aiohttp server, blocks
    else:
        asyncio.run(_socket_mode(app, settings))
    return 0


def socket_mode_handler(app: AsyncApp, settings: SlackSettings) -> AsyncSocketModeHandler:
    """The Socket Mode connection for `app`, opened with the app-level token (not yet open)."""
    return AsyncSocketModeHandler(app, app_token=settings.app_token)


async def _socket_mode(app: AsyncApp, settings: SlackSettings) -> None:
    handler = socket_mode_handler(app, settings)
    try:
        await handler.start_async()  # type: ignore[no-untyped-call]  # connects, runs forever
    finally:
        await handler.close_async()  # type: ignore[no-untyped-call]
