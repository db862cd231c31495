"""Settings come from the environment and fail at start naming every fault at once."""

from __future__ import annotations

import argparse

import pytest

from adapters.discord import run
from adapters.discord.settings import DiscordSettings, from_env
from bot import ConfigError, Engine

TOKEN = "MTAw.secret-token.value"


def test_only_the_token_is_required() -> None:
    settings = from_env({"DISCORD_TOKEN": TOKEN})
    assert settings == DiscordSettings(TOKEN)
    assert settings.guild_id is None and settings.prefix is None
    assert not settings.sharded


def test_every_variable_is_read() -> None:
    settings = from_env(
        {
            "DISCORD_TOKEN": f"  {TOKEN}\n",
            "DISCORD_GUILD_ID": "123456789012345678",
            "DISCORD_API_BASE_URL": "http://proxy.internal:8080/",
            "DISCORD_PREFIX": "!",
        }
    )
    assert settings.token == TOKEN
    assert settings.guild_id == 123456789012345678
    assert settings.api_base_url == "http://proxy.internal:8080/api/v10"
    assert settings.prefix == "!"


def test_a_base_url_with_its_api_path_is_kept() -> None:
    settings = from_env({"DISCORD_TOKEN": TOKEN, "DISCORD_API_BASE_URL": "https://p/api/v10"})
    assert settings.api_base_url == "https://p/api/v10"


def test_names_every_missing_or_malformed_variable_at_once() -> None:
    env = {
        "DISCORD_GUILD_ID": "my-server",
        "DISCORD_API_BASE_URL": "proxy:8080",
        "DISCORD_PREFIX": "please-ask",
    }
    with pytest.raises(ConfigError) as error:
        from_env(env, shard_count=2, shard_ids="0,5")
    message = str(error.value)
    for name in (
        "DISCORD_TOKEN", "DISCORD_GUILD_ID", "DISCORD_API_BASE_URL",
        "DISCORD_PREFIX", "--shard-ids",
    ):
        assert name in message
    assert message.count("\n  - ") == 5


@pytest.mark.parametrize("token", ["Bot abc.def", "abc def"])
def test_a_malformed_token_is_refused_without_repeating_it(token: str) -> None:
    with pytest.raises(ConfigError, match="DISCORD_TOKEN is malformed") as error:
        from_env({"DISCORD_TOKEN": token})
    assert "abc" not in str(error.value)


def test_the_token_never_shows_in_a_repr() -> None:
    assert TOKEN not in repr(from_env({"DISCORD_TOKEN": TOKEN}))


@pytest.mark.parametrize(
    ("count", "ids", "expected"),
    [
        (None, None, (None, None, False)),
        (4, None, (4, None, False)),
        (4, "1,3", (4, (1, 3), False)),
        ("auto", None, (None, None, True)),
    ],
)
def test_shard_options(
    count: int | str | None, ids: str | None, expected: tuple[object, ...]
) -> None:
    settings = from_env({"DISCORD_TOKEN": TOKEN}, shard_count=count, shard_ids=ids)
    assert (settings.shard_count, settings.shard_ids, settings.auto_shard) == expected
    assert settings.sharded is (count is not None)


@pytest.mark.parametrize(
    ("count", "ids"), [(0, None), ("many", None), (None, "0"), (2, "0,2"), (2, "0,0"), (2, "a")]
)
def test_bad_shard_options(count: int | str | None, ids: str | None) -> None:
    with pytest.raises(ConfigError, match="--shard"):
        from_env({"DISCORD_TOKEN": TOKEN}, shard_count=count, shard_ids=ids)


def test_run_fails_before_connecting_when_the_token_is_missing(engine: Engine) -> None:
    args = argparse.Namespace(shard_count=None, shard_ids=None)
    with pytest.raises(ConfigError, match="DISCORD_TOKEN is missing"):
        run(engine, args, {})
