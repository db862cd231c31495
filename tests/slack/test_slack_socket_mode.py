"""Socket Mode, the default: envelopes from Slack's WebSocket go through the same app.

First without a connection: the handler's `handle` gets the envelopes the WebSocket would
deliver, and the acknowledgements it would send back are recorded. Then over a real WebSocket
to the fake Slack on 127.0.0.1, run by the service `summit-bot slack` runs: Slack closing the
connection, or asking the bot to move, loses no question and answers none twice.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse

from adapters.slack import build_app, from_env, socket_mode_handler
from adapters.slack.service import SocketModeService
from bot import Engine
from operations.live import Bot
from tests.fakes.slack_api import RESPONSE_URL, FakeSlack
from tests.payloads import payload


@pytest.fixture
async def handler(engine: Engine, fake: FakeSlack) -> AsyncIterator[AsyncSocketModeHandler]:
    environ = {
        "SLACK_BOT_TOKEN": fake.token,
        "SLACK_APP_TOKEN": "xapp-1-A0SUMMIT-test",
        "SLACK_API_URL": fake.api_url,
    }
    settings = from_env(environ, http=False)
    handler = socket_mode_handler(build_app(Bot(engine), settings), settings)
    yield handler
    await handler.close_async()  # type: ignore[no-untyped-call]


async def deliver(handler: AsyncSocketModeHandler, request: SocketModeRequest) -> list[Any]:
    """Hand one envelope to the app; return the acknowledgements it sent back."""
    acks: list[SocketModeResponse] = []

    async def send(response: SocketModeResponse) -> None:
        acks.append(response)

    handler.client.send_socket_mode_response = send  # type: ignore[method-assign]
    await handler.handle(handler.client, request)
    return [ack.envelope_id for ack in acks]


def events_api(
    event: dict[str, Any], *, event_id: str = "Ev0SOCKET", retry: int | None = None
) -> SocketModeRequest:
    envelope = {**payload("slack/event_callback"), "event": event, "event_id": event_id}
    return SocketModeRequest("events_api", "env-1", envelope, retry_attempt=retry)


async def test_a_mention_over_socket_mode_is_acked_and_answered_in_a_thread(
    handler: AsyncSocketModeHandler, fake: FakeSlack
) -> None:
    mention = payload("slack/app_mention")
    assert await deliver(handler, events_api(mention)) == ["env-1"]
    [answer] = await fake.next_calls("chat.postMessage", after=0)

    assert answer["channel"] == mention["channel"] and answer["thread_ts"] == mention["ts"]
    assert answer["text"].startswith("American business leaders")


async def test_a_redelivered_envelope_is_acked_but_not_answered_again(
    handler: AsyncSocketModeHandler, fake: FakeSlack
) -> None:
    mention = payload("slack/app_mention")
    await deliver(handler, events_api(mention))
    assert await deliver(handler, events_api(mention, retry=1)) == ["env-1"]
    later = {**mention, "text": "<@UBOT> are the pandas a gift?", "ts": "1700000200.000001"}
    await deliver(handler, events_api(later, event_id="Ev0LATER"))

    first, second = await fake.next_calls("chat.postMessage", after=0, count=2)
    assert first["thread_ts"] == mention["ts"] and second["thread_ts"] == later["ts"]
    assert "pandas" in second["text"]  # the retry in between was not answered


async def test_a_slash_command_over_socket_mode_answers_through_response_url(
    handler: AsyncSocketModeHandler, fake: FakeSlack
) -> None:
    command = {**payload("slack/slash_command"), "response_url": fake.response_url("socket")}
    request = SocketModeRequest("slash_commands", "env-2", command, accepts_response_payload=True)

    assert await deliver(handler, request) == ["env-2"]
    [reply] = await fake.next_calls(RESPONSE_URL, after=0)
    assert reply["response_type"] == "ephemeral"
    assert reply["text"].startswith("American business leaders")


# -- over a real WebSocket ---------------------------------------------------------------------


@pytest.fixture
async def connected(
    handler: AsyncSocketModeHandler, fake: FakeSlack
) -> AsyncIterator[SocketModeService]:
    """The Socket Mode service running, connected to the fake Slack."""
    service = SocketModeService(handler)
    running = asyncio.create_task(service.run())
    await fake.wait_for(lambda: len(fake.sockets) == 1, what="a Socket Mode connection")
    yield service
    await service.stop_intake()
    running.cancel()


def envelope(
    envelope_id: str, event: dict[str, Any], *, event_id: str, retry: int = 0
) -> dict[str, Any]:
    """What Slack sends on the WebSocket for one event (`retry`: its redeliveries so far)."""
    body = {**payload("slack/event_callback"), "event": event, "event_id": event_id}
    return {
        "envelope_id": envelope_id,
        "type": "events_api",
        "payload": body,
        "retry_attempt": retry,
        "retry_reason": "timeout" if retry else "",
    }


async def test_over_the_websocket_an_event_is_acked_and_answered(
    connected: SocketModeService, fake: FakeSlack
) -> None:
    mention = payload("slack/app_mention")
    await fake.push(envelope("e1", mention, event_id="Ev1"))

    [answer] = await fake.next_calls("chat.postMessage", after=0)
    assert fake.acks() == ["e1"] and answer["thread_ts"] == mention["ts"]
    assert answer["text"].startswith("American business leaders")
    assert await connected.connected()


@pytest.mark.parametrize("politely", [False, True], ids=["closed", "asked to move"])
async def test_after_slack_ends_the_connection_the_bot_reconnects_and_answers_once(
    connected: SocketModeService, fake: FakeSlack, politely: bool
) -> None:
    """Slack redelivers an event it had no ack for on the new connection: acked, not answered
    a second time; the next question is answered there."""
    mention = payload("slack/app_mention")
    await fake.push(envelope("e1", mention, event_id="Ev1"))
    await fake.next_calls("chat.postMessage", after=0)

    await fake.drop(politely=politely)
    await fake.wait_for(lambda: len(fake.sockets) == 2, what="a second connection")
    await fake.push(envelope("e2", mention, event_id="Ev1", retry=1))
    later = {**mention, "text": "<@UBOT> are the pandas a gift?", "ts": "1700000200.000001"}
    await fake.push(envelope("e3", later, event_id="Ev2"))

    first, second = await fake.next_calls("chat.postMessage", after=0, count=2)
    await fake.wait_for(lambda: fake.acks() == ["e1", "e2", "e3"], what="three acks")
    assert first["thread_ts"] == mention["ts"] and second["thread_ts"] == later["ts"]
    assert "pandas" in second["text"]
    assert len(fake.calls("apps.connections.open")) == 2 and fake.sockets[0].closed
    assert len(fake.calls("chat.postMessage")) == 2
