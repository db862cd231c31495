"""The report's numbers, computed from logged questions: plain values for the text and HTML views.

    report = build(store.questions(since=...), engine.knowledge, engine.search,
                   tuning=engine.tuning)
    report.unanswered[0].count, report.unanswered[0].examples, report.unanswered[0].closest

Unanswered and did-you-mean questions are grouped by the fact the engine finds nearest
(groups.py), largest groups first, so an organiser sees "12 people asked near `pandas_loan`"
once; what is near no fact is counted by its words. The "may be wrong" rows: suspects.py.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot import KnowledgeBase, Vote
from bot.matching.match import Match, Tuning
from operations.questionlog import LoggedQuestion
from operations.report.groups import EXAMPLES, Find, Group, unanswered
from operations.report.suspects import SMALL_LEAD, Suspect, suspects

GONE = "(no longer in the fact base)"


@dataclass(frozen=True, slots=True)
class FactVotes:
    fact_id: str
    question: str
    down: int
    up: int
    examples: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Report:
    first: datetime | None
    last: datetime | None
    total: int
    people: int
    outcomes: tuple[tuple[str, int], ...]
    kb_versions: tuple[str, ...]
    unanswered: tuple[Group, ...]
    downvoted: tuple[FactVotes, ...]
    suspects: tuple[Suspect, ...]  # answers that may be wrong, and why
    facts: tuple[tuple[str, str], ...]  # (fact id, its first question) for the facts named
    per_day: tuple[tuple[date, int], ...]
    per_platform: tuple[tuple[str, int], ...]
    top_facts: tuple[tuple[str, str, int], ...]


def build(
    rows: Sequence[LoggedQuestion],
    knowledge: KnowledgeBase,
    search: Find,
    *,
    tuning: Tuning | None = None,
    lead: float = SMALL_LEAD,
    limit: int = 20,
) -> Report:
    """Everything the report shows. `search` finds the nearest facts (`engine.search`: a close
    call needs the first two); `tuning` is the engine's (`engine.tuning`), whose "did you mean"
    floor says whether an unanswered question is near a fact."""
    search = _once_per_text(search)
    first_question = {f.id: f.questions[0] for f in knowledge.facts}
    outcomes = Counter(r.outcome for r in rows)
    doubts = tuple(suspects(rows, search, lead=lead, tuning=tuning)[:limit])
    return Report(
        first=min((r.asked_at for r in rows), default=None),
        last=max((r.asked_at for r in rows), default=None),
        total=len(rows),
        people=len({(r.platform, r.user) for r in rows if r.user}),
        outcomes=tuple(outcomes.most_common()),
        kb_versions=tuple(dict.fromkeys(r.kb_version for r in rows)),
        unanswered=tuple(unanswered(rows, first_question, search, tuning or Tuning())[:limit]),
        downvoted=tuple(_downvoted(rows, first_question)[:limit]),
        suspects=doubts,
        facts=_named(doubts, first_question),
        per_day=_per_day(rows),
        per_platform=tuple(Counter(r.platform for r in rows).most_common()),
        top_facts=tuple(
            (fact, first_question.get(fact, GONE), n)
            for fact, n in Counter(
                r.fact_id for r in rows if r.outcome == "answered" and r.fact_id
            ).most_common(limit)
        ),
    )


def _once_per_text(search: Find) -> Find:
    """`search`, run once per distinct question: the log repeats popular questions."""
    found: dict[str, Sequence[Match]] = {}

    def find(text: str) -> Sequence[Match]:
        if text not in found:
            found[text] = search(text)
        return found[text]

    return find


def _downvoted(rows: Sequence[LoggedQuestion], first_question: dict[str, str]) -> list[FactVotes]:
    votes: dict[str, Counter[Vote]] = defaultdict(Counter)
    examples: dict[str, list[str]] = defaultdict(list)
    for r in rows:
        if r.feedback is not None and r.fact_id:
            votes[r.fact_id][r.feedback] += 1
            if r.feedback is Vote.DOWN and r.text.strip():
                examples[r.fact_id].append(r.text)
    ranked = sorted(
        (f for f in votes if votes[f][Vote.DOWN]),
        key=lambda f: (-votes[f][Vote.DOWN], votes[f][Vote.UP], f),
    )
    return [
        FactVotes(
            f, first_question.get(f, GONE), votes[f][Vote.DOWN],
            votes[f][Vote.UP], tuple(dict.fromkeys(examples[f]))[:EXAMPLES],
        )
        for f in ranked
    ]


def _named(
    doubts: Sequence[Suspect], first_question: dict[str, str]
) -> tuple[tuple[str, str], ...]:
    """The facts the "may be wrong" rows name, in the order named, for the rows to link to."""
    named = dict.fromkeys(s.fact_id for s in doubts)
    return tuple((f, first_question.get(f, GONE)) for f in named)


def _per_day(rows: Sequence[LoggedQuestion]) -> tuple[tuple[date, int], ...]:
    if not rows:
        return ()
    days = Counter(r.asked_at.date() for r in rows)
    first, last = min(days), max(days)
    span = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    return tuple((d, days.get(d, 0)) for d in span)
