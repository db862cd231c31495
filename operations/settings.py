"""Every setting of every adapter, in one model: environment variables and an optional `.env`.

    checked = read()                       # os.environ, then ./.env (or $SUMMIT_ENV_FILE)
    checked = read({"DISCORD_TOKEN": "…"}) # an explicit mapping only (tests)
    settings = load()                      # raises ConfigError naming every faulty variable

Each field is a variable of the same name in upper case (`slack_bot_token` is
`SLACK_BOT_TOKEN`); its default and meaning are written here and nowhere else: `.env.example`
is generated from this model (`summit-bot config --example`, checked by a test) and
`summit-bot config` prints the effective values with secrets masked. Values are stripped and an
empty value counts as unset, so `SLACK_APP_TOKEN=` in `.env` is the same as leaving it out.

Which variables are *required* depends on what runs (Socket Mode or HTTP, Slack or Discord):
each adapter checks that in its own settings module, on top of the formats checked here.
"""

from __future__ import annotations

import math
import os
import re
import textwrap
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal, get_args
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, PydanticBaseSettingsSource, SettingsConfigDict

from bot.errors import ConfigError
from operations.urls import masked, url_secrets

ENV_FILE_VARIABLE = "SUMMIT_ENV_FILE"
DEFAULT_ENV_FILE = ".env"
SLACK_CHANNEL = re.compile(r"^[CGD][A-Z0-9]{2,}$")
_REDIS_SCHEMES = ("redis", "rediss", "unix")


class Settings(BaseSettings):
    """summit-bot's settings. `Field(description=...)` is the documentation of each variable."""

    model_config = SettingsConfigDict(
        env_file=DEFAULT_ENV_FILE, env_file_encoding="utf-8", extra="ignore", frozen=True
    )

    # -- general -----------------------------------------------------------------------------
    summit_kb: str | None = Field(
        None,
        description="The fact base file (YAML). Unset: the summit fact base shipped with the "
        "app. `--kb` on the command line wins. The container's default is "
        "/app/knowledge/summit.yaml, in the ./knowledge folder compose mounts read-only.",
        examples=["/app/knowledge/summit.yaml"],
    )
    log_format: Literal["text", "json"] = Field(
        "text",
        description="`text`: readable lines. `json`: one JSON object a line (for log "
        "collectors), with platform, conversation and outcome as fields.",
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        "INFO", description="The least important log level written. DEBUG adds question text."
    )
    log_questions: bool = Field(
        False,
        description="`true` writes each question's text in the INFO answer log too. Off by "
        "default: questions are people's words; without this they appear only at DEBUG.",
    )
    health_host: str = Field(
        "127.0.0.1",
        description="Address of the health and metrics server (`/healthz`, `/metrics`). The "
        "container's default is 0.0.0.0, so that Prometheus can reach it on its network.",
    )
    health_port: int = Field(
        8080,
        ge=0,
        le=65535,
        description="Port of `/healthz` and `/metrics` (0: any free port, logged at start). "
        "With `slack --http`, the same port as `--port` shares the events server.",
    )
    rate_limit_burst: int = Field(
        5,
        ge=1,
        description="How many questions one person may ask in a quick burst, in Slack and "
        "Discord alike; then one more every RATE_LIMIT_SECONDS.",
    )
    rate_limit_seconds: float = Field(
        3.0,
        description="Seconds for one more question once a person's burst is used up (a token "
        "bucket, shared through Redis when REDIS_URL is set). 0: no limit. Replaces "
        "DISCORD_COOLDOWN_SECONDS.",
    )
    shutdown_timeout: float = Field(
        8.0,
        ge=0,
        description="Seconds to finish answers in flight after SIGTERM before closing "
        "anyway (Docker waits 10 s before it kills).",
    )
    # -- shared state ------------------------------------------------------------------------
    redis_url: SecretStr | None = Field(
        None,
        description="Shared state for several replicas: conversation context, retry dedupe, "
        "rate limits (e.g. redis://redis:6379/0). Unset: kept in each process's memory. If "
        "Redis is unreachable the bot keeps answering from local state, and says so.",
        examples=["redis://redis:6379/0"],
    )
    redis_prefix: str = Field(
        "summit-bot",
        pattern=r"^[\w.:-]{1,64}$",
        description="Prefix of every Redis key, so several bots (or events) can share one Redis.",
    )
    # -- question log and reloads, for organisers (issue 7; operations/ops_settings.py) ---------
    data_dir: Path = Field(
        Path("data"),
        description="Folder of the question log (SQLite, questions.sqlite3) when DATABASE_URL "
        "is unset.",
    )
    database_url: SecretStr | None = Field(
        None,
        description="The question log in PostgreSQL, shared by every replica: "
        "postgresql://user:password@host:5432/database (or sqlite:///path/to/file). Unset: "
        "SQLite in DATA_DIR.",
        examples=["postgresql://summit:secret@db:5432/summit"],
    )
    log_retention_days: int = Field(
        90,
        ge=0,
        description="Logged questions older than this many days are deleted (at start, then "
        "daily; `summit-bot log purge` does it on demand). 0: keep them all.",
    )
    log_raw_user_ids: bool = Field(
        False,
        description="`true` logs platform user ids as they are. By default the log keeps a "
        "salted hash: the same for one person, not reversible to the id.",
    )
    log_user_salt: SecretStr | None = Field(
        None,
        description="The salt of those hashes. Unset: a random salt kept in the log itself, "
        "so every replica sharing the log hashes alike.",
    )
    log_queue_size: int = Field(
        10_000,
        ge=1,
        description="Questions waiting to be written to the log; when the database falls this "
        "far behind, new ones are dropped and counted (never waited for).",
    )
    log_spool_size: int = Field(
        100_000,
        ge=1,
        description="Questions kept in DATA_DIR/question-spool.sqlite3 while the PostgreSQL "
        "log is unreachable, sent in order once it is back; past this many, new ones are "
        "dropped and counted.",
    )
    admin_user_ids: Annotated[frozenset[str], NoDecode] = Field(
        frozenset(),
        description="Comma-separated Slack and Discord user ids allowed to reload the fact base "
        "from chat (`/summit reload`, Discord `/reload`). Empty: nobody.",
    )
    kb_watch_seconds: float = Field(
        2.0,
        ge=0,
        description="How often the fact base file is checked for changes, and reloaded when it "
        "changed. 0: off (reload by command only).",
    )
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

    @model_validator(mode="before")
    @classmethod
    def _strip(cls, data: Any) -> Any:
        """Strip every string; an empty one is unset (the default applies)."""
        if not isinstance(data, Mapping):
            return data
        cleaned = {}
        for key, value in data.items():
            if isinstance(value, str):
                value = value.strip()
                if not value:
                    continue
            cleaned[key] = value
        return cleaned

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

    @field_validator("rate_limit_seconds", mode="before")
    @classmethod
    def _seconds(cls, value: Any) -> Any:
        try:
            seconds = float(value)
        except (TypeError, ValueError):
            seconds = math.nan
        if not math.isfinite(seconds) or seconds < 0:
            raise ValueError(f"expected a number of seconds >= 0, got {value!r}")
        return seconds

    @field_validator("redis_url")
    @classmethod
    def _redis_url(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and urlsplit(value.get_secret_value()).scheme not in _REDIS_SCHEMES:
            raise ValueError("expected a URL like redis://redis:6379/0 (or rediss://, unix://)")
        return value

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None:
            return None
        parts = urlsplit(value.get_secret_value())
        if parts.scheme in ("postgresql", "postgres") or (
            parts.scheme == "sqlite" and parts.path.strip("/")
        ):
            return value
        raise ValueError(
            "expected postgresql://user:password@host:5432/database (or sqlite:///path/to/file)"
        )

    @field_validator("admin_user_ids", mode="before")
    @classmethod
    def _ids(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        return frozenset(i.strip() for i in value.split(",") if i.strip())

    @field_validator("log_level", mode="before")
    @classmethod
    def _level(cls, value: Any) -> Any:
        return value.upper() if isinstance(value, str) else value

    @field_validator("log_format", mode="before")
    @classmethod
    def _format(cls, value: Any) -> Any:
        return value.lower() if isinstance(value, str) else value

    # -- what the adapters use -----------------------------------------------------------------

    def secrets(self) -> list[str]:
        """Every secret value set (tokens, URLs and their passwords), for log redaction."""
        found = [
            getattr(self, name).get_secret_value()
            for name in secret_fields()
            if getattr(self, name) is not None
        ]
        passwords = [p for value in found if "://" in value for p in url_secrets(value)]
        return [s for s in (*found, *passwords) if s]


@dataclass(frozen=True, slots=True)
class Checked:
    """Settings as read: every faulty variable is at its default and named in `problems`."""

    settings: Settings
    problems: Mapping[str, str]

    def raise_for(self, title: str, names: Iterable[str] | None = None) -> None:
        """Raise one ConfigError naming every problem (of `names` only, when given)."""
        wanted = None if names is None else set(names)
        found = [p for name, p in self.problems.items() if wanted is None or name in wanted]
        if found:
            raise ConfigError(problem_list(title, found))


def problem_list(title: str, problems: Iterable[str]) -> str:
    """The one format of every settings error: a title, then one indented line per problem."""
    return f"{title}:\n  - " + "\n  - ".join(problems)


def variable(field: str) -> str:
    """The environment variable of a field: `slack_bot_token` -> `SLACK_BOT_TOKEN`."""
    return field.upper()


def variables(prefix: str = "") -> tuple[str, ...]:
    """The variables whose field starts with `prefix` (all of them by default), in order."""
    return tuple(variable(f) for f in Settings.model_fields if f.startswith(prefix))


COMMON = tuple(
    variable(f) for f in Settings.model_fields if not f.startswith(("slack_", "discord_"))
)


def secret_fields() -> tuple[str, ...]:
    """The fields whose values are secrets: never shown, never logged."""
    return tuple(
        name
        for name, info in Settings.model_fields.items()
        if SecretStr in (info.annotation, *get_args(info.annotation))
    )


def read(
    environ: Mapping[str, str] | None = None, *, env_file: str | Path | None = None
) -> Checked:
    """Read and check every variable: from `environ` alone if given, else the environment and
    the env file (`env_file`, else $SUMMIT_ENV_FILE, else ./.env; a missing file is fine)."""
    if environ is None:
        path = env_file or os.environ.get(ENV_FILE_VARIABLE) or DEFAULT_ENV_FILE

        def build(**overrides: Any) -> Settings:
            return Settings(_env_file=path, **overrides)  # type: ignore[call-arg]
    else:
        given = {k.lower(): v for k, v in environ.items() if k.lower() in Settings.model_fields}

        def build(**overrides: Any) -> Settings:
            return _Given(**{**given, **overrides})

    try:
        return Checked(build(), {})
    except ValidationError as exc:
        problems = _problems(exc)
    faulty = {name.lower() for name in problems}
    defaults = {name: Settings.model_fields[name].default for name in faulty}
    return Checked(build(**defaults), problems)


def load(
    environ: Mapping[str, str] | None = None, *, env_file: str | Path | None = None
) -> Settings:
    """`read`, raising one ConfigError that names every faulty variable."""
    checked = read(environ, env_file=env_file)
    checked.raise_for("Settings")
    return checked.settings


class _Given(Settings):
    """Settings from init arguments only: neither the process environment nor a file."""

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings,)


def _problems(exc: ValidationError) -> dict[str, str]:
    secret = set(secret_fields())
    problems: dict[str, str] = {}
    for error in exc.errors(include_url=False):
        if not error["loc"]:
            continue
        field = str(error["loc"][0])
        if error["type"] == "value_error":
            text = str(error.get("ctx", {}).get("error", error["msg"]))
        else:
            text = str(error["msg"]).rstrip(".")
            text = text[0].lower() + text[1:]
            if field not in secret:
                text += f", got {error['input']!r}"
        problems.setdefault(variable(field), f"{variable(field)} is malformed: {text}")
    return problems


def _prefixed(value: SecretStr | None, prefix: str, what: str) -> SecretStr | None:
    if value is not None and not value.get_secret_value().startswith(prefix):
        raise ValueError(f"expected {what}, starting with {prefix}")
    return value


def _is_http_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


# -- showing settings: `summit-bot config` and `.env.example` -----------------------------------


def shown(settings: Settings) -> list[tuple[str, str]]:
    """(VARIABLE, value) for every setting, secrets masked, unset ones as an empty value."""
    rows = []
    for name in Settings.model_fields:
        value = getattr(settings, name)
        if isinstance(value, SecretStr):
            secret = value.get_secret_value()
            text = masked(secret) if "://" in secret else "********"
        elif value is None:
            text = ""
        elif isinstance(value, bool):
            text = str(value).lower()
        elif isinstance(value, frozenset):
            text = ",".join(sorted(value))
        else:
            text = str(value)
        rows.append((variable(name), text))
    return rows


_SECTIONS = {
    "slack_": "Slack (summit-bot slack; docs/slack.md)",
    "discord_": "Discord (summit-bot discord; docs/discord.md)",
    "redis_": "Shared state (several replicas; docs/deploy.md)",
}


def _section(name: str, extra: object) -> str:
    """A field's section in .env.example: `json_schema_extra={"section": ...}`, else by prefix."""
    if isinstance(extra, dict) and isinstance(extra.get("section"), str):
        return str(extra["section"])
    return next((t for p, t in _SECTIONS.items() if name.startswith(p)), "General")


def example() -> str:
    """The text of `.env.example`: every variable with its meaning; secrets left empty."""
    lines = [
        "# summit-bot settings: copy to .env and fill in the tokens of the platforms you run.",
        "# Every variable is optional unless its line says required; an empty value is unset.",
        "# A commented-out line shows the default. Generated from operations/settings.py",
        "# (summit-bot config --example); `summit-bot config` prints the effective values.",
    ]
    sections: dict[str, list[str]] = {}  # in the order each first appears
    for name, info in Settings.model_fields.items():
        lines_of = sections.setdefault(_section(name, info.json_schema_extra), [])
        lines_of.append("")
        lines_of += textwrap.wrap(
            info.description or "", width=98, initial_indent="# ", subsequent_indent="# "
        )
        default = info.default
        if name in secret_fields():
            lines_of.append(f"{variable(name)}=")
        elif default is None or default == frozenset():
            lines_of.append(f"# {variable(name)}=")
        else:
            text = str(default).lower() if isinstance(default, bool) else str(default)
            lines_of.append(f"# {variable(name)}={text}")
    for title, body in sections.items():
        lines += ["", f"# == {title} " + "=" * max(3, 92 - len(title)), *body]
    return "\n".join(lines) + "\n"
