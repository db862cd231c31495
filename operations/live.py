"""The bot the adapters hold: the live engine, with conversation memory and the question log.

    bot = Bot(make_engine(kb), log=question_log)   # log=None logs nothing
    bot.ask(Question("who came?"))                  # one call per question: one Answer
    bot.swap(make_engine(new_kb))                   # a reload: the next question uses it
    bot.share_memory(state.context)                 # Redis: same engine, turns shared
    await bot.ask_async(question)                   # the same, off the event loop

`ask` reads the live engine once, hands it the conversation's last turn, keeps the new turn,
times and counts the answer (`observer`), and logs it. A swap is one reference assignment: a
question already being answered finishes on the engine it started with.

The chat adapters await `ask_async`: the same `ask`, run in the bot's one worker thread, so the
event loop stays free to acknowledge Slack's requests within their 3 seconds and to keep
Discord's gateway heartbeat while the engine works. Questions are still answered one at a time,
in the order they came (the engine and the conversation memory see one caller, as before).
When `max_pending` questions are already waiting (MAX_PENDING_QUESTIONS; None, no limit), one
more is told at once that the bot is busy (operations/messages.py) rather than queued: under a
flood, answers do not fall minutes behind and the queue does not grow without bound. Such a
question is logged as turned away, so the organiser's report counts it.
"""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

from bot import Answer, Engine, KnowledgeBase, Outcome, Question, Suggestion
from bot.context import remembered
from operations import messages
from operations.memory import ContextStore, MemoryContext
from operations.questionlog import TURNED_AWAY, QuestionLog

if TYPE_CHECKING:  # the metrics need the platform extras; the console runs without them
    from operations.observe import Observer


class Bot:
    """One per process: what every adapter asks (see the module docstring)."""

    def __init__(
        self,
        engine: Engine,
        *,
        log: QuestionLog | None = None,
        memory: ContextStore | None = None,
        observer: Observer | None = None,
        max_pending: int | None = None,
    ) -> None:
        self.memory: ContextStore = memory if memory is not None else MemoryContext()
        self.max_pending = max_pending
        self._pending = 0  # taken by ask_async and not yet answered
        self._pending_lock = threading.Lock()
        self.observer = observer
        self._engine = engine
        self._log = log
        self._swap_lock = threading.Lock()
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="summit-bot-answer")

    @property
    def observer(self) -> Observer | None:
        return self._observer

    @observer.setter
    def observer(self, observer: Observer | None) -> None:
        """Time, count and log the answers there; its pending gauge reads this bot's count."""
        self._observer = observer
        if observer is not None:
            observer.count_pending(lambda: self._pending)

    @property
    def engine(self) -> Engine:
        return self._engine

    @property
    def knowledge(self) -> KnowledgeBase:
        return self._engine.knowledge

    @property
    def log(self) -> QuestionLog | None:
        return self._log

    def ask(self, question: Question) -> Answer:
        """The answer to `question` in its conversation. An engine error propagates (a bug)."""
        engine = self._engine  # read once: a reload in between does not mix two engines
        last = self.memory.get(question.conversation)

        def reply(asked: Question) -> Answer:
            return engine.answer(asked, last)

        answer = self.observer.answer(reply, question) if self.observer else reply(question)
        turn = remembered(question, answer)
        if turn is not None:
            self.memory.put(question.conversation, turn)
        if self._log is not None:
            self._log.question(question, answer, kb_version=engine.knowledge.version)
        return answer

    async def ask_async(self, question: Question) -> Answer:
        """`ask` in the bot's worker thread; the event loop goes on meanwhile. With
        `max_pending` questions already waiting, at once the answer that the bot is busy."""
        with self._pending_lock:
            busy = self.max_pending is not None and self._pending >= self.max_pending
            if not busy:
                self._pending += 1
        if busy:
            return self._turn_away(question)
        try:
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(self._worker, self.ask, question)
        finally:
            with self._pending_lock:
                self._pending -= 1

    def _turn_away(self, question: Question) -> Answer:
        """The busy answer, counted, and logged as turned away, so the organiser's report
        shows how many questions the limit sent back (it stays out of the memory)."""
        answer = Answer(Outcome.ABSTAINED, messages.BUSY)
        if self.observer:
            self.observer.turned_away(question)
        if self._log is not None:
            version = self._engine.knowledge.version
            self._log.question(question, answer, kb_version=version, outcome=TURNED_AWAY)
        return answer

    def complete(self, prefix: str, *, limit: int = 25) -> tuple[Suggestion, ...]:
        """Questions of the fact base that match what someone is typing (autocomplete)."""
        return self._engine.complete(prefix, limit=limit)

    def swap(self, engine: Engine) -> Engine:
        """Make `engine` live; return the one it replaces. Conversations carry over."""
        with self._swap_lock:
            old, self._engine = self._engine, engine
        return old

    def share_memory(self, store: ContextStore) -> None:
        """Keep conversations in `store` from now on (Redis, shared by replicas); the engine,
        its index and its fit stay as they are."""
        self.memory = store
