"""What a conversation remembers between questions, so "source?" and "more" know what they follow.

The engine is handed the last turn with each question (`Engine.answer(question, last)`) and
never stores one itself; `remembered` says what to keep of an answer. Where turns are kept
(process memory, Redis) is operations' business (operations/memory.py, operations/state.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.types import Answer, Outcome, Question

REMEMBERED_CHARS = 500  # of the last question, for follow-ups: memory stays bounded


@dataclass(frozen=True, slots=True)
class Turn:
    """The last answer in a conversation: its fact, the question, any suggestions."""

    fact_id: str | None
    question: str
    suggestions: tuple[str, ...] = ()
    at: float = 0.0


def remembered(question: Question, answer: Answer) -> Turn | None:
    """The turn to keep after `answer`: facts and suggestions are; commands and "I don't know"
    leave the last turn as it was (None)."""
    if answer.outcome not in (Outcome.ANSWERED, Outcome.SUGGESTED):
        return None
    suggestions = tuple(s.fact_id for s in answer.suggestions)
    return Turn(answer.fact_id, question.text[-REMEMBERED_CHARS:], suggestions)
