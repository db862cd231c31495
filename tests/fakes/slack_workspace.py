"""Drive a real Bolt app the way Slack does: signed HTTP requests in, recorded Web API calls out.

    async with Workspace.open(engine, fake, SETTINGS_ENV) as slack:
        reply = await slack.mention("who skipped the forum?")   # what Slack received
        assert reply.thread_ts == reply.asked_ts and "forum" in reply.text

The app is served as `--http` serves it (`events_web_app`: Bolt's aiohttp server code behind
the signature check) on 127.0.0.1; its Web API client and every response_url point at a
`FakeSlack`. Payloads are built from the JSON captures in tests/fixtures/slack/ (shapes as
Slack documents them; tests/payloads.py loads them).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from itertools import count
from typing import Any
from urllib.parse import urlencode

import aiohttp
from aiohttp.test_utils import TestServer
from slack_bolt.async_app import AsyncApp
from slack_bolt.listener.async_listener_completion_handler import AsyncListenerCompletionHandler
from slack_bolt.listener.async_listener_start_handler import AsyncListenerStartHandler

from adapters.slack import EVENTS_PATH, build_app, from_env
from adapters.slack.intake import events_web_app
from bot import FeedbackSink
from operations.memory import Seen
from operations.ratelimit import TokenBucket
from operations.reload import Admin
from tests.bots import as_bot
from tests.fakes.slack_api import RESPONSE_URL, Call, FakeSlack
from tests.payloads import payload

SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
ALICE, BOB = "UALICE", "UBOB"
GENERAL, AUTO, DM = "C0GENERAL", "C0ASKHERE", "D0ALICE"
TEAM = FakeSlack.TEAM_ID
FORM = "application/x-www-form-urlencoded"
_IDS = count(1)


OpenWorkspace = Callable[[Any], AbstractAsyncContextManager["Workspace"]]


def settings_env(fake: FakeSlack, **extra: str) -> dict[str, str]:
    """The environment of an HTTP-mode app pointed at `fake` (AUTO answers "?" unprompted)."""
    return {
        "SLACK_BOT_TOKEN": fake.token,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": fake.api_url,
        "SLACK_AUTO_CHANNELS": AUTO,
        **extra,
    }


def sign(
    body: str, *, secret: str = SIGNING_SECRET, timestamp: int | None = None
) -> dict[str, str]:
    """Slack's request signature: v0 HMAC-SHA256 of "v0:{timestamp}:{body}"."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


@dataclass(frozen=True)
class Sent:
    """A message as Slack received it: through chat.postMessage or a response_url."""

    call: Call
    asked_ts: str = ""  # the ts of the message that asked, for thread checks
    asked_in: str = ""  # the channel where it was asked (a response_url call does not say)

    @property
    def text(self) -> str:
        return str(self.call.get("text", ""))

    @property
    def blocks(self) -> list[dict[str, Any]]:
        return list(self.call.get("blocks") or [])

    @property
    def channel(self) -> str | None:
        return self.call.get("channel")  # type: ignore[no-any-return]

    @property
    def thread_ts(self) -> str | None:
        return self.call.get("thread_ts")  # type: ignore[no-any-return]

    @property
    def ephemeral(self) -> bool:
        if self.call.method == RESPONSE_URL:
            return bool(self.call.get("response_type", "ephemeral") == "ephemeral")
        return self.call.method == "chat.postEphemeral"

    @property
    def sections(self) -> str:
        return "\n".join(b["text"]["text"] for b in self.blocks if b["type"] == "section")

    @property
    def context(self) -> str:
        found = [e["text"] for b in self.blocks if b["type"] == "context" for e in b["elements"]]
        return " ".join(found)

    def buttons(self) -> dict[str, dict[str, Any]]:
        """Buttons by action_id."""
        found = [e for b in self.blocks if b["type"] == "actions" for e in b["elements"]]
        return {e["action_id"]: e for e in found}


@dataclass(frozen=True)
class Reply:
    """The HTTP answer Bolt gave to one request from Slack."""

    status: int
    body: str
    headers: Mapping[str, str]


class Workspace:
    """One Slack workspace talking to the app: people post, click and use /summit."""

    def __init__(self, app: AsyncApp, fake: FakeSlack, url: str, http: aiohttp.ClientSession):
        self.app, self.fake, self.url, self._http = app, fake, url, http
        self._ids = _IDS  # one sequence for every app: event ids and ts are unique, as in Slack
        self._started = self._finished = 0
        self._idle = asyncio.Condition()
        runner = app.listener_runner
        runner.listener_start_handler = _Hook(self._on_start, runner.listener_start_handler)
        runner.listener_completion_handler = _Hook(self._on_end, runner.listener_completion_handler)

    @classmethod
    @asynccontextmanager
    async def open(
        cls,
        engine: Any,
        fake: FakeSlack,
        env: Mapping[str, str] | None = None,
        *,
        feedback: FeedbackSink | None = None,
        seen: Seen | None = None,
        admin: Admin | None = None,
        limiter: TokenBucket | None = None,
    ) -> AsyncIterator[Workspace]:
        """Serve the app for `engine` (an engine, a double or a `Bot`) on 127.0.0.1."""
        settings = from_env(env if env is not None else settings_env(fake), http=True)
        app = build_app(
            as_bot(engine),
            settings,
            feedback=feedback,
            seen=seen,
            admin=admin,
            limiter=limiter,
        )
        server = TestServer(events_web_app(app, settings.signing_secret), host="127.0.0.1")
        await server.start_server()
        try:
            async with aiohttp.ClientSession() as http:
                yield cls(app, fake, str(server.make_url(EVENTS_PATH)), http)
        finally:
            await server.close()

    # -- what people do ------------------------------------------------------------------------

    async def mention(
        self, text: str, *, channel: str = GENERAL, user: str = ALICE, thread_ts: str | None = None
    ) -> Sent:
        """`@Summit Bot <text>` in a channel; returns the bot's answer."""
        said = self._said(f"<@{FakeSlack.BOT_USER_ID}> {text}", channel, user, thread_ts)
        return await self._answer_to(said, channel_type="channel")

    async def dm(self, text: str, *, user: str = ALICE, thread_ts: str | None = None) -> Sent:
        """A direct message to the bot; returns the bot's answer."""
        return await self._answer_to(self._said(text, DM, user, thread_ts), channel_type="im")

    async def message(
        self,
        text: str,
        *,
        channel: str = GENERAL,
        user: str = ALICE,
        channel_type: str = "channel",
        thread_ts: str | None = None,
        **fields: Any,
    ) -> Reply:
        """A plain message event (no waiting for an answer)."""
        said = self._said(text, channel, user, thread_ts) | fields
        return await self.event({**payload("slack/message"), **said, "channel_type": channel_type})

    async def _answer_to(self, said: dict[str, Any], *, channel_type: str) -> Sent:
        # Slack sends a message event, and an app_mention too when the bot is mentioned
        before = len(self.fake.calls("chat.postMessage"))
        await self.event({**payload("slack/message"), **said, "channel_type": channel_type})
        if f"<@{FakeSlack.BOT_USER_ID}>" in said["text"]:
            await self.event({**payload("slack/app_mention"), **said})
        [call] = await self.fake.next_calls("chat.postMessage", after=before)
        return Sent(call, asked_ts=said["ts"], asked_in=said["channel"])

    def _said(self, text: str, channel: str, user: str, thread_ts: str | None) -> dict[str, Any]:
        ts = self._ts()
        said = {"text": text, "user": user, "channel": channel, "ts": ts, "event_ts": ts}
        return said | ({"thread_ts": thread_ts} if thread_ts else {})

    async def command(self, text: str, *, channel: str = GENERAL, user: str = ALICE) -> Sent:
        """`/summit <text>`; returns what arrived at the command's response_url."""
        n = next(self._ids)
        form = payload("slack/slash_command") | {"text": text, "channel_id": channel}
        form["user_id"] = user
        form["response_url"] = self.fake.response_url(f"command-{n}")
        before = len(self.fake.calls(RESPONSE_URL))
        reply = await self.post(urlencode(form), FORM)
        assert reply.status == 200, reply
        assert reply.body == "", "the command is acked empty; the answer goes to response_url"
        [call] = await self.fake.next_calls(RESPONSE_URL, after=before)
        return Sent(call, asked_in=channel)

    async def click(self, message: Sent, action_id: str, *, user: str = ALICE) -> Reply:
        """Press a button on a message the bot sent (public or ephemeral)."""
        body = payload("slack/block_actions")
        button = message.buttons()[action_id]
        body["actions"] = [{**button, "block_id": "b1", "action_ts": self._ts()}]
        body["user"] = {"id": user, "username": user.lower(), "name": user.lower()}
        body["response_url"] = self.fake.response_url(f"click-{next(self._ids)}")
        if message.call.method == RESPONSE_URL:  # an ephemeral message: no message body
            channel = message.asked_in or GENERAL
            body["container"] |= {"is_ephemeral": True, "channel_id": channel}
            body["channel"] = {"id": channel, "name": channel.lower()}
            del body["message"]
        else:
            channel = str(message.channel)
            args = message.call.args
            posted: dict[str, Any] = {k: args[k] for k in ("text", "blocks") if k in args}
            posted |= {"ts": self._ts(), "bot_id": FakeSlack.BOT_ID, "type": "message"}
            if message.thread_ts:
                posted["thread_ts"] = message.thread_ts
            body["message"] = posted
            body["container"] |= {"channel_id": channel, "message_ts": posted["ts"]}
            body["channel"] = {"id": channel, "name": channel.lower()}
        return await self.post(urlencode({"payload": json.dumps(body)}), FORM)

    # -- the wire ------------------------------------------------------------------------------

    async def event(
        self, event: dict[str, Any], *, event_id: str | None = None, retry: int | None = None
    ) -> Reply:
        envelope = payload("slack/event_callback")
        envelope["event"] = event
        envelope["event_id"] = event_id or f"Ev{next(self._ids):010d}"
        headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
        return await self.post(json.dumps(envelope), "application/json", headers if retry else {})

    async def post(
        self,
        body: str,
        content_type: str,
        headers: Mapping[str, str] | None = None,
        *,
        secret: str = SIGNING_SECRET,
    ) -> Reply:
        """POST to /slack/events, signed with `secret` as Slack signs requests."""
        all_headers = {"Content-Type": content_type, **sign(body, secret=secret), **(headers or {})}
        async with self._http.post(self.url, data=body.encode(), headers=all_headers) as resp:
            return Reply(resp.status, await resp.text(), dict(resp.headers))

    async def settle(self, timeout: float = 5.0) -> None:
        """Wait (bounded) until every listener run the app started has finished."""
        await asyncio.sleep(0)  # let listener tasks scheduled with the last response start
        async with asyncio.timeout(timeout), self._idle:
            await self._idle.wait_for(lambda: self._started == self._finished)

    def _ts(self) -> str:
        return f"1700000100.{next(self._ids):06d}"

    async def _on_start(self) -> None:
        self._started += 1

    async def _on_end(self) -> None:
        async with self._idle:
            self._finished += 1
            self._idle.notify_all()


class _Hook(AsyncListenerStartHandler, AsyncListenerCompletionHandler):
    """Calls `before` and then Bolt's own handler."""

    def __init__(self, before: Any, inner: Any) -> None:
        self._before, self._inner = before, inner

    async def handle(self, request: Any, response: Any) -> None:
        await self._before()
        await self._inner.handle(request=request, response=response)
