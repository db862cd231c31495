"""A fake Slack Web API (and response_url) on 127.0.0.1 that records every call.

    async with FakeSlack() as slack:
        client = AsyncWebClient(token=slack.token, base_url=slack.api_url)
        await client.chat_postMessage(channel="C1", text="hi")
        [call] = slack.calls("chat.postMessage")      # call.args["text"] == "hi"
        slack.fail("chat.postMessage", "not_in_channel")  # the next call answers ok: false
        slack.rate_limit("chat.postMessage", retry_after=0)  # the next call answers HTTP 429

It answers like Slack: `ok: true`, `auth.test` with the bot's user and bot ids, a fresh `ts`
for each posted message, `invalid_auth` for a wrong token. `response_url(name)` is a URL that
records what is sent to it (as Slack's response_url does, answering "ok").

Socket Mode too: `apps.connections.open` (with the app-level token) gives the address of a
WebSocket that says hello, carries the envelopes pushed to it and records their acks:

        await slack.push({"envelope_id": "e1", "type": "events_api", "payload": {...}})
        await slack.wait_for(lambda: "e1" in slack.acks())
        await slack.drop()           # Slack closes the connection: the client must open another
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import count
from typing import Any

from aiohttp import WSMsgType, web
from aiohttp.test_utils import TestServer

from tests.payloads import payload

RESPONSE_URL = "response_url"


@dataclass(frozen=True)
class Call:
    """One request the fake received: a Web API method (or "response_url") and its arguments."""

    method: str
    args: dict[str, Any]
    headers: dict[str, str] = field(repr=False, default_factory=dict)
    path: str = ""

    def __getitem__(self, key: str) -> Any:
        return self.args[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.args.get(key, default)


@dataclass
class _Trouble:
    status: int
    body: dict[str, Any]
    headers: dict[str, str]


class FakeSlack:
    BOT_USER_ID = "UBOT"
    BOT_ID = "BBOT"
    TEAM_ID = "T0SUMMIT"

    def __init__(
        self, *, token: str = "xoxb-test-token", app_token: str = "xapp-1-A0SUMMIT-test"
    ) -> None:
        self.token = token
        self.app_token = app_token
        self.sockets: list[web.WebSocketResponse] = []  # Socket Mode connections, oldest first
        self.received: list[Call] = []
        self._trouble: dict[str, list[_Trouble]] = {}
        self._ts = count(1)
        self._changed = asyncio.Condition()
        app = web.Application()
        app.router.add_post("/api/{method}", self._api)
        app.router.add_post("/respond/{name}", self._respond)
        app.router.add_get("/link", self._link)
        self._server = TestServer(app, host="127.0.0.1")

    async def __aenter__(self) -> FakeSlack:
        await self._server.start_server()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._server.close()

    @property
    def url(self) -> str:
        return str(self._server.make_url("")).rstrip("/")

    @property
    def api_url(self) -> str:
        return f"{self.url}/api/"

    def response_url(self, name: str = "r1") -> str:
        return f"{self.url}/respond/{name}"

    # -- making trouble ------------------------------------------------------------------------

    def fail(self, method: str, error: str = "channel_not_found", *, times: int = 1) -> None:
        """The next `times` calls of `method` answer HTTP 200 with ok: false and `error`."""
        trouble = _Trouble(200, {"ok": False, "error": error}, {})
        self._trouble.setdefault(method, []).extend([trouble] * times)

    def rate_limit(self, method: str, *, retry_after: int = 0, times: int = 1) -> None:
        """The next `times` calls of `method` answer HTTP 429 with Retry-After."""
        trouble = _Trouble(
            429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(retry_after)}
        )
        self._trouble.setdefault(method, []).extend([trouble] * times)

    # -- Socket Mode ---------------------------------------------------------------------------

    async def push(self, envelope: dict[str, Any]) -> None:
        """Send `envelope` on the newest open Socket Mode connection."""
        await self.wait_for(lambda: self._open() is not None, what="an open Socket Mode link")
        socket = self._open()
        assert socket is not None
        await socket.send_json(envelope)

    async def drop(self, *, politely: bool = False) -> None:
        """End the newest connection: closed outright, or (`politely`) with Slack's
        `disconnect` message asking the client to open another first."""
        socket = self._open()
        assert socket is not None, "no open Socket Mode connection"
        if politely:
            await socket.send_json({"type": "disconnect", "reason": "refresh_requested"})
        else:
            await socket.close()

    def acks(self) -> list[str]:
        """The envelope ids acknowledged over Socket Mode, oldest first."""
        return [c["envelope_id"] for c in self.calls("socket_mode.ack")]

    def _open(self) -> web.WebSocketResponse | None:
        return next((s for s in reversed(self.sockets) if not s.closed), None)

    async def _link(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self.sockets.append(socket)
        await self._record(Call("socket_mode.connect", dict(request.query), path=request.path))
        await socket.send_json({"type": "hello", "num_connections": len(self.sockets)})
        async for message in socket:
            if message.type == WSMsgType.TEXT:
                await self._record(Call("socket_mode.ack", json.loads(message.data)))
        return socket

    # -- reading what was sent -----------------------------------------------------------------

    def calls(self, *methods: str) -> list[Call]:
        """Calls of these methods (all but auth.test when none given), oldest first."""
        if methods:
            return [c for c in self.received if c.method in methods]
        return [c for c in self.received if c.method != "auth.test"]

    async def wait_for(
        self, condition: Callable[[], bool], *, timeout: float = 5.0, what: str = ""
    ) -> None:
        """Wait (bounded) until `condition()` holds; it is checked after each recorded call."""
        try:
            async with asyncio.timeout(timeout), self._changed:
                await self._changed.wait_for(condition)
        except TimeoutError:
            sent = [c.method for c in self.received]
            raise AssertionError(f"timed out waiting for {what or condition}; got {sent}") from None

    async def next_calls(self, *methods: str, after: int, count: int = 1) -> list[Call]:
        """Wait for `count` calls of `methods` beyond the first `after`; return them."""
        await self.wait_for(
            lambda: len(self.calls(*methods)) >= after + count, what=f"{count} x {methods}"
        )
        return self.calls(*methods)[after : after + count]

    # -- the server ----------------------------------------------------------------------------

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args = await _arguments(request)
        await self._record(Call(method, args, dict(request.headers), request.path))
        trouble = self._trouble.get(method)
        if trouble:
            t = trouble.pop(0)
            return web.json_response(t.body, status=t.status, headers=t.headers)
        token = self.app_token if method == "apps.connections.open" else self.token
        if request.headers.get("Authorization") != f"Bearer {token}":
            return web.json_response({"ok": False, "error": "invalid_auth"})
        return web.json_response(self._answer(method, args))

    async def _respond(self, request: web.Request) -> web.Response:
        args = await _arguments(request)
        await self._record(Call(RESPONSE_URL, args, dict(request.headers), request.path))
        trouble = self._trouble.get(RESPONSE_URL)
        if trouble:
            t = trouble.pop(0)
            return web.Response(status=404 if t.status == 200 else t.status, text=t.body["error"])
        return web.Response(text="ok")

    async def _record(self, call: Call) -> None:
        async with self._changed:
            self.received.append(call)
            self._changed.notify_all()

    def _answer(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        ts = f"1700000000.{next(self._ts):06d}"
        if method == "auth.test":
            ids = {"team_id": self.TEAM_ID, "user_id": self.BOT_USER_ID, "bot_id": self.BOT_ID}
            return payload("slack/auth_test") | ids
        if method == "chat.postMessage":
            message: dict[str, Any] = {
                k: args[k] for k in ("text", "blocks", "thread_ts") if k in args
            }
            message |= {"ts": ts, "user": self.BOT_USER_ID, "bot_id": self.BOT_ID}
            return {"ok": True, "channel": args.get("channel"), "ts": ts, "message": message}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": ts}
        if method == "apps.connections.open":
            link = self._server.make_url("/link").with_scheme("ws")
            return {"ok": True, "url": str(link.with_query(ticket=str(next(self._ts))))}
        return {"ok": True}


async def _arguments(request: web.Request) -> dict[str, Any]:
    """JSON or form arguments (as the SDK sends them); JSON-encoded form fields decoded."""
    if request.content_type == "application/json":
        data = await request.json()
        return dict(data) if isinstance(data, dict) else {"_body": data}
    args: dict[str, Any] = dict(request.query)
    for key, value in (await request.post()).items():
        args[key] = value
        if key in ("blocks", "attachments") and isinstance(value, str):
            args[key] = json.loads(value)
    return args
