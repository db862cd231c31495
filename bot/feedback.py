"""Feedback on answers (the 👍 / 👎 buttons): the value adapters send and where it goes."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol


class Vote(StrEnum):
    UP = "up"
    DOWN = "down"


@dataclass(frozen=True, slots=True)
class Feedback:
    """One person's vote on one answer."""

    platform: str
    conversation: str
    user: str
    fact_id: str
    vote: Vote


class FeedbackSink(Protocol):
    """Where feedback is recorded. Must not block for long; must not raise."""

    def record(self, feedback: Feedback) -> None: ...


class MemoryFeedback:
    """Keeps feedback in a list: the default, and a test double."""

    def __init__(self) -> None:
        self.items: list[Feedback] = []

    def record(self, feedback: Feedback) -> None:
        self.items.append(feedback)
