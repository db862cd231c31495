"""The bot the adapters hold, around whatever engine (or engine double) a test gives; and an
observer that holds answers in the engine, to ask while it works."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from bot import Answer, Question
from operations.live import Bot
from operations.observe import Observer


def as_bot(engine: Any) -> Bot:
    """`engine` as a `Bot` with its own conversation memory (a `Bot` is passed through)."""
    return engine if isinstance(engine, Bot) else Bot(engine)


class HeldObserver(Observer):
    """Holds each answer in the engine until the test sets `go_on`; `working` says one is held."""

    def __init__(self) -> None:
        super().__init__()
        self.working, self.go_on = threading.Event(), threading.Event()

    def answer(self, reply: Callable[[Question], Answer], question: Question) -> Answer:
        self.working.set()
        assert self.go_on.wait(5)
        return super().answer(reply, question)
