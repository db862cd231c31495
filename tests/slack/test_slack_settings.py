"""Settings from the environment: every problem named at once, secrets never shown."""

from __future__ import annotations

import pytest

from adapters.slack.settings import SlackSettings, from_env
from bot import ConfigError

SOCKET = {"SLACK_BOT_TOKEN": "xoxb-1-2-abc", "SLACK_APP_TOKEN": "xapp-1-A1-xyz"}
HTTP = {"SLACK_BOT_TOKEN": "xoxb-1-2-abc", "SLACK_SIGNING_SECRET": "s3cr3t"}


def problems(environ: dict[str, str], *, http: bool) -> str:
    with pytest.raises(ConfigError) as caught:
        from_env(environ, http=http)
    return str(caught.value)


def test_socket_mode_needs_the_bot_and_app_tokens() -> None:
    settings = from_env(SOCKET, http=False)

    assert settings == SlackSettings(bot_token="xoxb-1-2-abc", app_token="xapp-1-A1-xyz")
    assert settings.api_url is None and settings.auto_channels == frozenset()


def test_http_mode_needs_the_bot_token_and_signing_secret() -> None:
    settings = from_env(HTTP, http=True)

    assert settings.http and settings.signing_secret == "s3cr3t" and settings.app_token == ""


def test_every_missing_variable_is_named_at_once() -> None:
    assert "SLACK_BOT_TOKEN" in problems({}, http=False)
    assert "SLACK_APP_TOKEN" in problems({}, http=False)
    message = problems({"SLACK_BOT_TOKEN": "  "}, http=True)
    assert "SLACK_BOT_TOKEN is missing" in message and "SLACK_SIGNING_SECRET" in message
    assert "SLACK_APP_TOKEN" not in message  # not needed over HTTP


def test_every_malformed_variable_is_named_with_the_missing_ones() -> None:
    environ = {
        "SLACK_BOT_TOKEN": "xapp-swapped",
        "SLACK_API_URL": "slack.example",
        "SLACK_AUTO_CHANNELS": "C0123ABCD, general,#random",
    }
    message = problems(environ, http=False)

    assert "SLACK_APP_TOKEN is missing" in message
    assert "SLACK_BOT_TOKEN is malformed" in message and "xoxb-" in message
    assert "SLACK_API_URL" in message
    assert "SLACK_AUTO_CHANNELS" in message and "'general'" in message and "'#random'" in message
    assert "xapp-swapped" not in message  # a token's value is never repeated
    assert message.count("\n  - ") == 4  # one line per variable at fault


def test_optional_settings() -> None:
    environ = {
        **SOCKET,
        "SLACK_API_URL": "https://slack-gov.com/api",
        "SLACK_AUTO_CHANNELS": " C0123ABCD ,G0456EFGH,, ",
    }
    settings = from_env(environ, http=False)

    assert settings.api_url == "https://slack-gov.com/api/"
    assert settings.auto_channels == {"C0123ABCD", "G0456EFGH"}


def test_secrets_stay_out_of_repr() -> None:
    shown = repr(from_env({**SOCKET, **HTTP}, http=True))

    assert "xoxb" not in shown and "xapp" not in shown and "s3cr3t" not in shown
