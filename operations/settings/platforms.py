"""The Slack and Discord variables (docs/slack.md, docs/discord.md) and their formats.

Which of them are *required* depends on what runs; each adapter checks that in its own settings
module (adapters/slack/settings.py, adapters/discord/settings.py).
"""

from __future__ import annotations

import re
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode

SLACK_CHANNEL = re.compile(r"^[CGD][A-Z0-9]{2,}$")


class PlatformSettings(BaseSettings):
    """The variables of one platform each (`slack_*`, `discord_*`)."""

    # -- Slack (docs/slack.md) ---------------------------------------------------------------
    slack_bot_token: SecretStr | None = Field(
        None, description="Slack: the Bot User OAuth Token, xoxb-… (always required)."
    )
    slack_app_token: SecretStr | None = Field(
        None,
        description="Slack: the app-level token with connections:write, xapp-… (Socket Mode, "
        "the default).",
    )
    slack_signing_secret: SecretStr | None = Field(
        None,
        description="Slack: Basic Information > Signing Secret (HTTP mode: `slack --http`).",
    )
    slack_api_url: str | None = Field(
        None,
        description="Slack: another Web API base URL, e.g. https://slack-gov.com/api/ "
        "(tests point it at a local fake).",
    )
    slack_auto_channels: Annotated[frozenset[str], NoDecode] = Field(
        frozenset(),
        description="Slack: comma-separated channel ids (C0123ABCD,…) where a message ending "
        "in ? is answered without a mention. Empty: off.",
    )
    # -- Discord (docs/discord.md) -----------------------------------------------------------
    discord_token: SecretStr | None = Field(
        None, description="Discord: the bot token from the developer portal (required)."
    )
    discord_guild_id: int | None = Field(
        None,
        description="Discord: a server id; slash commands sync to that server at start "
        "(instant, for testing) instead of globally.",
    )
    discord_prefix: str | None = Field(
        None,
        description="Discord: turns on the prefix command, e.g. ! for `!ask …` (needs the "
        "privileged Message Content intent). Unset: off.",
    )
    discord_api_base_url: str | None = Field(
        None,
        description="Discord: send REST calls through another base URL, e.g. a rate-limit "
        "proxy http://proxy:8080 (/api/v10 is added when missing).",
    )
    discord_shard_count: str | None = Field(
        None,
        description="Discord: the total number of shards, or `auto` (Discord picks). "
        "`--shard-count` wins. Unset: one connection, no sharding.",
    )
    discord_shard_ids: str | None = Field(
        None,
        description="Discord: the shards this process runs, e.g. 0,1 (needs a shard count). "
        "`--shard-ids` wins. Unset: all of them.",
    )

    # -- validation: each message says what is expected, never repeats a secret --------------

    @field_validator("slack_bot_token")
    @classmethod
    def _slack_bot_token(cls, value: SecretStr | None) -> SecretStr | None:
        return _prefixed(value, "xoxb-", "the bot token")

    @field_validator("slack_app_token")
    @classmethod
    def _slack_app_token(cls, value: SecretStr | None) -> SecretStr | None:
        return _prefixed(value, "xapp-", "an app-level token")

    @field_validator("discord_token")
    @classmethod
    def _discord_token(cls, value: SecretStr | None) -> SecretStr | None:
        token = value.get_secret_value() if value is not None else ""
        if any(c.isspace() for c in token) or token.lower().startswith("bot "):
            raise ValueError("paste the token alone, without 'Bot '")
        return value

    @field_validator("slack_api_url")
    @classmethod
    def _slack_api_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not _is_http_url(value):
            raise ValueError(f"expected a URL like https://slack.com/api/, got {value!r}")
        return value.rstrip("/") + "/"

    @field_validator("discord_api_base_url")
    @classmethod
    def _discord_api_base_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.rstrip("/")
        if not _is_http_url(value):
            raise ValueError(f"expected an http(s) URL, got {value!r}")
        return value if "/api/v" in urlsplit(value).path else value + "/api/v10"

    @field_validator("slack_auto_channels", mode="before")
    @classmethod
    def _channels(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        channels = [c.strip() for c in value.split(",") if c.strip()]
        wrong = [c for c in channels if not SLACK_CHANNEL.match(c)]
        if wrong:
            shown = ", ".join(repr(c[:20]) for c in wrong)
            raise ValueError(f"expected comma-separated channel ids like C0123ABCD, not {shown}")
        return frozenset(channels)

    @field_validator("discord_guild_id", mode="before")
    @classmethod
    def _snowflake(cls, value: Any) -> Any:
        if isinstance(value, str) and (not value.isdigit() or int(value) == 0):
            raise ValueError(f"expected a server id (a number: Copy Server ID), got {value!r}")
        return value

    @field_validator("discord_prefix")
    @classmethod
    def _prefix(cls, value: str | None) -> str | None:
        if value is not None and len(value) > 5:
            raise ValueError(f"at most 5 characters, e.g. '!', got {value!r}")
        return value


def _prefixed(value: SecretStr | None, prefix: str, what: str) -> SecretStr | None:
    if value is not None and not value.get_secret_value().startswith(prefix):
        raise ValueError(f"expected {what}, starting with {prefix}")
    return value


def _is_http_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)
