"""summit-bot in Slack: mentions, DMs and `/summit` (setup: docs/slack.md).

    summit-bot slack                      # Socket Mode: SLACK_BOT_TOKEN, SLACK_APP_TOKEN
    summit-bot slack --http --port 3000   # Events API on /slack/events: + SLACK_SIGNING_SECRET

`build_app(bot, settings)` builds the Bolt app without running anything, so tests (and other
servers) can drive it; `run` is what the command line calls.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping

from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp

from adapters.slack.app import COMMAND, EVENTS_PATH, build_app
from adapters.slack.send import web_client
from adapters.slack.service import HttpService, SocketModeService
from adapters.slack.settings import SlackSettings, from_checked, from_env
from operations.live import Bot
from operations.ops import Ops
from operations.ratelimit import rate_limiter
from operations.service import prepare, run_service
from operations.settings import COMMON, Checked, read

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


def run(
    bot: Bot,
    args: argparse.Namespace,
    environ: Mapping[str, str] | None = None,
    *,
    ops: Ops | None = None,
    checked: Checked | None = None,
) -> int:
    """Check the settings (ConfigError names every problem), then serve until SIGTERM.

    `environ=None` reads the process environment and .env (operations/settings/). `ops` (the
    question log, reloads, admins: operations/ops.py) takes the votes and `/summit reload`.
    """
    checked = checked if checked is not None else read(environ)  # read once: the caller's
    settings = from_checked(checked, http=bool(args.http))
    checked.raise_for("Settings", COMMON)
    runtime = prepare(bot, checked.settings)
    extra = ops.adapter_options(runtime.observer.fact_base) if ops is not None else {}
    limiter = rate_limiter(checked.settings, runtime.state.link)  # shared with replicas
    app = build_app(
        runtime.bot,
        settings,
        seen=runtime.state.seen,
        limiter=limiter,
        **extra,
    )
    if not settings.http:
        return run_service(runtime, lambda: SocketModeService(socket_mode_handler(app, settings)))
    port = int(args.port)
    shared = port == checked.settings.health_port  # then one server serves events and health
    secret = settings.signing_secret
    return run_service(
        runtime, lambda: HttpService(app, signing_secret=secret, port=port, share_health=shared)
    )


def socket_mode_handler(app: AsyncApp, settings: SlackSettings) -> AsyncSocketModeHandler:
    """The Socket Mode connection for `app`, opened with the app-level token (not yet open)."""
    return AsyncSocketModeHandler(app, app_token=settings.app_token)
