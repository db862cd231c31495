"""The Slack adapter's settings: its view of the one settings model (operations/settings/).

    settings = from_env(os.environ, http=False)   # raises ConfigError naming every problem

Socket Mode (the default) needs SLACK_BOT_TOKEN and SLACK_APP_TOKEN; `--http` needs
SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET. Optional: SLACK_API_URL (another Web API base URL,
e.g. Slack's government cloud or a local fake in tests) and SLACK_AUTO_CHANNELS (channel ids
where a message ending in "?" is answered without a mention).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from pydantic import SecretStr

from bot.errors import ConfigError
from operations.settings import Checked, problem_list, read, variables


@dataclass(frozen=True, slots=True)
class SlackSettings:
    """Validated settings. Secrets are left out of `repr` so they never reach a log."""

    bot_token: str = field(repr=False)
    app_token: str = field(default="", repr=False)
    signing_secret: str = field(default="", repr=False)
    api_url: str | None = None
    auto_channels: frozenset[str] = frozenset()
    http: bool = False


def from_env(environ: Mapping[str, str] | None, *, http: bool) -> SlackSettings:
    """Read and check every variable, then fail once with all the problems, or return settings.

    `environ=None` reads the process environment and the env file (operations.settings.read).
    """
    return from_checked(read(environ), http=http)


def from_checked(checked: Checked, *, http: bool) -> SlackSettings:
    """The Slack view of the one settings model; ConfigError names every variable at fault."""
    s = checked.settings
    problems = {k: v for k, v in checked.problems.items() if k in _VARIABLES}
    required = [("SLACK_BOT_TOKEN", s.slack_bot_token, "the Bot User OAuth Token, xoxb-…")]
    if http:
        required.append(("SLACK_SIGNING_SECRET", s.slack_signing_secret, "needed with --http"))
    else:
        required.append(("SLACK_APP_TOKEN", s.slack_app_token, "an app-level token, xapp-…"))
    for name, value, what in required:
        if value is None and name not in problems:
            problems[name] = f"{name} is missing: {what}"
    if problems:
        mode = "HTTP mode" if http else "Socket Mode"
        ordered = [problems[k] for k in _VARIABLES if k in problems]
        raise ConfigError(problem_list(f"Slack settings ({mode})", ordered))
    return SlackSettings(
        bot_token=_secret(s.slack_bot_token),
        app_token="" if http else _secret(s.slack_app_token),
        signing_secret=_secret(s.slack_signing_secret) if http else "",
        api_url=s.slack_api_url,
        auto_channels=s.slack_auto_channels,
        http=http,
    )


_VARIABLES = variables("slack_")


def _secret(value: SecretStr | None) -> str:
    return value.get_secret_value() if value is not None else ""
