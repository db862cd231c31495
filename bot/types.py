"""The values that go in and out of the engine: a question in, an answer out."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Outcome(StrEnum):
    """What the engine did with a question."""

    ANSWERED = "answered"  # a fact answers it
    SUGGESTED = "did_you_mean"  # unsure between facts: suggestions offered, nothing asserted
    ABSTAINED = "abstained"  # the fact base does not answer it
    COMMAND = "command"  # help, topics, source, more, about, greetings


@dataclass(frozen=True, slots=True)
class Question:
    """A question as a person typed it, and where it was asked.

    `conversation` keys the follow-up context ("source?", "more"): a Slack thread, a Discord
    channel and user, a console session. `fact_id` is set when the person picked a fact
    explicitly (a "did you mean" button); then `text` may be empty (answer that fact) or a
    command about it ("source", "more").
    """

    text: str
    platform: str = "console"
    conversation: str = "console"
    user: str = ""
    fact_id: str | None = None


@dataclass(frozen=True, slots=True)
class Source:
    """Where an answer comes from: a paragraph of the article and a short quote of it."""

    document: str
    paragraph: int
    quote: str


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A fact offered as "did you mean": its id and a question that asks it."""

    fact_id: str
    question: str


@dataclass(frozen=True, slots=True)
class Answer:
    """The engine's reply. `text` is exactly what a chat user sees (plain text, no markup).

    For a question answered from the fact base, `runner_up` is the next fact the ranker found
    and `lead` how far ahead of it the answer's fact was (ranker scores, in [0, 1]): a small
    lead is a close call, for the question log's report.
    """

    outcome: Outcome
    text: str
    fact_id: str | None = None
    confidence: float = 0.0
    suggestions: tuple[Suggestion, ...] = ()
    source: Source | None = None
    has_more: bool = False
    runner_up: str | None = None
    lead: float | None = None

    @property
    def answered(self) -> bool:
        """True when a fact answers the question (not a command, suggestion or abstention)."""
        return self.outcome is Outcome.ANSWERED
