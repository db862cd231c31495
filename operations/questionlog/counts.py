"""The question log's counters: written, dropped and failed rows, read as `LogStats`."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

log = logging.getLogger("summit_bot.questionlog")

WARN_EVERY = 60.0  # seconds between two "queue full" warnings
OK, SPOOLING = "ok", "spooling"


@dataclass(frozen=True, slots=True)
class LogStats:
    """Counters since start: committed rows and votes, dropped (queue or spool full), failed
    writes; rows waiting in the queue and in the spool; "ok", or "spooling" (database down)."""

    written: int
    dropped: int
    failed: int
    queued: int
    spooled: int = 0
    state: str = OK


class Counts:
    """Thread-safe counters, shared by the callers' side and the writer thread."""

    def __init__(self) -> None:
        self._counts = {"written": 0, "dropped": 0, "failed": 0}
        self._lock = threading.Lock()
        self._warned_at = -WARN_EVERY

    def add(self, name: str, count: int) -> None:
        with self._lock:
            self._counts[name] += count

    def drop(self, count: int = 1, why: str = "queue full") -> bool:
        """Count dropped rows, warning at most once a minute; False (for the caller)."""
        with self._lock:
            self._counts["dropped"] += count
            dropped = self._counts["dropped"]
        now = time.monotonic()
        if now - self._warned_at >= WARN_EVERY:
            self._warned_at = now
            log.warning("question log %s: %d question(s) dropped so far", why, dropped)
        return False

    def stats(self, *, queued: int, spooled: int, up: bool) -> LogStats:
        with self._lock:
            c = dict(self._counts)
        state = OK if up and not spooled else SPOOLING
        return LogStats(c["written"], c["dropped"], c["failed"], queued, spooled, state)
