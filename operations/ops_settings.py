"""The organiser features' settings (question log, retention, reloads) as their code uses them.

    ops = from_env()            # environment and .env; ConfigError naming every faulty variable
    ops = from_settings(settings)                # from the one settings model (operations/settings)

The variables (documented in operations/settings/, where each is a field) are all optional:
DATA_DIR (./data), DATABASE_URL (postgresql://… shares one log between replicas),
LOG_RETENTION_DAYS (90; 0 keeps all), LOG_RAW_USER_IDS (false: salted hashes),
LOG_USER_SALT (default: a random salt kept in the log), LOG_QUEUE_SIZE (10000),
LOG_SPOOL_SIZE (100000: questions kept locally while PostgreSQL is down),
ADMIN_USER_IDS (who may reload from chat) and KB_WATCH_SECONDS (2; 0: no watching).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from operations.settings import Checked, Settings, read, variable
from operations.urls import without_credentials

SQLITE_FILE = "questions.sqlite3"
VARIABLES = tuple(
    variable(f)
    for f in (
        "data_dir", "database_url", "log_retention_days", "log_raw_user_ids", "log_user_salt",
        "log_queue_size", "log_spool_size", "admin_user_ids", "kb_watch_seconds",
    )
)


@dataclass(frozen=True, slots=True)
class OpsSettings:
    """Validated settings. The database URL and salt stay out of `repr` (passwords, secrets)."""

    data_dir: Path = Path("data")
    database_url: str | None = field(default=None, repr=False)
    log_retention_days: int = 90
    log_raw_user_ids: bool = False
    log_user_salt: str = field(default="", repr=False)
    log_queue_size: int = 10_000
    log_spool_size: int = 100_000
    admin_user_ids: frozenset[str] = frozenset()
    kb_watch_seconds: float = 2.0

    @property
    def log_target(self) -> str:
        """Where the log goes, safe to print: the database without its password, or the file."""
        if self.database_url is None:
            return str(self.sqlite_path)
        if self.database_url.startswith("sqlite:"):
            return str(self.sqlite_path)
        return without_credentials(self.database_url)

    @property
    def sqlite_path(self) -> Path:
        if self.database_url and self.database_url.startswith("sqlite:"):
            path = self.database_url.removeprefix("sqlite://").removeprefix("/")
            return Path(path or SQLITE_FILE)
        return self.data_dir / SQLITE_FILE


def from_settings(settings: Settings) -> OpsSettings:
    url, salt = settings.database_url, settings.log_user_salt
    return OpsSettings(
        data_dir=settings.data_dir,
        database_url=url.get_secret_value() if url is not None else None,
        log_retention_days=settings.log_retention_days,
        log_raw_user_ids=settings.log_raw_user_ids,
        log_user_salt=salt.get_secret_value() if salt is not None else "",
        log_queue_size=settings.log_queue_size,
        log_spool_size=settings.log_spool_size,
        admin_user_ids=settings.admin_user_ids,
        kb_watch_seconds=settings.kb_watch_seconds,
    )


def from_env(
    environ: Mapping[str, str] | None = None, *, checked: Checked | None = None
) -> OpsSettings:
    """Read the settings (`environ` only if given, else the environment and .env), or take
    them as already read (`checked`); one ConfigError names every faulty variable of these
    (other adapters check their own)."""
    checked = checked if checked is not None else read(environ)
    checked.raise_for("Question log and reload settings", VARIABLES)
    return from_settings(checked.settings)
