"""The report's unanswered questions, grouped by the engine's own matching.

    groups = unanswered(rows, first_question, engine.search, engine.tuning)

A question the bot did not answer (abstained, or only "did you mean") joins the group of the
fact the engine finds nearest, when that fact is near by the engine's own "did you mean" floor
(`bot.matching.decision.near`): "12 people asked something near `pandas_loan`". A question
near no fact is about nothing in the fact base; those are listed by their words, the same
words (case, punctuation and spacing aside) counted together.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.matching.decision import near
from bot.matching.match import Match, Tuning
from operations.questionlog import LoggedQuestion

EXAMPLES = 5
MISSED = ("abstained", "did_you_mean")

Find = Callable[[str], Sequence[Match]]


@dataclass(frozen=True, slots=True)
class Closest:
    fact_id: str
    question: str
    score: float


@dataclass(frozen=True, slots=True)
class Group:
    """Questions the bot did not answer near one fact (or near none, `closest` None, asked in
    the same words): how many, how, examples most asked first."""

    count: int
    abstained: int
    suggested: int
    examples: tuple[str, ...]
    closest: Closest | None


def unanswered(
    rows: Sequence[LoggedQuestion], first_question: dict[str, str], search: Find, tuning: Tuning
) -> list[Group]:
    """The groups, largest first."""
    missed = [r for r in rows if r.outcome in MISSED and r.text.strip()]
    texts = dict.fromkeys(r.text for r in missed)
    nearest = {text: _nearest(text, search, tuning) for text in texts}
    members: dict[str, list[LoggedQuestion]] = {}
    for r in missed:
        match = nearest[r.text]
        members.setdefault(f"fact:{match.fact_id}" if match else words(r.text), []).append(r)
    groups = [_group(m, nearest, first_question) for m in members.values()]
    return sorted(groups, key=lambda g: (-g.count, g.examples[0]))


def words(text: str) -> str:
    """A question's words, for counting the same question asked again: "Where's  it?" ->
    "where s it"."""
    return " ".join(re.findall(r"\w+", text.casefold()))


def _nearest(text: str, search: Find, tuning: Tuning) -> Match | None:
    found = search(text)
    return found[0] if found and near(found[0], tuning) else None


def _group(
    members: list[LoggedQuestion], nearest: dict[str, Match | None], first_question: dict[str, str]
) -> Group:
    asked = Counter(r.text for r in members)
    outcomes = Counter(r.outcome for r in members)
    closest = None
    best = max((m for t in asked if (m := nearest[t])), key=lambda m: m.score, default=None)
    if best is not None:
        closest = Closest(best.fact_id, first_question.get(best.fact_id, ""), round(best.score, 2))
    return Group(
        count=len(members),
        abstained=outcomes["abstained"],
        suggested=outcomes["did_you_mean"],
        examples=tuple(t for t, _ in asked.most_common(EXAMPLES)),
        closest=closest,
    )
