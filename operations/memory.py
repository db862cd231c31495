"""In-process memory: each conversation's last turn, and which platform events were handled.

    memory = MemoryContext()                  # what `Bot` keeps follow-ups in by default
    seen = MemorySeen(ttl=3600)
    seen.first("slack:event:Ev01")            # True: handle it; False: a retry, drop it

Slack redelivers an event up to 3 times when it is not acknowledged within 3 s (retries after
about 1 s, 1 min and 5 min, as of 2025), so the adapter remembers event ids for longer than
that and answers each event once. These stores are per process; operations/state.py keeps the
same interfaces (`ContextStore`, `Seen`) in Redis so that several replicas agree.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import replace
from typing import Protocol

from bot.context import Turn


class ContextStore(Protocol):
    """Where each conversation's last turn is kept. Must be fast and must not raise."""

    def get(self, conversation: str) -> Turn | None: ...

    def put(self, conversation: str, turn: Turn) -> None: ...


class MemoryContext:
    """Keeps the last turn of up to `max_conversations`, each for `ttl` seconds."""

    def __init__(
        self,
        *,
        max_conversations: int = 10_000,
        ttl: float = 30 * 60,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._turns: OrderedDict[str, Turn] = OrderedDict()
        self._max = max_conversations
        self._ttl = ttl
        self._clock = clock

    def __len__(self) -> int:
        return len(self._turns)

    def get(self, conversation: str) -> Turn | None:
        turn = self._turns.get(conversation)
        if turn is None:
            return None
        if self._clock() - turn.at > self._ttl:
            del self._turns[conversation]
            return None
        return turn

    def put(self, conversation: str, turn: Turn) -> None:
        self._turns[conversation] = replace(turn, at=self._clock())
        self._turns.move_to_end(conversation)
        while len(self._turns) > self._max:
            self._turns.popitem(last=False)


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
