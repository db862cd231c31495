"""When the question log's database is down: the state, when to try again, one line a change.

    outage = Outage(store, spool, RECONNECT)
    outage.down(exc)         # a failed try: "is down" (once), next try 0.5 s, 1 s, 2 s… later
    outage.due()             # time to try again?
    outage.back(sent)        # it answered: "is back" (once), "flushed N"
"""

from __future__ import annotations

import logging
import time

from bot import ConfigError
from operations.questionlog.spool import Spool
from operations.questionlog.store import Store, reason

log = logging.getLogger("summit_bot.questionlog")

RECONNECT = (0.5, 30.0)  # seconds before the first try of a database that is down, and at most


class Outage:
    """Whether the database answers, when to try it again, and the one line per change."""

    def __init__(self, store: Store, spool: Spool, delays: tuple[float, float]) -> None:
        self.errors: tuple[type[Exception], ...] = (*store.outage, ConfigError)
        self.up = store.migrated  # not yet: `open_store(offline=True)` found it down
        self._target, self._spool = store.target, spool
        self._first, self._most = delays
        self._delay = 0.0
        self._next_try = 0.0

    def due(self) -> bool:
        return (not self.up or bool(len(self._spool))) and time.monotonic() >= self._next_try

    def wait(self) -> float:
        """How long the writer may wait for a row before it should try the database again."""
        if self.up and not len(self._spool):
            return 3600.0  # idle for an hour: time to purge, if it is due
        return max(0.0, self._next_try - time.monotonic())

    def down(self, exc: Exception, *, starting: bool = False) -> None:
        self._delay = min(self._most, self._delay * 2 or self._first)
        self._next_try = time.monotonic() + self._delay
        if self.up or starting:
            self.up = False
            log.warning(
                "question log %s is down%s (%s): keeping questions in %s until it is back",
                self._target, " at start: degraded, answering on" if starting else "",
                reason(exc), self._spool.where,
            )

    def back(self, sent: int) -> None:
        self._delay = 0.0
        if not self.up:
            self.up = True
            log.info("question log %s is back", self._target)
        if sent:
            log.info("question log %s: flushed %d spooled row(s)", self._target, sent)
