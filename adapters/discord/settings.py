"""The Discord adapter's settings, read once at start from the environment.

    settings = from_env(os.environ, shard_count=args.shard_count, shard_ids=args.shard_ids)

Every missing or malformed variable is named in one `ConfigError`, so one run shows them all.
The token never appears in a repr, a log line or an error message.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from bot.errors import ConfigError

API_PATH = "/api/v10"
DEFAULT_COOLDOWN = 3.0


@dataclass(frozen=True, slots=True)
class DiscordSettings:
    """What the Discord bot needs to run. `shard_count=None` with `auto_shard` lets Discord pick."""

    token: str = field(repr=False)
    guild_id: int | None = None
    api_base_url: str | None = None
    prefix: str | None = None
    cooldown_seconds: float = DEFAULT_COOLDOWN
    shard_count: int | None = None
    shard_ids: tuple[int, ...] | None = None
    auto_shard: bool = False

    @property
    def sharded(self) -> bool:
        """True when the bot runs as discord.py's AutoShardedClient rather than a plain Client."""
        return self.auto_shard or self.shard_count is not None


def from_env(
    environ: Mapping[str, str],
    *,
    shard_count: int | str | None = None,
    shard_ids: str | None = None,
) -> DiscordSettings:
    """Validate DISCORD_* variables and shard options; one ConfigError names every fault.

    `shard_count` may be "auto" for discord.py's automatic sharding (it asks Discord how many).
    """
    problems: list[str] = []
    token = environ.get("DISCORD_TOKEN", "").strip()
    if not token:
        problems.append("DISCORD_TOKEN is missing: the bot token from the developer portal")
    elif any(c.isspace() for c in token) or token.lower().startswith("bot "):
        problems.append("DISCORD_TOKEN is malformed: paste the token alone, without 'Bot '")
    guild_id = _snowflake(environ, "DISCORD_GUILD_ID", problems)
    api_base_url = _base_url(environ, problems)
    prefix = environ.get("DISCORD_PREFIX", "").strip() or None
    if prefix is not None and len(prefix) > 5:
        problems.append(f"DISCORD_PREFIX must be at most 5 characters, e.g. '!', got {prefix!r}")
    cooldown = _cooldown(environ, problems)
    count, ids, auto = _shards(shard_count, shard_ids, problems)
    if problems:
        raise ConfigError("Discord settings:\n  - " + "\n  - ".join(problems))
    return DiscordSettings(token, guild_id, api_base_url, prefix, cooldown, count, ids, auto)


def _snowflake(environ: Mapping[str, str], name: str, problems: list[str]) -> int | None:
    raw = environ.get(name, "").strip()
    if not raw:
        return None
    if not raw.isdigit() or int(raw) == 0:
        problems.append(f"{name} must be a server id (a number: Copy Server ID), got {raw!r}")
        return None
    return int(raw)


def _base_url(environ: Mapping[str, str], problems: list[str]) -> str | None:
    raw = environ.get("DISCORD_API_BASE_URL", "").strip().rstrip("/")
    if not raw:
        return None
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        problems.append(f"DISCORD_API_BASE_URL must be an http(s) URL, got {raw!r}")
        return None
    return raw if "/api/v" in parts.path else raw + API_PATH


def _cooldown(environ: Mapping[str, str], problems: list[str]) -> float:
    raw = environ.get("DISCORD_COOLDOWN_SECONDS", "").strip()
    if not raw:
        return DEFAULT_COOLDOWN
    try:
        seconds = float(raw)
    except ValueError:
        seconds = math.nan
    if not math.isfinite(seconds) or seconds < 0:
        problems.append(f"DISCORD_COOLDOWN_SECONDS must be a number of seconds >= 0, got {raw!r}")
        return DEFAULT_COOLDOWN
    return seconds


def _shards(
    count: int | str | None, ids: str | None, problems: list[str]
) -> tuple[int | None, tuple[int, ...] | None, bool]:
    if isinstance(count, str) and count.strip().lower() == "auto":
        if ids:
            problems.append("--shard-ids needs a number for --shard-count, not 'auto'")
        return None, None, True
    number: int | None = None
    if count is not None:
        try:
            number = int(count)
        except ValueError:
            number = 0
        if number < 1:
            problems.append(f"--shard-count must be a whole number >= 1 or 'auto', got {count!r}")
            return None, None, False
    if not ids:
        return number, None, False
    try:
        parsed = tuple(int(part) for part in ids.split(","))
    except ValueError:
        problems.append(f"--shard-ids must be comma-separated numbers like 0,1, got {ids!r}")
        return number, None, False
    if number is None:
        problems.append("--shard-ids needs --shard-count (the total number of shards)")
    elif any(not 0 <= i < number for i in parsed) or len(set(parsed)) != len(parsed):
        problems.append(f"--shard-ids must be distinct numbers from 0 to {number - 1}, got {ids!r}")
    return number, parsed, False
