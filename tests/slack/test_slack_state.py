"""The retry memory: each key is new once, until it expires."""

from __future__ import annotations

import pytest

from operations.memory import MemorySeen


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_key_is_first_once() -> None:
    seen = MemorySeen()
    assert seen.first("Ev1") and not seen.first("Ev1") and seen.first("Ev2")


def test_keys_expire_after_the_ttl() -> None:
    clock = Clock()
    seen = MemorySeen(ttl=360, clock=clock)
    seen.first("Ev1")
    clock.now = 359  # Slack's last retry comes about 5 minutes after the first delivery
    assert not seen.first("Ev1")
    clock.now = 361
    assert seen.first("Ev1") and len(seen) == 1


def test_memory_is_bounded_oldest_out_first() -> None:
    seen = MemorySeen(limit=3)
    for key in "abcd":
        seen.first(key)
    assert len(seen) == 3
    assert seen.first("a") and not seen.first("d")


def test_nonsense_bounds_are_refused() -> None:
    with pytest.raises(ValueError):
        MemorySeen(ttl=0)
