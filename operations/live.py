"""The engine the adapters hold: whichever fact base is live now, every question logged.

    live = LiveEngine(kb, log=question_log)      # or log=None to log nothing
    live.answer(Question("who came?"))           # answered by the live engine, logged
    live.swap(live.build(new_kb))                # a reload: the next question uses it

Adapters read `live.answer` per question, so a swap is one reference assignment: a question
already being answered finishes on the engine it started with, and none sees a half-built one.
"""

from __future__ import annotations

import logging
import threading
from typing import Protocol

from bot import Answer, Engine, KnowledgeBase, Question, Suggestion
from bot.context import ContextStore, MemoryContext, Turn
from bot.matching.index import Match, Tuning
from operations.engines import make_engine
from operations.questionlog import QuestionLog

log = logging.getLogger("summit_bot.live")


class Answerer(Protocol):
    """What an adapter needs of an engine (an `Engine`, a `LiveEngine`, a test double)."""

    @property
    def knowledge(self) -> KnowledgeBase: ...

    def answer(self, question: Question) -> Answer: ...

    def complete(self, prefix: str, *, limit: int = 25) -> tuple[Suggestion, ...]: ...


class LiveEngine:
    """An `Answerer` over a swappable engine, recording each question in the log (if any)."""

    def __init__(
        self,
        knowledge: KnowledgeBase,
        *,
        log: QuestionLog | None = None,
        context: ContextStore | None = None,
        tuning: Tuning | None = None,
    ) -> None:
        self.context = SharedContext(context)
        self._tuning = tuning
        self._log = log
        self._swap_lock = threading.Lock()
        self._engine = self.build(knowledge)

    def build(self, knowledge: KnowledgeBase) -> Engine:
        """An engine for `knowledge` that shares this one's follow-up memory and tuning."""
        return make_engine(knowledge, context=self.context.view(knowledge), tuning=self._tuning)

    def share_context(self, store: ContextStore) -> None:
        """Keep follow-ups in `store` from now on (e.g. Redis, shared by replicas)."""
        self.context.store = store
        self.swap(self.build(self.knowledge))

    @property
    def engine(self) -> Engine:
        return self._engine

    @property
    def knowledge(self) -> KnowledgeBase:
        return self._engine.knowledge

    @property
    def tuning(self) -> Tuning:
        return self._engine.tuning

    @property
    def log(self) -> QuestionLog | None:
        return self._log

    def answer(self, question: Question) -> Answer:
        engine = self._engine  # read once: a reload in between does not mix two engines
        reply = engine.answer(question)
        if self._log is not None:
            self._log.question(question, reply, kb_version=engine.knowledge.version)
        return reply

    def complete(self, prefix: str, *, limit: int = 25) -> tuple[Suggestion, ...]:
        return self._engine.complete(prefix, limit=limit)

    def search(self, text: str, *, limit: int = 5) -> list[Match]:
        return self._engine.search(text, limit=limit)

    def swap(self, engine: Engine) -> Engine:
        """Make `engine` live; return the one it replaces."""
        with self._swap_lock:
            old, self._engine = self._engine, engine
        return old


class SharedContext:
    """Follow-up memory that outlives reloads: each engine gets a view of one store.

    A view forgets a turn that points at a fact its fact base no longer has, so "more" or "2"
    after a reload that removed the fact is a fresh question, not an error.
    """

    def __init__(self, store: ContextStore | None = None) -> None:
        self.store: ContextStore = store if store is not None else MemoryContext()

    def view(self, knowledge: KnowledgeBase) -> ContextStore:
        return _KnownFacts(self.store, frozenset(f.id for f in knowledge.facts))


class _KnownFacts:
    def __init__(self, store: ContextStore, facts: frozenset[str]) -> None:
        self._store = store
        self._facts = facts

    def get(self, conversation: str) -> Turn | None:
        turn = self._store.get(conversation)
        if turn is None:
            return None
        ids = [turn.fact_id, *turn.suggestions] if turn.fact_id else list(turn.suggestions)
        return turn if all(i in self._facts for i in ids) else None

    def put(self, conversation: str, turn: Turn) -> None:
        self._store.put(conversation, turn)
