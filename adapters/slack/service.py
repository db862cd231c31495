"""The Slack app as a long-running service: Socket Mode or HTTP, with a clean stop.

    service = SocketModeService(socket_mode_handler(app, settings))   # summit-bot slack
    service = HttpService(app, signing_secret=secret, port=3000)   # slack --http --port 3000

Both count the listener runs in flight (Bolt acks first, then runs the listener as a task) so
that SIGTERM can let them finish: Socket Mode stops reconnecting and closes its WebSocket
(Slack then sends events to the app's other connections); HTTP stops listening and closes its
idle connections (the load balancer moves on), while each request already taken is read,
acknowledged and answered in full (it counts as in flight from its first byte). Then the
answers in flight are sent, then all is closed.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from typing import Any

from aiohttp import ClientError, web
from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_bolt.listener.async_listener_completion_handler import AsyncListenerCompletionHandler
from slack_bolt.listener.async_listener_start_handler import AsyncListenerStartHandler
from slack_sdk.errors import SlackApiError

from adapters.slack.app import EVENTS_PATH, PLATFORM
from adapters.slack.intake import events_web_app
from bot.errors import ConfigError

log = logging.getLogger("summit_bot.slack")

AUTH_RETRY = 30.0  # seconds between auth.test tries while Slack cannot be reached
CLOSE_GRACE = 2.0  # seconds for responses still being written after the drain, at close
_REJECTED = {"invalid_auth", "not_authed", "account_inactive", "token_revoked"}


class InFlight:
    """Counts Bolt listener runs between their start and their completion."""

    def __init__(self, app: AsyncApp) -> None:
        self.count = 0
        runner = app.listener_runner
        runner.listener_start_handler = _Hook(self._started, runner.listener_start_handler)
        runner.listener_completion_handler = _Hook(
            self._finished, runner.listener_completion_handler
        )

    async def _started(self) -> None:
        self.count += 1

    async def _finished(self) -> None:
        self.count -= 1


class SocketModeService:
    """Socket Mode: an outgoing WebSocket to Slack; nothing listens on a public port."""

    platform = PLATFORM
    health_app: web.Application | None = None

    def __init__(self, handler: AsyncSocketModeHandler) -> None:
        self.handler = handler
        self._in_flight = InFlight(handler.app)

    async def run(self) -> None:
        try:
            await self.handler.connect_async()  # type: ignore[no-untyped-call]
        except SlackApiError as exc:
            _refused(exc, "SLACK_APP_TOKEN")
            raise
        log.info("connected to Slack over Socket Mode")
        await asyncio.Event().wait()  # the client reconnects by itself; runs until closed

    async def connected(self) -> bool:
        return bool(await self.handler.client.is_connected())

    async def stop_intake(self) -> None:
        self.handler.client.auto_reconnect_enabled = False
        await self.handler.disconnect_async()  # type: ignore[no-untyped-call]

    def in_flight(self) -> int:
        return self._in_flight.count

    async def close(self) -> None:
        await self.handler.close_async()  # type: ignore[no-untyped-call]


class HttpService:
    """The Events API: Bolt's aiohttp app on `port`, ready once Slack accepted the bot token.

    Only requests signed with `signing_secret` get past the door (adapters/slack/intake.py).
    """

    platform = PLATFORM

    def __init__(
        self,
        app: AsyncApp,
        *,
        signing_secret: str,
        host: str = "0.0.0.0",
        port: int = 3000,
        share_health: bool = False,
    ) -> None:
        self.app = app
        self.web = events_web_app(app, signing_secret)
        self.health_app = self.web if share_health else None
        self._host, self._port = host, port
        # Outermost, before the door reads the body: a request counts from its first byte.
        self.web.middlewares.insert(0, self._count_requests)
        self._runner = web.AppRunner(
            self.web, handle_signals=False, access_log=None, shutdown_timeout=CLOSE_GRACE
        )
        self._site: web.TCPSite | None = None
        self._authorized = False
        self._in_flight = InFlight(app)
        self._busy: Counter[object] = Counter()  # connection -> requests it is handling now
        self._stopping = False

    async def run(self) -> None:
        await self._runner.setup()
        self._site = web.TCPSite(self._runner, self._host, self._port)
        try:
            await self._site.start()
        except OSError as exc:
            self._site = None
            where = f"{self._host}:{self._port}"
            raise ConfigError(f"--port: cannot listen on {where} ({exc.strerror})") from None
        log.info("serving Slack events on port %d, path %s", self._port, EVENTS_PATH)
        while not self._authorized:
            try:
                await self.app.client.auth_test()
            except SlackApiError as exc:
                _refused(exc, "SLACK_BOT_TOKEN")
                log.error("auth.test failed: %s; retrying in %g s", _error(exc), AUTH_RETRY)
            except (ClientError, TimeoutError) as exc:
                log.error("Slack unreachable: %s; retry in %g s", type(exc).__name__, AUTH_RETRY)
            else:
                self._authorized = True
                break
            await asyncio.sleep(AUTH_RETRY)
        await asyncio.Event().wait()

    async def connected(self) -> bool:
        return self._authorized and self._site is not None

    async def stop_intake(self) -> None:
        self._stopping = True
        if self._site is not None:
            await self._site.stop()  # no new connections
            self._site = None
        server = self._runner.server
        if server is None:
            return
        # Idle kept-alive connections close now, so that Slack sends the next event to another
        # replica. A busy one is left alone (aiohttp's close() would drop the rest of a body
        # still arriving): its response says "Connection: close" and it closes after that.
        for connection in server.connections:
            if not self._busy[connection]:
                connection.force_close()

    def in_flight(self) -> int:
        return self._busy.total() + self._in_flight.count

    @web.middleware
    async def _count_requests(self, request: web.Request, handler: Any) -> web.StreamResponse:
        connection = request.protocol
        self._busy[connection] += 1
        try:
            response: web.StreamResponse = await handler(request)
            if self._stopping:
                response.force_close()
            # Bolt has acked and scheduled the listener's task: let it start (and be counted
            # by InFlight) before this request stops counting, so the drain sees no gap.
            await asyncio.sleep(0)
            return response
        finally:
            self._busy[connection] -= 1
            if not self._busy[connection]:
                del self._busy[connection]

    async def close(self) -> None:
        await self._runner.cleanup()


def _refused(exc: SlackApiError, variable: str) -> None:
    if _error(exc) in _REJECTED:
        raise ConfigError(f"{variable} was rejected by Slack ({_error(exc)}): copy it again")


def _error(exc: SlackApiError) -> str:
    data = exc.response.data if isinstance(exc.response.data, dict) else {}
    return str(data.get("error") or "error")


class _Hook(AsyncListenerStartHandler, AsyncListenerCompletionHandler):
    """Calls `before`, then Bolt's own handler."""

    def __init__(self, before: Any, inner: Any) -> None:
        self._before, self._inner = before, inner

    async def handle(self, request: Any, response: Any) -> None:
        await self._before()
        await self._inner.handle(request=request, response=response)
