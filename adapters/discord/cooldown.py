"""A per-user cooldown: at most one question every `seconds` per person, with an injectable clock.

    cooldown = Cooldown(3.0)
    if (wait := cooldown.wait("42")) > 0:
        ...  # tell them politely; warn() is True only for the first refusal in a wait
"""

from __future__ import annotations

import time
from collections.abc import Callable


class Cooldown:
    """Remembers when each user last got an answer; bounded so a big server cannot grow it."""

    def __init__(
        self,
        seconds: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        max_users: int = 10_000,
    ) -> None:
        self.seconds = seconds
        self.clock = clock
        self._max_users = max_users
        self._last: dict[str, float] = {}
        self._warned: set[str] = set()

    def wait(self, user: str) -> float:
        """0.0 if `user` may ask now (and their turn is taken), else the seconds left to wait."""
        if self.seconds <= 0:
            return 0.0
        now = self.clock()
        last = self._last.get(user)
        if last is not None and now - last < self.seconds:
            return self.seconds - (now - last)
        if len(self._last) >= self._max_users:
            self._forget(now)
        self._last[user] = now
        self._warned.discard(user)
        return 0.0

    def warn(self, user: str) -> bool:
        """True the first time it is called during a user's wait: say it once, then stay quiet."""
        if user in self._warned:
            return False
        self._warned.add(user)
        return True

    def _forget(self, now: float) -> None:
        expired = [u for u, at in self._last.items() if now - at >= self.seconds]
        for user in expired or list(self._last)[: len(self._last) // 2]:
            del self._last[user]
            self._warned.discard(user)
