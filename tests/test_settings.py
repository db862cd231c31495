"""The one settings model: environment and .env, typed, every fault named, secrets masked."""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

import pytest

from adapters.cli import main
from bot import ConfigError
from operations.probe import probe
from operations.settings import load, read, shown
from tests.redis_server import free_port

BOT_TOKEN = "xoxb-1-2-secretvalue"


def test_defaults_with_nothing_set() -> None:
    settings = load({})
    assert (settings.log_format, settings.log_level, settings.health_port) == ("text", "INFO", 8080)
    assert settings.redis_url is None and not settings.log_questions


def test_the_environment_wins_over_the_env_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("LOG_FORMAT=json\nHEALTH_PORT=9100\n# LOG_LEVEL=ERROR\nSLACK_APP_TOKEN=\n")
    monkeypatch.setenv("HEALTH_PORT", "9200")
    monkeypatch.delenv("LOG_FORMAT", raising=False)

    settings = load(env_file=env_file)

    assert settings.log_format == "json"  # from the file
    assert settings.health_port == 9200  # the environment wins
    assert settings.log_level == "INFO" and settings.slack_app_token is None  # empty is unset


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_the_env_file_is_read_once_so_a_pipe_works(tmp_path: Path) -> None:
    pipe = tmp_path / "secrets.env"
    os.mkfifo(pipe)
    text = "LOG_FORMAT=json\nHEALTH_PORT=9300\nDISCORD_COOLDOWN_SECONDS=10\n"
    writer = threading.Thread(target=pipe.write_text, args=(text,))
    writer.start()

    checked = read(env_file=pipe)  # a second read would find the pipe empty

    writer.join(timeout=5)
    assert (checked.settings.log_format, checked.settings.health_port) == ("json", 9300)
    assert "RATE_LIMIT_SECONDS" in checked.problems  # the retired variable, from the same read


def test_values_are_typed_and_normalised() -> None:
    settings = load({
        "LOG_LEVEL": "debug", "LOG_FORMAT": " JSON ", "LOG_QUESTIONS": "yes",
        "SHUTDOWN_TIMEOUT": "2.5", "SLACK_AUTO_CHANNELS": "C0123ABCD,,G0456EFGH",
        "DISCORD_GUILD_ID": "123456789012345678",
    })
    assert (settings.log_level, settings.log_format) == ("DEBUG", "json")
    assert settings.log_questions is True
    assert settings.shutdown_timeout == 2.5
    assert settings.slack_auto_channels == {"C0123ABCD", "G0456EFGH"}
    assert settings.discord_guild_id == 123456789012345678


def test_every_malformed_variable_is_named_at_once_without_secrets() -> None:
    environ = {
        "LOG_FORMAT": "xml", "HEALTH_PORT": "70000", "LOG_QUESTIONS": "perhaps",
        "REDIS_URL": "http://secret@redis", "SLACK_BOT_TOKEN": "xapp-oops-secret",
        "RATE_LIMIT_SECONDS": "-1", "RATE_LIMIT_BURST": "0",
    }
    with pytest.raises(ConfigError) as error:
        load(environ)
    message = str(error.value)

    for name in environ:
        assert f"{name} is malformed" in message
    assert message.count("\n  - ") == len(environ)
    assert "secret" not in message  # neither the token nor the Redis URL is repeated


def test_a_retired_variable_is_named_with_its_replacement(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DISCORD_COOLDOWN_SECONDS is read no more: set, it stops the start, never silently."""
    with pytest.raises(ConfigError, match="DISCORD_COOLDOWN_SECONDS is no longer read: set "
                       "RATE_LIMIT_SECONDS instead"):
        load({"DISCORD_COOLDOWN_SECONDS": "10"})
    env_file = tmp_path / ".env"
    env_file.write_text("DISCORD_COOLDOWN_SECONDS=10\n")
    monkeypatch.delenv("DISCORD_COOLDOWN_SECONDS", raising=False)
    assert "RATE_LIMIT_SECONDS" in read(env_file=env_file).problems
    assert read({"DISCORD_COOLDOWN_SECONDS": ""}).problems == {}


def test_a_faulty_variable_falls_back_to_its_default_for_the_rest() -> None:
    checked = read({"HEALTH_PORT": "many", "LOG_FORMAT": "json"})
    assert list(checked.problems) == ["HEALTH_PORT"]
    assert checked.settings.health_port == 8080 and checked.settings.log_format == "json"


def test_secrets_never_show() -> None:
    settings = load({"SLACK_BOT_TOKEN": BOT_TOKEN, "REDIS_URL": "redis://:pa55word@redis:6379/0"})
    rows = dict(shown(settings))

    assert BOT_TOKEN not in repr(settings) and BOT_TOKEN not in str(rows)
    assert rows["SLACK_BOT_TOKEN"] == "********" and rows["SLACK_APP_TOKEN"] == ""
    assert rows["REDIS_URL"] == "redis://:****@redis:6379/0"
    assert set(settings.secrets()) >= {BOT_TOKEN, "pa55word"}


def test_config_prints_the_effective_settings_masked(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", BOT_TOKEN)
    monkeypatch.setenv("SLACK_APP_TOKEN", "xapp-1-A1-appsecret")
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)

    assert main(["config"]) == 0
    out = capsys.readouterr().out
    assert "SLACK_BOT_TOKEN=********" in out
    assert "secretvalue" not in out and "appsecret" not in out
    assert "slack (Socket Mode): yes" in out
    assert "discord: no: DISCORD_TOKEN is missing" in out


def test_config_fails_on_a_malformed_value(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("HEALTH_PORT", "eighty")
    assert main(["config"]) == 2
    assert "HEALTH_PORT is malformed" in capsys.readouterr().out


def test_an_adapter_refuses_to_start_on_a_faulty_common_setting(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", "MTAw.token.value")
    monkeypatch.setenv("LOG_FORMAT", "xml")
    kb = Path(__file__).parent / "fixtures" / "mini_kb.yaml"

    assert main(["--kb", str(kb), "discord"]) == 2
    assert "LOG_FORMAT is malformed" in capsys.readouterr().err


def test_health_says_why_when_nothing_answers(capsys: pytest.CaptureFixture[str]) -> None:
    ready, text = probe(f"http://127.0.0.1:{free_port()}/healthz", timeout=1)
    assert not ready and "refused" in text.lower()


@pytest.mark.parametrize(
    ("name", "value"),
    [("RATE_LIMIT_SECONDS", "-1"), ("RATE_LIMIT_SECONDS", "nan"), ("RATE_LIMIT_SECONDS", "3s"),
     ("RATE_LIMIT_BURST", "0"), ("RATE_LIMIT_BURST", "many")],
)
def test_the_rate_limit_must_be_sensible(name: str, value: str) -> None:
    with pytest.raises(ConfigError, match=f"{name} is malformed"):
        load({name: value})


def test_a_platform_command_reads_the_settings_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Logging, operations and the adapter all take the settings `summit-bot slack` read."""
    import adapters.slack
    import operations.ops_settings
    import operations.settings

    reads: list[object] = []
    real = operations.settings.read

    def counted(*args: object, **kwargs: object) -> operations.settings.Checked:
        reads.append(args)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    ran: dict[str, object] = {}
    for module in (operations.settings, operations.ops_settings):
        monkeypatch.setattr(module, "read", counted)
    monkeypatch.setattr(adapters.slack, "run", lambda bot, args, **kw: ran.update(kw) or 0)
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        assert main(["--no-log", "slack"]) == 0
    finally:
        root.handlers[:], root.level = handlers, level

    assert len(reads) == 1 and ran["checked"] is not None
