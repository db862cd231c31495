"""Starting the adapter: Socket Mode by default, HTTP with --http, settings checked first."""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
from pathlib import Path

import pytest
import yaml
from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler

import adapters.slack
from adapters.cli import main
from adapters.slack import EVENTS_PATH, build_app, from_env, run, socket_mode_handler
from adapters.slack.service import HttpService
from bot import ConfigError, Engine
from operations.live import Bot

HEALTH = {"HEALTH_PORT": "0"}  # any free port: tests never collide on 8080
SOCKET_ENV = {
    "SLACK_BOT_TOKEN": "xoxb-test-token",
    "SLACK_APP_TOKEN": "xapp-1-A0SUMMIT-test",
    "SLACK_API_URL": "http://127.0.0.1:9/api/",
}


async def test_socket_mode_handler_uses_the_app_token_and_api_url(engine: Engine) -> None:
    settings = from_env(SOCKET_ENV, http=False)
    app = build_app(Bot(engine), settings)

    handler = socket_mode_handler(app, settings)  # built, not connected

    assert isinstance(handler, AsyncSocketModeHandler) and handler.app is app
    assert handler.app_token == handler.client.app_token == "xapp-1-A0SUMMIT-test"
    assert handler.client.web_client.base_url == "http://127.0.0.1:9/api/"
    assert handler.client.web_client.token == "xoxb-test-token"
    assert not handler.client.closed and handler.client.current_session is None
    await handler.close_async()  # type: ignore[no-untyped-call]


def test_run_starts_socket_mode_by_default_and_stops_on_sigterm(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[AsyncSocketModeHandler] = []

    async def connect_async(self: AsyncSocketModeHandler) -> None:
        started.append(self)  # instead of connecting to Slack
        os.kill(os.getpid(), signal.SIGTERM)  # as `docker stop` does

    monkeypatch.setattr(AsyncSocketModeHandler, "connect_async", connect_async)
    code = run(Bot(engine), argparse.Namespace(http=False, port=3000), {**SOCKET_ENV, **HEALTH})

    assert code == 0
    [handler] = started
    assert handler.app_token == "xapp-1-A0SUMMIT-test"
    assert handler.client.closed  # closed on the way out


def test_run_with_http_serves_bolts_events_path(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    served: list[tuple[int, set[str]]] = []

    async def serve(self: HttpService) -> None:
        paths = {route.resource.canonical for route in self.web.router.routes() if route.resource}
        served.append((self._port, paths))
        os.kill(os.getpid(), signal.SIGTERM)
        await asyncio.Event().wait()

    monkeypatch.setattr(HttpService, "run", serve)
    environ = {"SLACK_BOT_TOKEN": "xoxb-test-token", "SLACK_SIGNING_SECRET": "s3cr3t", **HEALTH}

    assert run(Bot(engine), argparse.Namespace(http=True, port=8123), environ) == 0
    [(port, paths)] = served
    assert port == 8123 and EVENTS_PATH in paths and "/healthz" not in paths


def test_run_refuses_to_start_without_settings(engine: Engine) -> None:
    with pytest.raises(ConfigError, match=r"(?s)SLACK_BOT_TOKEN.*SLACK_APP_TOKEN"):
        run(Bot(engine), argparse.Namespace(http=False, port=3000), {})


def test_the_command_line_names_every_missing_variable(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET"):
        monkeypatch.delenv(name, raising=False)
    kb = Path(__file__).parents[1] / "fixtures" / "mini_kb.yaml"

    assert main(["--kb", str(kb), "slack", "--http"]) == 2
    error = capsys.readouterr().err
    assert "SLACK_BOT_TOKEN" in error and "SLACK_SIGNING_SECRET" in error


def test_the_package_exports_what_the_cli_and_tests_use() -> None:
    assert set(adapters.slack.__all__) >= {"run", "build_app", "from_env", "socket_mode_handler"}


def test_the_manifest_matches_the_app() -> None:
    manifest = yaml.safe_load(
        (Path(adapters.slack.__file__).parent / "manifest.yml").read_text(encoding="utf-8")
    )
    [command] = manifest["features"]["slash_commands"]
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    events = set(manifest["settings"]["event_subscriptions"]["bot_events"])

    assert command["command"] == adapters.slack.COMMAND
    assert manifest["settings"]["socket_mode_enabled"] is True
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    assert {"app_mention", "message.im"} <= events
    needs = {"app_mention": "app_mentions:read", "message.im": "im:history",
             "message.channels": "channels:history", "message.groups": "groups:history"}
    assert {needs[e] for e in events} | {"chat:write", "commands"} <= scopes
