"""What the engine remembers per conversation, so "source?" and "more" know what they follow.

The store is a small interface so that several replicas can share it (Redis, later); the
default keeps conversations in memory, bounded in number and in time.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Turn:
    """The last answer in a conversation: its fact, the question, any suggestions."""

    fact_id: str | None
    question: str
    suggestions: tuple[str, ...] = ()
    at: float = 0.0


class ContextStore(Protocol):
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
        self._turns[conversation] = Turn(
            turn.fact_id, turn.question, turn.suggestions, at=self._clock()
        )
        self._turns.move_to_end(conversation)
        while len(self._turns) > self._max:
            self._turns.popitem(last=False)
