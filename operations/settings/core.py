"""The settings every process shares: logs, health, rate limits, shared state, question log.

Part of `operations.settings.Settings` (see operations/settings/__init__.py).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode

_REDIS_SCHEMES = ("redis", "rediss", "unix")


class CoreSettings(BaseSettings):
    """The variables of every adapter alike."""

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
        "DISCORD_COOLDOWN_SECONDS, which stops the start if still set.",
    )
    max_pending_questions: int = Field(
        300,
        ge=1,
        description="Questions taken and not yet answered, at most: one more is told at once "
        "that the bot is busy, rather than queued behind them (300 wait 5-10 s with the default "
        "model, 30-60 s with the large one; see summit_questions_pending).",
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

    # -- validation: each message says what is expected, never repeats a secret --------------

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
