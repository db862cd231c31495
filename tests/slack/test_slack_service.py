"""`slack --http` as a service in-process: ready after Slack accepts the token, /healthz on the
events port when they share it, a rejected token named, a clean stop."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import aiohttp
import pytest

from adapters.slack import build_app, from_env, send
from adapters.slack.service import HttpService
from bot import ConfigError, Engine
from operations.live import Bot
from operations.observe import Observer
from operations.service import Runtime, serve
from operations.settings import read
from operations.state import open_state
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_workspace import SIGNING_SECRET, settings_env, sign
from tests.payloads import payload
from tests.redis_server import free_port


def runtime(engine: Engine, port: int) -> Runtime:
    settings = read({"HEALTH_PORT": str(port)}).settings
    return Runtime(Bot(engine), open_state(settings), Observer(), settings)


async def healthz(port: int) -> tuple[int, dict[str, object]]:
    async with aiohttp.ClientSession() as http:
        for _ in range(200):  # until it listens (bounded)
            try:
                async with http.get(f"http://127.0.0.1:{port}/healthz") as response:
                    return response.status, await response.json()
            except aiohttp.ClientConnectionError:
                await asyncio.sleep(0.02)
    raise AssertionError("nothing listens")


async def until_ready(port: int) -> dict[str, object]:
    """/healthz until 200 (Slack has accepted the token), bounded."""
    for _ in range(250):
        status, body = await healthz(port)
        if status == 200:
            return body
        await asyncio.sleep(0.02)
    raise AssertionError(f"never ready: {body}")


async def test_events_and_health_share_one_port(engine: Engine, fake: FakeSlack) -> None:
    port, stop = free_port(), asyncio.Event()
    app = build_app(Bot(engine), from_env(settings_env(fake), http=True))
    service = HttpService(
        app, signing_secret=SIGNING_SECRET, host="127.0.0.1", port=port, share_health=True
    )
    task = asyncio.create_task(serve(runtime(engine, port), service, stop=stop))

    body = await until_ready(port)  # once auth.test has answered
    envelope = {**payload("slack/event_callback"), "event": payload("slack/app_mention")}
    data = json.dumps(envelope)
    async with aiohttp.ClientSession() as http, http.post(
        f"http://127.0.0.1:{port}/slack/events", data=data,
        headers={"Content-Type": "application/json", **sign(data)},
    ) as response:
        assert response.status == 200
    await fake.next_calls("chat.postMessage", after=0)
    stop.set()

    assert await asyncio.wait_for(task, 10) == 0
    assert body["connected"] is True and body["platform"] == "slack"
    assert fake.calls("auth.test") and service.in_flight() == 0


async def test_a_rejected_bot_token_stops_with_its_name(engine: Engine, fake: FakeSlack) -> None:
    env = {**settings_env(fake), "SLACK_BOT_TOKEN": "xoxb-not-the-right-one"}
    app = build_app(Bot(engine), from_env(env, http=True))
    service = HttpService(app, signing_secret=SIGNING_SECRET, host="127.0.0.1", port=free_port())

    with pytest.raises(ConfigError, match="SLACK_BOT_TOKEN was rejected by Slack"):
        await asyncio.wait_for(serve(runtime(engine, free_port()), service), 10)


async def test_a_stop_lets_the_answer_in_flight_finish_and_takes_no_new_event(
    engine: Engine, fake: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    posting, release = asyncio.Event(), asyncio.Event()
    real_post = send.post

    async def slow_post(*args: Any, **kwargs: Any) -> bool:
        posting.set()
        await release.wait()  # Slack is slow to take this answer
        return await real_post(*args, **kwargs)

    monkeypatch.setattr(send, "post", slow_post)
    port, health_port, stop = free_port(), free_port(), asyncio.Event()
    app = build_app(Bot(engine), from_env(settings_env(fake), http=True))
    service = HttpService(app, signing_secret=SIGNING_SECRET, host="127.0.0.1", port=port)
    task = asyncio.create_task(serve(runtime(engine, health_port), service, stop=stop))
    await until_ready(health_port)
    envelope = {**payload("slack/event_callback"), "event": payload("slack/app_mention")}
    data = json.dumps(envelope)
    async with aiohttp.ClientSession() as http:
        async with http.post(
            f"http://127.0.0.1:{port}/slack/events", data=data,
            headers={"Content-Type": "application/json", **sign(data)},
        ) as response:
            assert response.status == 200  # acked; the answer is on its way
        await posting.wait()
        stop.set()  # SIGTERM now
        while service._site is not None:
            await asyncio.sleep(0.01)
        with pytest.raises(aiohttp.ClientConnectionError):  # no new events
            await http.post(f"http://127.0.0.1:{port}/slack/events", data=data)
        assert service.in_flight() == 1 and not task.done()

        release.set()
        assert await asyncio.wait_for(task, 10) == 0

    [answer] = fake.calls("chat.postMessage")  # delivered before the process let go
    assert "American business leaders" in answer["text"]
