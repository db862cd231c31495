"""Shared state in Redis, so that several replicas act as one bot (REDIS_URL).

    state = open_state(settings)          # Redis if REDIS_URL is set, else process memory
    engine = Engine(kb, context=state.context)
    app = build_app(engine, slack, seen=state.seen)
    limiter = rate_limiter(settings, state.link)   # operations/ratelimit.py, Slack and Discord

Three things live there: each conversation's last turn (so "source?" finds the last answer
whichever replica serves it), the ids of events already handled (so a Slack retry that lands
on another replica is answered once) and each person's rate-limit bucket (operations/ratelimit.py).

The engine is synchronous and pure, so these are synchronous stores: redis-py's blocking
client with short socket timeouts, a round trip of a fraction of a millisecond on a local
network. Every store writes through to an in-memory twin. When Redis fails, the call is
answered from the twin and Redis is left alone for `retry_after` seconds (so a dead Redis costs
one timeout per interval, not one per question); the change is logged once each way and shown
in /healthz and the `summit_shared_state_up` metric. A store never raises.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from bot.context import Turn
from operations.memory import ContextStore, MemoryContext, MemorySeen, Seen
from operations.settings import Settings

log = logging.getLogger("summit_bot.state")

T = TypeVar("T")

SEEN_TTL = 3600.0  # Slack retries for about 5 minutes (as of 2025); an hour is plenty
CONTEXT_TTL = 30 * 60.0  # as the engine's in-memory default

class RedisLink:
    """One Redis client for the stores, and whether Redis answered the last time it was asked."""

    def __init__(
        self,
        client: redis.Redis,
        *,
        prefix: str = "summit-bot",
        retry_after: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self.prefix = prefix
        self.retry_after = retry_after
        self._clock = clock
        self._down_until = 0.0
        self._lock = threading.Lock()
        self.up: bool | None = None  # None: not asked yet

    @classmethod
    def from_url(cls, url: str, *, prefix: str = "summit-bot", timeout: float = 0.25) -> RedisLink:
        """A client that fails fast: short timeouts, no retries (the stores fall back instead)."""
        client = redis.Redis.from_url(
            url,
            socket_timeout=timeout,
            socket_connect_timeout=timeout,
            retry=Retry(NoBackoff(), 0),
            decode_responses=True,
        )
        return cls(client, prefix=prefix)

    def key(self, *parts: str) -> str:
        return ":".join((self.prefix, *parts))

    def call(self, use: Callable[[redis.Redis], T], fallback: Callable[[], T]) -> T:
        """`use(client)`, or `fallback()` while Redis is down (retried after `retry_after` s)."""
        if self._clock() < self._down_until:
            return fallback()
        try:
            result = use(self.client)
        except redis.RedisError as exc:
            self._failed(exc)
            return fallback()
        if self.up is not True:
            self._set_up()
        return result

    def check(self) -> bool:
        """Ask Redis now (PING), unless it failed less than `retry_after` s ago; for /healthz."""
        return bool(self.call(lambda r: bool(r.ping()), lambda: False))

    def close(self) -> None:
        self.client.close()

    def _failed(self, exc: redis.RedisError) -> None:
        with self._lock:
            self._down_until = self._clock() + self.retry_after
            was_up, self.up = self.up, False
        if was_up is not False:
            log.warning(
                "redis unreachable (%s): using local state; retrying every %g s",
                type(exc).__name__, self.retry_after, extra={"shared_state": "local"},
            )

    def _set_up(self) -> None:
        with self._lock:
            was_up, self.up = self.up, True
        if was_up is False:
            log.warning("redis is back: shared state in use again", extra={"shared_state": "redis"})


class RedisContext:
    """A `ContextStore`: each conversation's last turn, shared by every replica."""

    def __init__(
        self, link: RedisLink, *, ttl: float = CONTEXT_TTL, local: MemoryContext | None = None
    ) -> None:
        self._link = link
        self._ttl = ttl
        self._local = local if local is not None else MemoryContext(ttl=ttl)

    def get(self, conversation: str) -> Turn | None:
        key = self._link.key("context", conversation)
        return self._link.call(
            lambda r: _turn(_text(r.get(key))), lambda: self._local.get(conversation)
        )

    def put(self, conversation: str, turn: Turn) -> None:
        self._local.put(conversation, turn)
        key, value = self._link.key("context", conversation), _dump(turn)
        self._link.call(lambda r: r.set(key, value, ex=int(self._ttl)), lambda: None)


class RedisSeen:
    """A `Seen`: an event id is first once across every replica (SET NX with a ttl)."""

    def __init__(
        self, link: RedisLink, *, ttl: float = SEEN_TTL, local: MemorySeen | None = None
    ) -> None:
        self._link = link
        self._ttl = ttl
        self._local = local if local is not None else MemorySeen(ttl=ttl)

    def first(self, key: str) -> bool:
        local = self._local.first(key)
        name = self._link.key("seen", key)
        return self._link.call(
            lambda r: bool(r.set(name, "1", nx=True, ex=int(self._ttl))), lambda: local
        )


@dataclass
class State:
    """The stores one process uses: in Redis (with `link`) or in its own memory."""

    context: ContextStore
    seen: Seen
    link: RedisLink | None = None

    def describe(self) -> dict[str, object]:
        """What /healthz says about shared state (asks Redis, bounded by its timeout)."""
        if self.link is None:
            return {"backend": "memory", "up": True}
        up = self.link.check()
        return {"backend": "redis", "up": up, **({} if up else {"fallback": "local"})}

    def close(self) -> None:
        if self.link is not None:
            self.link.close()


def open_state(settings: Settings) -> State:
    """Redis-backed stores if REDIS_URL is set (nothing is asked yet), else in-memory ones."""
    if settings.redis_url is None:
        return State(MemoryContext(), MemorySeen())
    link = RedisLink.from_url(settings.redis_url.get_secret_value(), prefix=settings.redis_prefix)
    return state_on(link)


def state_on(link: RedisLink) -> State:
    return State(RedisContext(link), RedisSeen(link), link)


def _dump(turn: Turn) -> str:
    return json.dumps(
        {"f": turn.fact_id, "q": turn.question, "s": list(turn.suggestions), "at": time.time()},
        ensure_ascii=False,
    )


def _text(value: object) -> str | None:
    if value is None:
        return None
    return value.decode() if isinstance(value, bytes) else str(value)


def _turn(raw: str | None) -> Turn | None:
    if raw is None:
        return None
    try:
        data = json.loads(raw)
        return Turn(data["f"], str(data["q"]), tuple(data.get("s") or ()), float(data["at"]))
    except (ValueError, KeyError, TypeError):
        log.warning("unreadable conversation turn in redis: ignored")
        return None
