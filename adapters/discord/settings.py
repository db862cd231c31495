"""The Discord adapter's settings: its view of the one settings model (operations/settings/).

    settings = from_env(os.environ, shard_count=args.shard_count, shard_ids=args.shard_ids)

Every missing or malformed variable is named in one `ConfigError`, so one run shows them all.
The token never appears in a repr, a log line or an error message.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.errors import ConfigError
from operations.settings import Checked, problem_list, read, variables

API_PATH = "/api/v10"


@dataclass(frozen=True, slots=True)
class DiscordSettings:
    """What the Discord bot needs to run. `shard_count=None` with `auto_shard` lets Discord pick."""

    token: str = field(repr=False)
    guild_id: int | None = None
    api_base_url: str | None = None
    prefix: str | None = None
    shard_count: int | None = None
    shard_ids: tuple[int, ...] | None = None
    auto_shard: bool = False

    @property
    def sharded(self) -> bool:
        """True when the bot runs as discord.py's AutoShardedClient rather than a plain Client."""
        return self.auto_shard or self.shard_count is not None


def from_env(
    environ: Mapping[str, str] | None,
    *,
    shard_count: int | str | None = None,
    shard_ids: str | None = None,
) -> DiscordSettings:
    """Validate DISCORD_* variables and shard options; one ConfigError names every fault.

    `environ=None` reads the process environment and the env file (operations.settings.read).
    `shard_count` may be "auto" for discord.py's automatic sharding (it asks Discord how many);
    the command line's shard options win over DISCORD_SHARD_COUNT and DISCORD_SHARD_IDS.
    """
    return from_checked(read(environ), shard_count=shard_count, shard_ids=shard_ids)


def from_checked(
    checked: Checked, *, shard_count: int | str | None = None, shard_ids: str | None = None
) -> DiscordSettings:
    """The Discord view of the one settings model (operations/settings/)."""
    s = checked.settings
    problems = [v for k, v in checked.problems.items() if k in _VARIABLES]
    if s.discord_token is None and "DISCORD_TOKEN" not in checked.problems:
        problems.insert(0, "DISCORD_TOKEN is missing: the bot token from the developer portal")
    names = ("--shard-count", "--shard-ids")
    if shard_count is None and shard_ids is None:
        shard_count, shard_ids = s.discord_shard_count, s.discord_shard_ids
        names = ("DISCORD_SHARD_COUNT", "DISCORD_SHARD_IDS")
    count, ids, auto = _shards(shard_count, shard_ids, problems, names)
    if problems:
        raise ConfigError(problem_list("Discord settings", problems))
    token = s.discord_token.get_secret_value() if s.discord_token is not None else ""
    return DiscordSettings(
        token,
        s.discord_guild_id,
        s.discord_api_base_url,
        s.discord_prefix,
        count,
        ids,
        auto,
    )


_VARIABLES = variables("discord_")


def _shards(
    count: int | str | None, ids: str | None, problems: list[str], names: tuple[str, str]
) -> tuple[int | None, tuple[int, ...] | None, bool]:
    count_name, ids_name = names
    if isinstance(count, str) and count.strip().lower() == "auto":
        if ids:
            problems.append(f"{ids_name} needs a number for {count_name}, not 'auto'")
        return None, None, True
    number: int | None = None
    if count is not None:
        try:
            number = int(count)
        except ValueError:
            number = 0
        if number < 1:
            problems.append(f"{count_name} must be a whole number >= 1 or 'auto', got {count!r}")
            return None, None, False
    if not ids:
        return number, None, False
    try:
        parsed = tuple(int(part) for part in ids.split(","))
    except ValueError:
        problems.append(f"{ids_name} must be comma-separated numbers like 0,1, got {ids!r}")
        return number, None, False
    if number is None:
        problems.append(f"{ids_name} needs {count_name} (the total number of shards)")
    elif any(not 0 <= i < number for i in parsed) or len(set(parsed)) != len(parsed):
        problems.append(
            f"{ids_name} must be distinct numbers from 0 to {number - 1}, got {ids!r}"
        )
    return number, parsed, False
