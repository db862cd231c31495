"""The organiser features around the engine: the live engine, the question log, reloads.

    with Ops.open("knowledge/summit.yaml", ops_settings, log=True, watch=True) as ops:
        console.run(ops.bot)           # or build_app(ops.bot, ..., feedback=ops.feedback)

`close()` (or leaving the `with`) stops the watcher and flushes the log, so a clean shutdown
loses no question; what could not be written is counted and logged.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

from bot import FeedbackSink, KnowledgeBase, MemoryFeedback
from knowledge.loader import load_knowledge
from operations.engines import make_engine
from operations.kbdiff import REPLAY_LIMIT
from operations.live import Bot
from operations.ops_settings import OpsSettings
from operations.questionlog import LogStats, QuestionLog, open_store
from operations.questionlog.spool import SPOOL_FILE, Spool
from operations.reload import Admin, Reloader, Watcher

log = logging.getLogger("summit_bot.ops")


class Ops:
    def __init__(
        self,
        bot: Bot,
        reloader: Reloader,
        settings: OpsSettings,
        *,
        watcher: Watcher | None = None,
    ) -> None:
        self.bot = bot
        self.reloader = reloader
        self.settings = settings
        self.watcher = watcher
        self.admin = Admin(reloader, settings.admin_user_ids)
        self._feedback: FeedbackSink = bot.log if bot.log is not None else MemoryFeedback()

    @classmethod
    def open(
        cls,
        kb_path: str | Path,
        settings: OpsSettings,
        *,
        log: bool = True,
        watch: bool = False,
    ) -> Ops:
        """Load the fact base and open the log (KnowledgeError/ConfigError if either fails)."""
        kb = load_knowledge(kb_path)
        question_log = _open_log(settings) if log else None
        bot = Bot(make_engine(kb), log=question_log)
        recent = None
        if question_log is not None:
            def recent() -> list[str]:  # what was asked up to now, written first
                question_log.flush(timeout=5.0)
                return _recent_questions(settings)
        reloader = Reloader(bot, kb_path, questions=recent)
        watcher = None
        if watch and settings.kb_watch_seconds > 0:
            watcher = Watcher(reloader, interval=settings.kb_watch_seconds)
            watcher.start()
        return cls(bot, reloader, settings, watcher=watcher)

    def adapter_options(self, on_reload: Callable[[KnowledgeBase], None]) -> dict[str, Any]:
        """What a platform adapter takes from operations: where votes go, who may reload.

        `on_reload` is told of every new fact base (the adapter's version metric follows it).
        """
        self.reloader.listeners.append(on_reload)
        return {"feedback": self.feedback, "admin": self.admin}

    @property
    def feedback(self) -> FeedbackSink:
        """Where the adapters' 👍 / 👎 go: onto the logged answers (nowhere with --no-log)."""
        return self._feedback

    def close(self) -> LogStats | None:
        if self.watcher is not None:
            self.watcher.stop()
        if self.bot.log is None:
            return None
        return self.bot.log.close()

    def __enter__(self) -> Ops:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def _open_log(settings: OpsSettings) -> QuestionLog:
    """The writer. A database that is down does not stop a start: the writer spools (in
    DATA_DIR) until it answers, and says so in the log and on /healthz."""
    store = open_store(settings, offline=True)
    log.info("logging questions to %s", store.target)
    spool = Spool(settings.data_dir / SPOOL_FILE, limit=settings.log_spool_size)
    return QuestionLog(
        store,
        salt=settings.log_user_salt or None,  # None: the log's own, read by the writer
        raw_user_ids=settings.log_raw_user_ids,
        queue_size=settings.log_queue_size,
        retention_days=settings.log_retention_days,
        spool=spool if store.outage else None,  # SQLite is local: nothing to wait for
    )


def _recent_questions(settings: OpsSettings) -> list[str]:
    with open_store(settings) as store:
        return store.recent_texts(limit=REPLAY_LIMIT)
