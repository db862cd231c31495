"""Small state that adapters share: which platform events were already handled.

Slack redelivers an event up to 3 times when it is not acknowledged within 3 s (retries after
about 1 s, 1 min and 5 min, as of 2025), so the adapter remembers event ids for longer than
that and answers each event once:

    seen = MemorySeen(ttl=3600)
    seen.first("slack:event:Ev01")   # True: handle it
    seen.first("slack:event:Ev01")   # False: a retry, drop it

`MemorySeen` is per process; a shared store (Redis) implements the same `Seen` interface so
that several replicas behind a load balancer agree.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Protocol


class Seen(Protocol):
    """Remembers keys for a while; must be fast and must not raise."""

    def first(self, key: str) -> bool:
        """True the first time `key` is offered (within the store's memory), False after."""
        ...


class MemorySeen:
    """An in-memory `Seen`: keys expire after `ttl` seconds; at most `limit` keys are kept."""

    def __init__(
        self,
        *,
        ttl: float = 3600.0,
        limit: int = 100_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if ttl <= 0 or limit <= 0:
            raise ValueError("ttl and limit must be positive")
        self._ttl = ttl
        self._limit = limit
        self._clock = clock
        self._expiry: OrderedDict[str, float] = OrderedDict()

    def first(self, key: str) -> bool:
        now = self._clock()
        # Keys are inserted with a constant ttl, so the oldest always expires first.
        while self._expiry and next(iter(self._expiry.values())) <= now:
            self._expiry.popitem(last=False)
        if key in self._expiry:
            return False
        self._expiry[key] = now + self._ttl
        if len(self._expiry) > self._limit:
            self._expiry.popitem(last=False)
        return True

    def __len__(self) -> int:
        return len(self._expiry)
