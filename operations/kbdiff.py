"""What an edit of the fact base would change: replay questions through both, compare answers.

    diff = replay(old_kb, new_kb, ["who came?", "where is it?"], liked=liked(logged_rows))
    print(summary(diff))          # "1 of 2 questions replayed would get a different answer: …"

Each question is replayed on its own (a fresh conversation), through a fresh engine per fact
base, so the live engines' follow-up memory is neither used nor disturbed. An answer changes
when its outcome, its fact, its suggestions or its wording changes. Changes to answers someone
gave a 👍 (`liked`) are marked and listed first: those are the ones an edit should not break.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from bot import Answer, KnowledgeBase, Question, Vote
from operations import messages
from operations.engines import make_engine
from operations.questionlog import LoggedQuestion

REPLAY_LIMIT = 500  # logged questions replayed on a reload: the most recent distinct ones


@dataclass(frozen=True, slots=True)
class Change:
    question: str
    before: Answer
    after: Answer
    liked: bool = False  # the question's answer had a 👍 in the log

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


def replay(
    old: KnowledgeBase, new: KnowledgeBase, questions: Iterable[str],
    *, liked: Collection[str] = (),
) -> Diff:
    """Answer each distinct question with both fact bases; keep those whose answer differs,
    the `liked` ones (texts whose answer had a 👍) first."""
    before, after = make_engine(old), make_engine(new)
    changes: list[Change] = []
    asked = list(dict.fromkeys(q.strip() for q in questions if q.strip()))
    for n, text in enumerate(asked):
        question = Question(text, platform="replay", conversation=f"replay:{n}")
        a, b = before.answer(question), after.answer(question)
        if _key(a) != _key(b):
            changes.append(Change(text, a, b, text in liked))
    changes.sort(key=lambda c: not c.liked)  # stable: otherwise in the order asked
    return Diff(old.version, new.version, len(asked), tuple(changes))


def liked(rows: Iterable[LoggedQuestion]) -> frozenset[str]:
    """The logged question texts whose answer got a 👍."""
    return frozenset(r.text.strip() for r in rows if r.feedback is Vote.UP and r.text.strip())


def summary(diff: Diff, *, limit: int = 10) -> str:
    """The same few lines for `kb diff` and for the admin who reloads."""
    rows = [(c.question, c.was, c.becomes, c.liked) for c in diff.changes]
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
