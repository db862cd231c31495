"""Running an adapter as a service: logs, shared state, health and metrics, clean SIGTERM.

    runtime = prepare(bot, settings)                    # logs, shared state, observer
    run_service(runtime, lambda: SocketModeService(...))   # blocks until SIGTERM

Both platform adapters start the same way (`Runtime`): logging as LOG_FORMAT and LOG_LEVEL
say, the shared state (Redis with REDIS_URL, else memory), one `Observer` for metrics and the
answer log, and /healthz and /metrics on HEALTH_PORT. Then the platform `Service` runs until
SIGTERM or SIGINT, and stops in three steps:

1. stop taking new events (/healthz turns 503 "stopping" at once, so a load balancer moves on);
2. finish the events in flight, for at most SHUTDOWN_TIMEOUT seconds;
3. close the platform connection, the health server and Redis.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from aiohttp import web

from bot import ConfigError
from operations.health import Health, HealthServer, add_routes
from operations.live import Bot
from operations.logs import setup_logging
from operations.observe import Observer, count_platform_errors
from operations.settings import Settings
from operations.state import State, open_state

log = logging.getLogger("summit_bot.service")

DRAIN_POLL = 0.05  # seconds between looks at the work in flight while stopping


class Service(Protocol):
    """One platform connection, as the runtime drives it."""

    platform: str
    health_app: web.Application | None
    """An aiohttp app of the service's own to serve /healthz and /metrics, or None: their own
    server on HEALTH_PORT (`slack --http` on the health port shares its events server)."""

    async def run(self) -> None:
        """Connect and serve until closed; raise ConfigError if the platform refuses us."""
        ...

    async def connected(self) -> bool:
        """True while connected to the platform (for /healthz)."""
        ...

    async def stop_intake(self) -> None:
        """Stop taking new events; work already started goes on."""
        ...

    def in_flight(self) -> int:
        """How many events are being handled now."""
        ...

    async def close(self) -> None:
        """Close every connection. Called once, after `stop_intake` and the drain."""
        ...


@dataclass(frozen=True)
class Runtime:
    """What a service is built from: the bot (on the shared state), the stores, the observer."""

    bot: Bot
    state: State
    observer: Observer
    settings: Settings


def prepare(bot: Bot, settings: Settings) -> Runtime:
    """Logging, shared state and the observer, attached to the bot (its engine is kept)."""
    setup_logging(settings)
    state = open_state(settings)
    if state.link is not None:  # follow-ups must find the last answer on any replica
        bot.share_memory(state.context)
    observer = Observer(log_questions=settings.log_questions)
    observer.fact_base(bot.knowledge)
    bot.observer = observer
    bot.max_pending = settings.max_pending_questions
    if bot.log is not None:
        observer.metrics.question_log(bot.log.stats)
    return Runtime(bot, state, observer, settings)


def run_service(runtime: Runtime, build: Callable[[], Service]) -> int:
    """Build the service inside the event loop (SDK clients need one), serve until SIGTERM or
    SIGINT, then stop cleanly; 0 when stopped by a signal."""

    async def main() -> int:
        return await serve(runtime, build())

    return asyncio.run(main())


async def serve(runtime: Runtime, service: Service, *, stop: asyncio.Event | None = None) -> int:
    """The service's whole life. `stop` ends it as a signal does (tests); SIGTERM sets it."""
    settings, metrics = runtime.settings, runtime.observer.metrics
    runtime.observer.platforms(service.platform)
    log_stats = runtime.bot.log.stats if runtime.bot.log is not None else None
    health = Health(
        service.platform, runtime.bot, runtime.state, metrics, connected=service.connected,
        question_log=log_stats,
    )
    server: HealthServer | None = None
    if service.health_app is not None:
        add_routes(service.health_app, health)
    else:
        server = HealthServer(health)
        try:
            port = await server.start(settings.health_host, settings.health_port)
        except OSError as exc:  # the port is taken, or the address is not this machine's
            await server.stop()
            await service.close()
            where = f"{settings.health_host}:{settings.health_port}"
            raise ConfigError(f"HEALTH_PORT: cannot listen on {where} ({exc.strerror})") from None
        log.info("health and metrics on http://%s:%d/healthz", settings.health_host, port)
    stop = stop or asyncio.Event()
    signals = _on_signals(stop)
    counter = count_platform_errors(metrics)
    running = asyncio.create_task(service.run(), name=f"summit-bot {service.platform}")
    stopping = asyncio.create_task(stop.wait(), name="summit-bot stop signal")
    try:
        await asyncio.wait({running, stopping}, return_when=asyncio.FIRST_COMPLETED)
        if running.done():
            running.result()  # a refused token (ConfigError) or a crash: raise it
            log.warning("%s connection ended", service.platform)
            return 1
        health.stopping = True
        log.info(
            "stopping: no new events; %d in flight, waiting up to %g s",
            service.in_flight(), settings.shutdown_timeout,
        )
        await service.stop_intake()
        left = await drain(service, settings.shutdown_timeout)
        if left:
            log.warning("%d events unfinished after %g s", left, settings.shutdown_timeout)
        return 0
    finally:
        stopping.cancel()
        with contextlib.suppress(Exception):
            await service.close()
        if not running.done():
            running.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await running
        if server is not None:
            await server.stop()
        runtime.state.close()
        logging.getLogger().removeHandler(counter)
        for number in signals:
            asyncio.get_running_loop().remove_signal_handler(number)
        log.info("%s stopped", service.platform)


async def drain(service: Service, timeout: float) -> int:
    """Wait until nothing is in flight or `timeout` s have passed; return what is left."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while service.in_flight() and loop.time() < deadline:
        await asyncio.sleep(DRAIN_POLL)
    return service.in_flight()


def _on_signals(stop: asyncio.Event) -> list[int]:
    """SIGTERM (docker stop, Kubernetes) and SIGINT (Ctrl-C) set `stop`; returns those set."""
    loop = asyncio.get_running_loop()
    installed: list[int] = []
    for number in (signal.SIGTERM, signal.SIGINT):
        try:
            loop.add_signal_handler(number, _stop(stop, number))
        except (NotImplementedError, RuntimeError):  # not the main thread, or Windows
            continue
        installed.append(number)
    return installed


def _stop(stop: asyncio.Event, number: int) -> Callable[[], None]:
    def handler() -> None:
        log.info("%s received", signal.Signals(number).name)
        stop.set()

    return handler
