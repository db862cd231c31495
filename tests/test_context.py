"""Conversation memory is bounded in size and in time."""

from __future__ import annotations

from bot.context import Turn
from operations.memory import MemoryContext


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_turn_expires_after_its_time() -> None:
    clock = Clock()
    store = MemoryContext(ttl=60, clock=clock)
    store.put("c", Turn("pandas_loan", "are the pandas a gift?"))
    clock.now += 59
    assert store.get("c") is not None
    clock.now += 2
    assert store.get("c") is None


def test_the_oldest_conversation_is_forgotten_first() -> None:
    store = MemoryContext(max_conversations=2)
    for key in ("a", "b", "c"):
        store.put(key, Turn(None, key))
    assert store.get("a") is None
    assert [store.get(k).question for k in ("b", "c")] == ["b", "c"]  # type: ignore[union-attr]
    assert len(store) == 2
