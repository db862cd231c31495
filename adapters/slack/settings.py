"""The Slack adapter's settings, read from the environment once at start-up.

    settings = from_env(os.environ, http=False)   # raises ConfigError naming every problem

Socket Mode (the default) needs SLACK_BOT_TOKEN and SLACK_APP_TOKEN; `--http` needs
SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET. Optional: SLACK_API_URL (another Web API base URL,
e.g. Slack's government cloud or a local fake in tests) and SLACK_AUTO_CHANNELS (channel ids
where a message ending in "?" is answered without a mention).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from bot.errors import ConfigError

_CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]{2,}$")


@dataclass(frozen=True, slots=True)
class SlackSettings:
    """Validated settings. Secrets are left out of `repr` so they never reach a log."""

    bot_token: str = field(repr=False)
    app_token: str = field(default="", repr=False)
    signing_secret: str = field(default="", repr=False)
    api_url: str | None = None
    auto_channels: frozenset[str] = frozenset()
    http: bool = False


def from_env(environ: Mapping[str, str], *, http: bool) -> SlackSettings:
    """Read and check every variable, then fail once with all the problems, or return settings."""

    def get(name: str) -> str:
        return environ.get(name, "").strip()

    missing: list[str] = []
    malformed: list[str] = []

    def token(name: str, prefix: str, what: str) -> str:
        value = get(name)
        if not value:
            missing.append(f"{name} ({what}, {prefix}…)")
        elif not value.startswith(prefix):
            malformed.append(f"{name} (expected {what}, starting with {prefix})")
        return value

    bot_token = token("SLACK_BOT_TOKEN", "xoxb-", "the bot token")
    app_token = "" if http else token("SLACK_APP_TOKEN", "xapp-", "an app-level token")
    signing_secret = get("SLACK_SIGNING_SECRET") if http else ""
    if http and not signing_secret:
        missing.append("SLACK_SIGNING_SECRET (needed with --http)")

    api_url = get("SLACK_API_URL") or None
    if api_url is not None:
        parts = urlsplit(api_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            malformed.append("SLACK_API_URL (expected a URL like https://slack.com/api/)")
        api_url = api_url.rstrip("/") + "/"

    channels = [c.strip() for c in get("SLACK_AUTO_CHANNELS").split(",") if c.strip()]
    wrong = [c for c in channels if not _CHANNEL_ID.match(c)]
    if wrong:
        malformed.append(
            f"SLACK_AUTO_CHANNELS (expected comma-separated channel ids like C0123ABCD, "
            f"not {', '.join(repr(c[:20]) for c in wrong)})"
        )

    problems = []
    if missing:
        problems.append("missing " + ", ".join(missing))
    if malformed:
        problems.append("malformed " + ", ".join(malformed))
    if problems:
        mode = "HTTP mode" if http else "Socket Mode"
        raise ConfigError(f"Slack settings ({mode}): " + "; ".join(problems))
    return SlackSettings(
        bot_token=bot_token,
        app_token=app_token,
        signing_secret=signing_secret,
        api_url=api_url,
        auto_channels=frozenset(channels),
        http=http,
    )
