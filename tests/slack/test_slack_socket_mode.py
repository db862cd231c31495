"""Socket Mode, the default: envelopes from Slack's WebSocket go through the same app.

No connection is opened: the handler's `handle` gets the envelopes the WebSocket would deliver,
and the acknowledgements it would send back are recorded.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse

from adapters.slack import build_app, from_env, socket_mode_handler
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
