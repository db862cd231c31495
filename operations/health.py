"""`GET /healthz` and `GET /metrics` for a running adapter, on a small aiohttp server.

    health = Health("slack", bot, state, observer.metrics, connected=service.connected,
                    question_log=log.stats)
    server = HealthServer(health)
    port = await server.start("0.0.0.0", 8080)     # or add_routes(bolt_web_app, health)

/healthz answers 200 when the adapter is connected to its platform and the fact base is
loaded, else 503 (starting, disconnected or stopping), with a JSON body that says why:

    {"status": "degraded", "platform": "slack", "connected": true,
     "fact_base": {"facts": 33, "version": "3f2a9c1e0b7d"},
     "shared_state": {"backend": "redis", "up": false, "fallback": "local"},
     "question_log": {"state": "spooling", "spooled": 12, "dropped": 0}}

"degraded" is still ready (200): Redis is down and the bot answers from local state, or the
question log's database is down and questions wait in the local spool ("spooling").
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from operations.live import Bot
from operations.observe import CONTENT_TYPE, Metrics
from operations.probe import HEALTH_PATH
from operations.questionlog import LogStats
from operations.state import State

METRICS_PATH = "/metrics"


class Health:
    """The readiness of one adapter: platform connection, fact base, shared state."""

    def __init__(
        self,
        platform: str,
        bot: Bot,
        state: State,
        metrics: Metrics,
        *,
        connected: Callable[[], Awaitable[bool]],
        question_log: Callable[[], LogStats] | None = None,
    ) -> None:
        self.platform = platform
        self.bot = bot
        self.state = state
        self.metrics = metrics
        self.connected = connected
        self.question_log = question_log
        self.stopping = False

    async def report(self) -> tuple[bool, dict[str, Any]]:
        """(ready, body); also brings the `summit_ready` and shared-state gauges up to date."""
        kb = self.bot.knowledge  # read each time: a reload swaps it
        connected = not self.stopping and await self.connected()
        shared = await asyncio.to_thread(self.state.describe)  # a PING, bounded by its timeout
        ready = connected and bool(kb.facts)
        logged = self._question_log()
        if self.stopping:
            status = "stopping"
        elif not ready:
            status = "not_ready"
        else:
            status = "ok" if shared["up"] and logged.get("state", "ok") == "ok" else "degraded"
        self.metrics.ready.labels(self.platform).set(1 if ready else 0)
        if self.state.link is not None:
            self.metrics.shared_state_up.set(1 if shared["up"] else 0)
        body = {
            "status": status,
            "platform": self.platform,
            "connected": connected,
            "fact_base": {"facts": len(kb.facts), "version": kb.version},
            "shared_state": shared,
        }
        if logged:
            body["question_log"] = logged
        return ready, body

    def _question_log(self) -> dict[str, Any]:
        if self.question_log is None:
            return {}
        stats = self.question_log()
        return {"state": stats.state, "spooled": stats.spooled, "dropped": stats.dropped}


def add_routes(app: web.Application, health: Health) -> None:
    """Serve /healthz and /metrics from `app` (our own server, or Bolt's in HTTP mode)."""

    async def healthz(request: web.Request) -> web.Response:
        ready, body = await health.report()
        return web.json_response(body, status=200 if ready else 503)

    async def metrics(request: web.Request) -> web.Response:
        await health.report()  # the readiness gauges are as fresh as the scrape
        return web.Response(
            body=health.metrics.exposition(), headers={"Content-Type": CONTENT_TYPE}
        )

    app.router.add_get(HEALTH_PATH, healthz)
    app.router.add_get(METRICS_PATH, metrics)


class HealthServer:
    """An aiohttp server with only /healthz and /metrics."""

    def __init__(self, health: Health) -> None:
        app = web.Application()
        add_routes(app, health)
        self._runner = web.AppRunner(app, handle_signals=False, access_log=None)

    async def start(self, host: str, port: int) -> int:
        """Listen on host:port (port 0: any free port); return the port."""
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        return bound_port(self._runner) or port

    async def stop(self) -> None:
        await self._runner.cleanup()


def bound_port(runner: web.BaseRunner) -> int | None:
    """The TCP port a runner's first site listens on (useful when it was asked for port 0)."""
    for address in runner.addresses:
        if isinstance(address, tuple) and len(address) >= 2:
            return int(address[1])
    return None
