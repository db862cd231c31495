"""What an edit of the fact base would change: replay questions through both, compare answers.

    diff = replay(old_kb, new_kb, ["who came?", "where is it?"])
    print(summary(diff))          # "1 of 2 questions replayed would get a different answer: …"

Each question is replayed on its own (a fresh conversation), through a fresh engine per fact
base, so the live engines' follow-up memory is neither used nor disturbed. An answer changes
when its outcome, its fact, its suggestions or its wording changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot import Answer, KnowledgeBase, Question
from operations import messages
from operations.engines import make_engine

REPLAY_LIMIT = 500  # logged questions replayed on a reload: the most recent distinct ones


@dataclass(frozen=True, slots=True)
class Change:
    question: str
    before: Answer
    after: Answer

    @property
    def was(self) -> str:
        return _describe(self.before)

    @property
    def becomes(self) -> str:
        if self.was == _describe(self.after):
            return f"new wording ({_describe(self.after)})"
        return _describe(self.after)


@dataclass(frozen=True, slots=True)
class Diff:
    old_version: str
    new_version: str
    replayed: int
    changes: tuple[Change, ...]


def replay(old: KnowledgeBase, new: KnowledgeBase, questions: Iterable[str]) -> Diff:
    """Answer each distinct question with both fact bases; keep those whose answer differs."""
    before, after = make_engine(old), make_engine(new)
    changes: list[Change] = []
    asked = list(dict.fromkeys(q.strip() for q in questions if q.strip()))
    for n, text in enumerate(asked):
        question = Question(text, platform="replay", conversation=f"replay:{n}")
        a, b = before.answer(question), after.answer(question)
        if _key(a) != _key(b):
            changes.append(Change(text, a, b))
    return Diff(old.version, new.version, len(asked), tuple(changes))


def summary(diff: Diff, *, limit: int = 10) -> str:
    """The same few lines for `kb diff` and for the admin who reloads."""
    rows = [(c.question, c.was, c.becomes) for c in diff.changes]
    return messages.diff_summary(rows, replayed=diff.replayed, limit=limit)


def fact_questions(*bases: KnowledgeBase) -> list[str]:
    """Every phrasing the fact bases list: what to replay when no question was logged."""
    return [q for kb in bases for fact in kb.facts for q in fact.questions]


def _key(answer: Answer) -> tuple[object, ...]:
    return (answer.outcome, answer.fact_id, tuple(s.fact_id for s in answer.suggestions),
            answer.text)


def _describe(answer: Answer) -> str:
    suggested = [s.fact_id for s in answer.suggestions]
    return messages.answer_summary(str(answer.outcome), answer.fact_id, suggested)
