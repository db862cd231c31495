"""Safe reloads of the fact base: validate, replay, swap; on any error the old one stays live.

    reloader = Reloader(bot, "knowledge/summit.yaml", questions=recent)
    result = reloader.reload()       # ReloadResult: ok?, changed?, the message for the admin
    Watcher(reloader, interval=2.0).start()            # reload when the file changes
    await Admin(reloader, {"U0ADMIN"}).reload("U0ADMIN")   # what /summit reload and /reload say

A reload loads and validates the file, builds the new engine, replays recent questions (the
last REPLAY_LIMIT distinct ones logged) through the old and the new fact base (the same
comparison and summary as `summit-bot kb diff`), only then swaps the live engine, and logs
"reload: N of M replayed questions answer differently".
Reloads run one at a time, on a worker thread, never on the event loop.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path

from bot import ConfigError, KnowledgeBase, KnowledgeError
from knowledge.loader import load_knowledge
from operations import messages
from operations.engines import make_engine
from operations.kbdiff import REPLAY_LIMIT, Diff, fact_questions, replay, summary
from operations.live import Bot

log = logging.getLogger("summit_bot.reload")


@dataclass(frozen=True, slots=True)
class ReloadResult:
    ok: bool
    changed: bool
    message: str
    diff: Diff | None = None


class Reloader:
    """Reloads one fact base file into a `Bot` (see the module docstring)."""

    def __init__(
        self,
        bot: Bot,
        path: str | Path,
        *,
        questions: Callable[[], list[str]] | None = None,
    ) -> None:
        self.bot = bot
        self.path = Path(path)
        self._questions = questions
        self._lock = threading.Lock()
        self.listeners: list[Callable[[KnowledgeBase], None]] = []
        """Called with each fact base that goes live (e.g. to update a version metric)."""

    def reload(self) -> ReloadResult:
        with self._lock:
            return self._reload()

    def _reload(self) -> ReloadResult:
        old = self.bot.knowledge
        try:
            new = load_knowledge(self.path)
        except KnowledgeError as exc:
            return self._failed(old, str(exc))
        if new.version == old.version:
            return ReloadResult(True, False, messages.RELOAD_UNCHANGED.format(version=old.version))
        try:
            diff = replay(old, new, self._replay_questions(old, new))
            engine = make_engine(new, tuning=self.bot.engine.tuning)
        except Exception as exc:  # a fact base the engine chokes on must never go live
            log.exception("the new fact base %s failed its replay", self.path)
            return self._failed(old, f"{self.path}: {type(exc).__name__}: {exc}")
        self.bot.swap(engine)
        for listener in self.listeners:
            listener(new)
        done = messages.RELOAD_DONE.format(old=old.version, new=new.version, facts=len(new.facts))
        log.info("fact base %s reloaded: version %s -> %s", self.path, old.version, new.version)
        log.info(messages.RELOAD_REPLAYED, len(diff.changes), diff.replayed)
        return ReloadResult(True, True, f"{done}\n{summary(diff)}", diff)

    def _replay_questions(self, old: KnowledgeBase, new: KnowledgeBase) -> list[str]:
        logged: list[str] = []
        if self._questions is not None:
            try:
                logged = self._questions()
            except ConfigError as exc:  # its database is down, say: that is no bug
                log.warning("could not read logged questions to replay: %s", exc)
            except Exception:  # the log being unreadable must not block a reload
                log.warning("could not read logged questions to replay", exc_info=True)
        distinct = list(dict.fromkeys(q.strip() for q in logged if q.strip()))
        return distinct[:REPLAY_LIMIT] or fact_questions(old, new)

    def _failed(self, old: KnowledgeBase, error: str) -> ReloadResult:
        log.error("fact base reload refused, version %s stays live: %s", old.version, error)
        return ReloadResult(False, False, messages.RELOAD_FAILED.format(
            version=old.version, error=error))


class Watcher:
    """Polls the fact base file's modification time and size; reloads when they change."""

    def __init__(self, reloader: Reloader, *, interval: float = 2.0) -> None:
        self.reloader = reloader
        self.interval = interval
        self._seen = self._stamp()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _stamp(self) -> tuple[int, int] | None:
        try:
            stat = os.stat(self.reloader.path)
        except OSError:
            return None  # moved away for a moment while an editor saves: wait for it
        return stat.st_mtime_ns, stat.st_size

    def check(self) -> ReloadResult | None:
        """One poll: reload if the file changed since the last poll; None if it did not."""
        stamp = self._stamp()
        if stamp is None or stamp == self._seen:
            return None
        self._seen = stamp
        return self.reloader.reload()

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="kb-watch", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(10)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.check()
            except Exception:  # keep watching whatever one reload did
                log.exception("watching %s failed", self.reloader.path)


class Admin:
    """Who may reload from chat, and what they (or anyone else) are told."""

    def __init__(self, reloader: Reloader | None, admin_ids: Collection[str]) -> None:
        self.reloader = reloader
        self.admin_ids = frozenset(admin_ids)

    @property
    def enabled(self) -> bool:
        return self.reloader is not None and bool(self.admin_ids)

    def allowed(self, user_id: str) -> bool:
        return self.reloader is not None and user_id in self.admin_ids

    async def reload(self, user_id: str) -> str:
        """The reply to a reload command from `user_id`: a refusal, the error, or the summary."""
        if self.reloader is None or not self.allowed(user_id):
            log.info("reload refused for user %s", user_id)
            return messages.RELOAD_REFUSED
        log.info("reload asked by admin %s", user_id)
        result = await asyncio.to_thread(self.reloader.reload)
        return result.message


def is_reload(text: str) -> bool:
    """True for the reload command ("reload", any case, surrounding spaces)."""
    return text.strip().casefold() == messages.RELOAD_COMMAND
