"""The question log's writer: adapters hand it questions and votes; a thread writes them.

    log = QuestionLog(open_store(settings), salt=..., queue_size=10_000)
    log.question(question, answer, kb_version=...)   # never blocks, never raises
    log.record(feedback)                             # the FeedbackSink the adapters call
    log.flush()                                      # True once all of the above is committed
    log.close()                                      # on shutdown: flush, then stop

An adapter runs on an event loop, so handing over a row is `put_nowait` on a bounded queue:
when the database is slower than the questions for long enough to fill it, new rows are
dropped and counted (`stats().dropped`), never waited for. The thread writes in batches, one
transaction each; a batch that fails is retried, then counted as failed.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from adapters.questionlog.records import Item, feedback_update, logged
from adapters.questionlog.store import Store
from bot import Answer, Feedback, Question

log = logging.getLogger("summit_bot.questionlog")

BATCH = 256
RETRY_DELAYS = (0.05, 0.5, 2.0)
WARN_EVERY = 60.0  # seconds between two "queue full" warnings
PURGE_EVERY = 24 * 3600.0


@dataclass(frozen=True, slots=True)
class LogStats:
    """Counters since start: committed rows and votes, dropped (queue full), failed writes."""

    written: int
    dropped: int
    failed: int
    queued: int


class _Flush:
    def __init__(self) -> None:
        self.done = threading.Event()


_STOP = object()


class QuestionLog:
    """Records every question and vote without blocking the caller (see the module docstring)."""

    def __init__(
        self,
        store: Store,
        *,
        salt: str,
        raw_user_ids: bool = False,
        queue_size: int = 10_000,
        retention_days: int = 0,
        retry_delays: tuple[float, ...] = RETRY_DELAYS,
    ) -> None:
        self.store = store
        self._salt = salt
        self._raw = raw_user_ids
        self._retention = retention_days
        self._delays = retry_delays
        self._queue: queue.Queue[object] = queue.Queue(maxsize=max(1, queue_size))
        self._counts = {"written": 0, "dropped": 0, "failed": 0}
        self._counts_lock = threading.Lock()
        self._warned_at = -WARN_EVERY
        self._purged_at = -PURGE_EVERY
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="question-log", daemon=True)
        self._thread.start()

    # -- the callers' side: never blocks, never raises -----------------------------------------

    def question(
        self, question: Question, answer: Answer, *, kb_version: str, at: datetime | None = None
    ) -> bool:
        """Queue one question and its answer; False if it had to be dropped."""
        try:
            row = logged(question, answer, kb_version=kb_version, salt=self._salt,
                         raw_user_ids=self._raw, at=at)
        except Exception:  # a bug here must not cost anyone their answer
            log.exception("could not make a log row (conversation %s)", question.conversation)
            return False
        return self._offer(row)

    def record(self, feedback: Feedback) -> None:
        """FeedbackSink: the 👍 / 👎 goes onto the logged answer it is about."""
        try:
            self._offer(feedback_update(feedback))
        except Exception:
            log.exception("could not queue feedback (conversation %s)", feedback.conversation)

    def _offer(self, item: Item) -> bool:
        if self._closed:
            return self._drop()
        try:
            self._queue.put_nowait(item)
        except queue.Full:
            return self._drop()
        return True

    def _drop(self) -> bool:
        with self._counts_lock:
            self._counts["dropped"] += 1
            dropped = self._counts["dropped"]
        now = time.monotonic()
        if now - self._warned_at >= WARN_EVERY:
            self._warned_at = now
            log.warning("question log queue full: %d question(s) dropped so far", dropped)
        return False

    def stats(self) -> LogStats:
        with self._counts_lock:
            c = dict(self._counts)
        return LogStats(c["written"], c["dropped"], c["failed"], self._queue.qsize())

    def flush(self, timeout: float | None = 30.0) -> bool:
        """Wait until everything queued so far is committed (or failed); False on timeout."""
        if not self._thread.is_alive():
            return self._queue.empty()
        marker = _Flush()
        try:
            self._queue.put(marker, timeout=timeout)
        except queue.Full:
            return False
        return marker.done.wait(timeout)

    def close(self, timeout: float = 30.0) -> LogStats:
        """Write what is queued, stop the thread, close the store; report what was lost."""
        if not self._closed:
            self._closed = True
            try:
                self._queue.put(_STOP, timeout=timeout)
            except queue.Full:
                log.error("question log: could not stop the writer within %.0f s", timeout)
            self._thread.join(timeout)
            if not self._thread.is_alive():
                self.store.close()
        stats = self.stats()
        if stats.dropped or stats.failed or stats.queued:
            log.warning(
                "question log closed: %d written, %d dropped (queue full), %d failed, %d unwritten",
                stats.written, stats.dropped, stats.failed, stats.queued,
            )
        return stats

    # -- the writer thread ---------------------------------------------------------------------

    def _run(self) -> None:
        self._purge_if_due()
        stopping = False
        while not stopping:
            batch: list[Item] = []
            flushes: list[_Flush] = []
            try:
                item = self._queue.get(timeout=3600)
            except queue.Empty:  # idle for an hour: a good time to purge, if it is due
                self._purge_if_due()
                continue
            while True:
                if item is _STOP:
                    stopping = True
                elif isinstance(item, _Flush):
                    flushes.append(item)
                else:
                    batch.append(item)  # type: ignore[arg-type]
                if stopping or len(batch) >= BATCH:
                    break
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
            if batch:
                self._write(batch)
            for marker in flushes:
                marker.done.set()

    def _write(self, batch: list[Item]) -> None:
        for attempt, delay in enumerate((0.0, *self._delays)):
            if delay:
                time.sleep(delay)  # the writer's own thread: nobody waits on this
            last = attempt == len(self._delays)
            try:
                self.store.write(batch)
            except self.store.errors as exc:
                log.log(
                    logging.ERROR if last else logging.WARNING,
                    "question log %s: writing %d row(s) failed (%s)%s",
                    self.store.target, len(batch), exc, "; giving up" if last else "; retrying",
                )
                continue
            except Exception:  # a bug, not the database: keep the writer alive all the same
                log.exception("question log: writing %d row(s) failed", len(batch))
                continue
            with self._counts_lock:
                self._counts["written"] += len(batch)
            return
        with self._counts_lock:
            self._counts["failed"] += len(batch)

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
