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

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args

from dotenv import dotenv_values
from pydantic import SecretStr, ValidationError, model_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from bot.errors import ConfigError
from operations.settings.core import CoreSettings
from operations.settings.platforms import PlatformSettings
from operations.urls import url_secrets

ENV_FILE_VARIABLE = "SUMMIT_ENV_FILE"
DEFAULT_ENV_FILE = ".env"
RETIRED = {"DISCORD_COOLDOWN_SECONDS": "RATE_LIMIT_SECONDS"}
"""Variables an earlier version read -> the one that replaced them. One still set is named as
a problem of its replacement: left alone, it would be ignored without a word."""


class Settings(PlatformSettings, CoreSettings):
    """summit-bot's settings. `Field(description=...)` is the documentation of each variable:
    the common ones (settings/core.py) first, then Slack's and Discord's (settings/platforms.py)."""

    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Only the values given: `read` gathers the environment and the env file, once."""
        return (init_settings,)

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
    """Read and check every variable: from `environ` alone if given, else the environment over
    the env file (`env_file`, else $SUMMIT_ENV_FILE, else ./.env; a missing file is fine),
    each read once."""
    if environ is None:
        path = env_file or os.environ.get(ENV_FILE_VARIABLE) or DEFAULT_ENV_FILE
        environ = {**_file_values(Path(path)), **os.environ}
    given: dict[str, Any] = {
        k.lower(): v for k, v in environ.items() if k.lower() in Settings.model_fields
    }
    retired = _retired(environ)
    try:
        return Checked(Settings(**given), retired)
    except ValidationError as exc:
        problems = _problems(exc)
    faulty = {name.lower() for name in problems}
    defaults = {name: Settings.model_fields[name].default for name in faulty}
    return Checked(Settings(**{**given, **defaults}), {**retired, **problems})


def _file_values(path: Path) -> dict[str, str]:
    """The file's variables, read once: a pipe works too (`SUMMIT_ENV_FILE=<(sops -d .env)`)."""
    if not path.exists() or path.is_dir():
        return {}
    return {k: v for k, v in dotenv_values(path).items() if v is not None}


def _retired(seen: Mapping[str, str]) -> dict[str, str]:
    """A problem for each retired variable still set, under the name of its replacement."""
    return {
        new: f"{old} is no longer read: set {new} instead"
        for old, new in RETIRED.items()
        if seen.get(old, "").strip()
    }


def load(
    environ: Mapping[str, str] | None = None, *, env_file: str | Path | None = None
) -> Settings:
    """`read`, raising one ConfigError that names every faulty variable."""
    checked = read(environ, env_file=env_file)
    checked.raise_for("Settings")
    return checked.settings


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
