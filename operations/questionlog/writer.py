"""The question log's writer: adapters hand it questions and votes; a thread writes them.

    log = QuestionLog(open_store(settings, offline=True), salt=None, spool=Spool(path, limit=…))
    log.question(question, answer, kb_version=...)   # never blocks, never raises
    log.record(feedback)                             # the FeedbackSink the adapters call
    log.flush()                                      # True once all of the above is kept
    log.stats()                                      # counts, and "ok" or "spooling"
    log.close()                                      # on shutdown: flush, then stop

An adapter runs on an event loop, so handing over a row is `put_nowait` on a bounded queue:
when the writer falls behind for long enough to fill it, new rows are dropped and counted
(`stats().dropped`), never waited for. The thread writes in batches, one transaction each; a
batch that fails is retried, then counted as failed.

When the database cannot be reached (`Store.outage`: refused, shut down, timed out), answering
goes on and rows go to a local spool (spool.py), in order, up to its limit (past it they are
dropped and counted). The writer tries the database again after 0.5 s, 1 s, 2 s… (at most every
30 s); when it answers, the spool is sent, oldest first, before any new row. Each change is
one log line: down, back, flushed N.
"""

from __future__ import annotations

import logging
import queue
import sqlite3
import threading
import time
from datetime import UTC, datetime, timedelta

from bot import Answer, Feedback, Question
from operations.questionlog.counts import Counts, LogStats
from operations.questionlog.outage import RECONNECT, Outage
from operations.questionlog.records import Item, feedback_update, logged, salted, storable
from operations.questionlog.spool import Spool
from operations.questionlog.store import Store

log = logging.getLogger("summit_bot.questionlog")

BATCH = 256
RETRY_DELAYS = (0.05, 0.5, 2.0)
PURGE_EVERY = 24 * 3600.0
SPOOL_LIMIT = 100_000


class _Flush:
    def __init__(self) -> None:
        self.done = threading.Event()


_STOP = object()


class QuestionLog:
    """Records every question and vote without blocking the caller (see the module docstring).

    `salt=None`: the one kept in the database, read once it answers.
    """

    def __init__(
        self,
        store: Store,
        *,
        salt: str | None,
        raw_user_ids: bool = False,
        queue_size: int = 10_000,
        retention_days: int = 0,
        retry_delays: tuple[float, ...] = RETRY_DELAYS,
        spool: Spool | None = None,
        reconnect: tuple[float, float] = RECONNECT,
    ) -> None:
        self.store = store
        self._salt = salt
        self._raw = raw_user_ids
        self._retention = retention_days
        self._delays = retry_delays
        self._spool = spool if spool is not None else Spool(None, limit=SPOOL_LIMIT)
        self._outage = Outage(store, self._spool, reconnect)
        self._queue: queue.Queue[object] = queue.Queue(maxsize=max(1, queue_size))
        self._counts = Counts()
        self._purged_at = -PURGE_EVERY
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="question-log", daemon=True)
        self._thread.start()

    # -- the callers' side: never blocks, never raises -----------------------------------------

    def question(
        self,
        question: Question,
        answer: Answer,
        *,
        kb_version: str,
        at: datetime | None = None,
        outcome: str | None = None,
    ) -> bool:
        """Queue one question and its answer (`outcome`: see `logged`); False if dropped."""
        try:
            row = storable(logged(question, answer, kb_version=kb_version, salt=self._salt,
                                  raw_user_ids=self._raw, at=at, outcome=outcome))
        except Exception:  # a bug here must not cost anyone their answer
            log.exception("could not make a log row (conversation %s)", question.conversation)
            return False
        return self._offer(row)

    def record(self, feedback: Feedback) -> None:
        """FeedbackSink: the 👍 / 👎 goes onto the logged answer it is about."""
        try:
            self._offer(storable(feedback_update(feedback)))
        except Exception:
            log.exception("could not queue feedback (conversation %s)", feedback.conversation)

    def _offer(self, item: Item) -> bool:
        if self._closed:
            return self._counts.drop()
        try:
            self._queue.put_nowait(item)
        except queue.Full:
            return self._counts.drop()
        return True

    def stats(self) -> LogStats:
        return self._counts.stats(
            queued=self._queue.qsize(), spooled=len(self._spool), up=self._outage.up
        )

    def flush(self, timeout: float | None = 30.0) -> bool:
        """Wait until everything queued so far is committed, spooled or failed; False on
        timeout."""
        if not self._thread.is_alive():
            return self._queue.empty()
        marker = _Flush()
        try:
            self._queue.put(marker, timeout=timeout)
        except queue.Full:
            return False
        return marker.done.wait(timeout)

    def close(self, timeout: float = 30.0) -> LogStats:
        """Write what is queued (one last try of a database that is down: what it does not
        take stays in the spool for the next start), stop the thread, close the store."""
        if not self._closed:
            self._closed = True
            try:
                self._queue.put(_STOP, timeout=timeout)
            except queue.Full:
                log.error("question log: could not stop the writer within %.0f s", timeout)
            self._thread.join(timeout)
            if not self._thread.is_alive():
                self.store.close()
                self._spool.close()
        stats = self.stats()
        if stats.dropped or stats.failed or stats.queued or stats.spooled:
            log.warning(
                "question log closed: %d written, %d dropped, %d failed, %d unwritten, "
                "%d left in the spool %s", stats.written, stats.dropped, stats.failed,
                stats.queued, stats.spooled, self._spool.where,
            )
        return stats

    # -- the writer thread ---------------------------------------------------------------------

    def _run(self) -> None:
        self._recover(starting=True)
        stopping = False
        while not stopping:
            try:
                item = self._queue.get(timeout=self._outage.wait())
            except queue.Empty:  # idle: try a database that is down, purge if due
                if self._recover():
                    self._purge_if_due()
                continue
            batch, flushes, stopping = self._take(item)
            if batch:
                self._deliver(batch)
            for marker in flushes:
                marker.done.set()
        if len(self._spool) or not self._outage.up:
            self._recover(now=True)  # one last try, so that a clean stop leaves nothing behind

    def _take(self, item: object) -> tuple[list[Item], list[_Flush], bool]:
        """`item` and whatever else is queued, up to a batch: (rows, flush markers, stop?)."""
        batch: list[Item] = []
        flushes: list[_Flush] = []
        while True:
            if item is _STOP:
                return batch, flushes, True
            if isinstance(item, _Flush):
                flushes.append(item)
            else:
                batch.append(item)  # type: ignore[arg-type]
            if len(batch) >= BATCH:
                return batch, flushes, False
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                return batch, flushes, False

    def _deliver(self, batch: list[Item]) -> None:
        """To the database; behind what is spooled, and to the spool while it is down."""
        if (len(self._spool) or not self._outage.up) and not self._recover():
            self._to_spool(batch)
            return
        try:
            self._write(batch)
        except self._outage.errors as exc:
            self._outage.down(exc)
            self._to_spool(batch)

    def _to_spool(self, batch: list[Item]) -> None:
        rows = [salted(item, self._salt) for item in batch] if self._salt else batch
        try:
            kept = self._spool.add(rows)
        except (OSError, sqlite3.Error) as exc:  # a full disk, say
            kept = 0
            log.error("question log spool %s: cannot keep %d row(s) (%s)", self._spool.where,
                      len(rows), exc)
        if kept < len(batch):
            self._counts.drop(len(batch) - kept, f"spool full ({self._spool.limit} rows)")

    def _recover(self, *, starting: bool = False, now: bool = False) -> bool:
        """If a try is due: reach the database, then send the spool, oldest first. True when
        the database answers and the spool is empty."""
        if not (starting or now or self._outage.due()):
            return self._outage.up and not len(self._spool)
        sent = 0
        try:
            if not self.store.migrated:
                self.store.migrate()
            if self._salt is None:
                self._salt = self.store.salt()
            while len(self._spool):
                upto, rows = self._spool.peek(BATCH)
                self._write(rows)
                self._spool.remove(upto)
                sent += len(rows)
        except self._outage.errors as exc:
            self._outage.down(exc, starting=starting)
            return False
        except Exception as exc:  # a bug, or the spool's own disk: keep the writer alive
            log.exception("question log: sending the spool failed")
            self._outage.down(exc, starting=starting)
            return False
        self._outage.back(sent)
        self._purge_if_due()
        return True

    def _write(self, batch: list[Item]) -> None:
        """Write, retrying a failed transaction; raise an outage that a reconnect did not cure."""
        rows = [salted(item, self._salt) for item in batch] if self._salt else batch
        for attempt, delay in enumerate((0.0, *self._delays)):
            if delay:
                time.sleep(delay)  # the writer's own thread: nobody waits on this
            last = attempt == len(self._delays)
            try:
                self.store.write(rows)
            except self._outage.errors:
                if attempt or last:  # the first may be a stale connection: reopened, once
                    raise
                continue
            except self.store.errors as exc:
                log.log(
                    logging.ERROR if last else logging.WARNING,
                    "question log %s: writing %d row(s) failed (%s)%s",
                    self.store.target, len(rows), exc, "; giving up" if last else "; retrying",
                )
                continue
            except Exception:  # a bug, not the database: keep the writer alive all the same
                log.exception("question log: writing %d row(s) failed", len(rows))
                continue
            self._counts.add("written", len(rows))
            return
        self._counts.add("failed", len(rows))

    def _purge_if_due(self) -> None:
        now = time.monotonic()
        if self._retention <= 0 or now - self._purged_at < PURGE_EVERY:
            return
        self._purged_at = now
        before = datetime.now(UTC) - timedelta(days=self._retention)
        try:
            gone = self.store.purge(before=before)
        except self.store.errors as exc:
            log.warning("question log: purging old questions failed (%s)", exc)
            return
        if gone:
            log.info("question log: purged %d question(s) older than %d days", gone,
                     self._retention)

