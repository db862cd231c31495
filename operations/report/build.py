"""The report's numbers, computed from logged questions: plain values for the text and HTML views.

    report = build(store.questions(since=...), engine)
    report.unanswered[0].count, report.unanswered[0].examples, report.unanswered[0].closest

Unanswered and did-you-mean questions are grouped by similarity (rapidfuzz's token-set ratio
over the words that carry meaning), largest groups first, so an organiser sees "12 people
asked what the pandas are called" once, with the fact that came closest to answering it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from rapidfuzz import fuzz, process, utils

from bot import KnowledgeBase, Vote
from bot.matching.analysis import stem
from operations.questionlog import LoggedQuestion
from operations.report.suspects import SMALL_LEAD, Search, Suspect, suspects

SIMILAR = 80  # token-set ratio from which two questions count as the same question
GONE = "(no longer in the fact base)"
EXAMPLES = 5
_QUESTION_WORDS = frozenset("what who whom whose which where when why how".split())
_FILLER = frozenset(
    "a an the is are was were be been being do does did of to in on at for from by with about "
    "and or it its this that these those there their they he she his her i you me my we our us "
    "can could would will should shall may might must s please tell know any some".split()
)


@dataclass(frozen=True, slots=True)
class Closest:
    fact_id: str
    question: str
    score: float


@dataclass(frozen=True, slots=True)
class Group:
    """Similar questions the bot did not answer: how many, how, examples, the closest fact."""

    count: int
    abstained: int
    suggested: int
    examples: tuple[str, ...]
    closest: Closest | None


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
    search: Search,
    *,
    lead: float = SMALL_LEAD,
    limit: int = 20,
) -> Report:
    """Everything the report shows; `search` finds the closest facts (`engine.search`: a close
    call needs the first two)."""
    first_question = {f.id: f.questions[0] for f in knowledge.facts}
    outcomes = Counter(r.outcome for r in rows)
    doubts = tuple(suspects(rows, search, lead=lead)[:limit])
    return Report(
        first=min((r.asked_at for r in rows), default=None),
        last=max((r.asked_at for r in rows), default=None),
        total=len(rows),
        people=len({(r.platform, r.user) for r in rows if r.user}),
        outcomes=tuple(outcomes.most_common()),
        kb_versions=tuple(dict.fromkeys(r.kb_version for r in rows)),
        unanswered=tuple(_unanswered(rows, first_question, search)[:limit]),
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


def meaning(text: str) -> str:
    """The words of a question that carry its meaning, stemmed: "What are pandas called?" ->
    "what panda call"."""
    kept = [w for w in utils.default_process(text).split() if w not in _FILLER]
    return " ".join(stem(w) for w in kept)


def group_similar(texts: Sequence[str], *, similar: int = SIMILAR) -> list[list[str]]:
    """Group question texts by similarity, largest groups first (each group: its texts, with
    repeats, most frequent first). A question joins the first group whose leader it resembles
    (rapidfuzz token-set ratio >= `similar`), unless they ask with different question words
    ("when" vs "where")."""
    by_key: dict[str, list[str]] = defaultdict(list)
    for text in texts:
        by_key[meaning(text) or text.strip().casefold()].append(text)
    leaders: list[str] = []
    members: dict[str, list[str]] = {}
    for key in sorted(by_key, key=lambda k: (-len(by_key[k]), k)):
        found = process.extract(
            key, leaders, scorer=fuzz.token_set_ratio, score_cutoff=similar, limit=5
        )
        leader = next((c for c, _, _ in found if _same_kind(key, c)), None)
        if leader is None:
            leaders.append(key)
            members[key] = []
        members[leader or key].extend(by_key[key])
    groups = [sorted(m, key=Counter(m).__getitem__, reverse=True) for m in members.values()]
    return sorted(groups, key=len, reverse=True)


def _same_kind(a: str, b: str) -> bool:
    wa, wb = set(a.split()) & _QUESTION_WORDS, set(b.split()) & _QUESTION_WORDS
    return not (wa and wb) or bool(wa & wb)


def _unanswered(
    rows: Sequence[LoggedQuestion], first_question: dict[str, str], search: Search
) -> list[Group]:
    missed = [r for r in rows if r.outcome in ("abstained", "did_you_mean") and r.text.strip()]
    outcome_of = defaultdict(Counter)  # type: defaultdict[str, Counter[str]]
    for r in missed:
        outcome_of[r.text][r.outcome] += 1
    groups = []
    for texts in group_similar([r.text for r in missed]):
        examples = tuple(dict.fromkeys(texts))[:EXAMPLES]
        counts: Counter[str] = Counter()
        for text in dict.fromkeys(texts):
            counts += outcome_of[text]
        groups.append(Group(
            count=len(texts),
            abstained=counts["abstained"],
            suggested=counts["did_you_mean"],
            examples=examples,
            closest=_closest(examples[0], first_question, search),
        ))
    return groups


def _closest(text: str, first_question: dict[str, str], search: Search) -> Closest | None:
    found = search(text)
    if not found:
        return None
    best = found[0]
    return Closest(best.fact_id, first_question.get(best.fact_id, ""), round(best.score, 2))


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
