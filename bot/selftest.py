"""A fact base's self-test: where the matcher sends each phrasing when it has not seen it.

    result = confusions(kb, make_engine, stopwords=load_language().stopwords)  # the caller's
    result.share_right, result.pairs[0].first, result.pairs[0].crossings, result.pairs[0].hint

Every fact's phrasings are split into two folds (alternately). For each fold an engine is
built from the fact base without that fold's phrasings, and each held-out phrasing is asked
as a new person's question would be. A phrasing answered by another fact, confidently, is a
crossing; one answered with "did you mean" led by another fact, a doubt: the two facts are
confused. Pairs are named worst first, each with a hint in the
fact base's own words. A fact with one phrasing has nothing to hold out and is not tested.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from bot import Answer, Engine, Fact, KnowledgeBase, Outcome, Question, messages
from bot.text import clean, is_cjk

FOLDS = 2
HINT_WORDS = 2  # words suggested for each fact of a pair

EngineFactory = Callable[[KnowledgeBase], Engine]


class Landing(StrEnum):
    """Where a held-out phrasing went."""

    RIGHT = "right"  # answered by its own fact
    CROSSED = "crossed"  # answered by another fact, confidently
    OFFERED = "offered"  # "did you mean" with its own fact among the suggestions
    MISSED = "missed"  # not answered, and its own fact not offered


@dataclass(frozen=True, slots=True)
class HeldOut:
    """One phrasing asked of an engine that never saw it."""

    phrasing: str
    expected: str
    landing: Landing
    went_to: str | None = None  # the fact that answered it, else the first one offered

    @property
    def strayed(self) -> bool:
        """It went to another fact: answered by it, or offered it first."""
        return self.went_to is not None and self.went_to != self.expected


@dataclass(frozen=True, slots=True)
class Pair:
    """Two facts the matcher confuses: the phrasings that went from one to the other (both
    directions), answered by it (`crossings`) or with it first in "did you mean" (`doubts`)."""

    first: str
    second: str
    crossings: tuple[HeldOut, ...]
    doubts: tuple[HeldOut, ...]
    hint: str


@dataclass(frozen=True, slots=True)
class SelfTest:
    results: tuple[HeldOut, ...]
    pairs: tuple[Pair, ...]  # worst first
    untested: tuple[str, ...]  # facts with a single phrasing

    @property
    def share_right(self) -> float:
        right = sum(r.landing is Landing.RIGHT for r in self.results)
        return right / len(self.results) if self.results else 1.0


def confusions(
    knowledge: KnowledgeBase, engine_factory: EngineFactory, *, stopwords: frozenset[str]
) -> SelfTest:
    """Ask each fact's held-out phrasings of engines built without them (see the module);
    the hints leave out `stopwords` (the language's, knowledge/language/)."""
    results = [held for fold in range(FOLDS) for held in _ask_fold(knowledge, fold, engine_factory)]
    untested = tuple(f.id for f in knowledge.facts if len(f.questions) < 2)
    return SelfTest(tuple(results), _pairs(knowledge, results, stopwords), untested)


def held_out(fact: Fact, fold: int) -> tuple[str, ...]:
    """The phrasings of `fact` fold `fold` holds out: none when that would leave it none."""
    out = tuple(q for i, q in enumerate(fact.questions) if i % FOLDS == fold)
    return out if len(out) < len(fact.questions) else ()


def without_fold(knowledge: KnowledgeBase, fold: int) -> KnowledgeBase:
    """The fact base without fold `fold`'s phrasings, under a version of its own."""
    facts = tuple(replace(f, questions=_kept(f, fold)) for f in knowledge.facts)
    return replace(knowledge, facts=facts, version=f"{knowledge.version}-fold{fold}")


def _kept(fact: Fact, fold: int) -> tuple[str, ...]:
    if not held_out(fact, fold):
        return fact.questions
    return tuple(q for i, q in enumerate(fact.questions) if i % FOLDS != fold)


def _ask_fold(knowledge: KnowledgeBase, fold: int, factory: EngineFactory) -> Iterator[HeldOut]:
    engine = factory(without_fold(knowledge, fold))
    for fact in knowledge.facts:
        for n, phrasing in enumerate(held_out(fact, fold)):
            question = Question(phrasing, platform="selftest", conversation=f"{fact.id}:{n}")
            landing, went_to = _landing(fact.id, engine.answer(question))
            yield HeldOut(phrasing, fact.id, landing, went_to)


def _landing(expected: str, answer: Answer) -> tuple[Landing, str | None]:
    """Where it went, and the fact it went to: the one that answered, or the first offered."""
    offered = [s.fact_id for s in answer.suggestions]
    if answer.outcome is Outcome.ANSWERED and answer.fact_id:
        return (Landing.RIGHT if answer.fact_id == expected else Landing.CROSSED), answer.fact_id
    first = offered[0] if offered else None
    if answer.outcome is Outcome.SUGGESTED and expected in offered:
        return Landing.OFFERED, first
    return Landing.MISSED, first


def _pairs(
    knowledge: KnowledgeBase, results: Sequence[HeldOut], stopwords: frozenset[str]
) -> tuple[Pair, ...]:
    strayed: dict[tuple[str, str], list[HeldOut]] = {}
    for held in results:
        if held.went_to is not None and held.strayed:
            key = (min(held.expected, held.went_to), max(held.expected, held.went_to))
            strayed.setdefault(key, []).append(held)
    facts = {f.id: f for f in knowledge.facts}
    pairs = [
        Pair(
            a,
            b,
            crossings=tuple(h for h in found if h.landing is Landing.CROSSED),
            doubts=tuple(h for h in found if h.landing is not Landing.CROSSED),
            hint=hint(facts[a], facts[b], asked=[h.phrasing for h in found], stopwords=stopwords),
        )
        for (a, b), found in strayed.items()
        if a in facts and b in facts
    ]
    return tuple(sorted(pairs, key=_worst_first))


def _worst_first(pair: Pair) -> tuple[int, int, str, str]:
    return (-len(pair.crossings), -len(pair.doubts), pair.first, pair.second)


_TOKEN = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


def hint(first: Fact, second: Fact, *, stopwords: frozenset[str], asked: Sequence[str] = ()) -> str:
    """What tells two facts apart, in their own words: the words one uses and the other not,
    those of the phrasings `asked` (that went astray) first, then the ones it uses most."""
    one = _distinct(first, second, asked, stopwords)
    two = _distinct(second, first, asked, stopwords)
    return messages.confusion_hint(first.id, one, second.id, two)


def _distinct(
    fact: Fact, other: Fact, asked: Sequence[str], stopwords: frozenset[str]
) -> list[str]:
    own = _counts(fact.questions, fact.answer)
    theirs = set(_counts(other.questions, other.answer))
    spoken = set(_counts(asked))
    found = [
        w for w in own if w not in theirs and w not in stopwords and len(w) > 2 and not is_cjk(w)
    ]
    found.sort(key=lambda w: (w not in spoken, -own[w]))  # stable: first written first
    return found[:HINT_WORDS]


def _counts(texts: Sequence[str], *more: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for text in (*texts, *more):
        for word in dict.fromkeys(_TOKEN.findall(clean(text).casefold())):
            counts[word] = counts.get(word, 0) + 1
    return counts
