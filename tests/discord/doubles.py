"""Test doubles for the Discord tests: the token, engines that spy or fail, the connect type."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager

from adapters.discord import SummitClient
from bot import Answer, Engine, Question, Suggestion
from bot.context import Turn

TOKEN = "MTAwMDAwMDAwMDAwMDAwMDAx.fake.token-for-tests-only"

Connect = Callable[..., AbstractAsyncContextManager[SummitClient]]
"""`connect(env=None, *, shards=1, engine=None, limiter=None, **shard_options)`: see
conftest.connect."""


class SpyEngine:
    """The real engine, remembering every question the adapter asked it."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.knowledge = engine.knowledge
        self.questions: list[Question] = []

    def answer(self, question: Question, last: Turn | None = None) -> Answer:
        self.questions.append(question)
        return self.engine.answer(question, last)

    def complete(self, prefix: str, *, limit: int = 25) -> tuple[Suggestion, ...]:
        return self.engine.complete(prefix, limit=limit)


class BrokenEngine(SpyEngine):
    """An engine that fails for some question texts, as a bug would."""

    def __init__(self, engine: Engine, *, fail_on: set[str]) -> None:
        super().__init__(engine)
        self.fail_on = fail_on

    def answer(self, question: Question, last: Turn | None = None) -> Answer:
        if question.text in self.fail_on:
            raise RuntimeError("the engine exploded")
        return super().answer(question, last)
