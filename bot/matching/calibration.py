"""The ranker and the answer confidence, fitted on each fact base when it is loaded.

A fact base is a small labelled training set: every phrasing is an example of its fact. The
phrasings are split in two folds; each fold's phrasings are asked of an index built from the
other fold only, as a user's new wording would be. From those matches:

- the **ranker** learns how to weigh a candidate's measurements (word score, coverage,
  closeness, share of words hit, nearness in meaning) into "this is the fact asked for";
- the **confidence** learns, from the best candidate after ranking and its lead over the
  next, "the best fact is right". Its negatives are held-out phrasings that went wrong, a
  general out-of-scope prior (questions no event answers) and questions about the event that
  no fact covers: each fact is taken out once and its phrasings asked of the rest. (A
  phrasing with its subject swapped for a word no fact uses was tried too: the features cannot
  tell those from real questions, and on the summit's eval sets they cost 10-20 points of
  right answers for at most 1.5 points fewer wrong ones.)
- **answer_at** is the lowest confidence at which the wrong answers of that set stay within
  `MAX_WRONG` of all its questions.

Nothing here is a constant fitted by hand on one event: each fact base gets its own numbers,
and `Scorer.as_dict` lets the edge cache them by the fact base's hash.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from bot.matching.learn import Logistic
from bot.matching.match import Match
from knowledge.types import KnowledgeBase

Search = Callable[[str], list[Match]]
"""Raw matches (word score and meaning, before ranking) for one text, best first."""

MAX_WRONG = 0.03
ANSWER_AT_RANGE = (0.5, 0.95)  # below 0.5 the model says "more likely wrong"
# Of the calibration's weight, as in chat about an event: questions about something else, and
# questions about the event that no fact covers (the kinds of ../shared/eval/dev.jsonl, not its
# questions: 12% and 8% there). The second was 0.10 until 2026-12-06. Of 0.02, 0.05, 0.075
# and 0.10, 0.075 answered more right and no more wrong on the tuning files (dev, extra,
# holdout; 4 fits), and more in scope at the same out-of-scope recall on CLINC150 val.
OUT_OF_SCOPE_SHARE = 0.15
NOT_COVERED_SHARE = 0.075
FOLDS = 2  # each phrasing is asked of an index built from the other half
MAX_HELD_OUT = 1500  # phrasings asked while fitting: start-up stays short on big fact bases
MAX_FIT_FACTS = 1000
MAX_MISSING = 400  # questions about facts taken out: negatives in the organiser's own style
RANK_LIMIT = 10
MISSING_GROUPS = 8  # facts are taken out an eighth at a time


_SIGNALS = ("lexical", "semantic", "centre", "separating", "ngram")


def rank_features(match: Match, among: Sequence[Match] = ()) -> list[float]:
    """What the ranker weighs; for each, more means likelier the fact asked for. Besides each
    signal's value, how far the match is behind the best of `among` (the other candidates) by
    that signal: a pointwise ranker cannot see that on its own."""
    behind = [
        getattr(match, s) - max((getattr(m, s) for m in among), default=getattr(match, s))
        for s in _SIGNALS
    ]
    return [
        match.lexical,
        match.coverage,
        match.closeness,
        match.hits,
        match.semantic,
        match.centre,
        match.separating,
        match.ngram,
        *behind,
    ]


def confidence_features(found: Sequence[Match]) -> list[float]:
    """What the confidence reads of the ranked best match; more means likelier right."""
    best = found[0]
    second = found[1] if len(found) > 1 else None
    lead = best.score - (second.score if second else 0.0)
    meaning_lead = best.semantic - (second.semantic if second else 0.0)
    others = found[1:]
    ngram_lead = best.ngram - max((m.ngram for m in others), default=0.0)
    return [
        best.score,
        lead,
        best.semantic,
        meaning_lead,
        1 - best.unknown,
        math.log1p(best.evidence),
        best.hits,
        best.coverage,
        best.lexical,
        best.closeness,
        best.centre,
        best.centre - best.typical,
        best.separating,
        best.ngram,
        ngram_lead,
        _agreement(found),
    ]


def _agreement(found: Sequence[Match]) -> float:
    """The share of the signals (words, nearest phrasing, centre, classifier) by which the
    best match is also the best on its own: several measures agreeing is evidence."""
    best = found[0]
    top = sum(getattr(best, s) >= max(getattr(m, s) for m in found) for s in _SIGNALS)
    return float(top) / len(_SIGNALS)


RANK_SIZE = len(rank_features(Match("", 0.0)))
CONFIDENCE_SIZE = len(confidence_features([Match("", 0.0)]))


@dataclass(frozen=True, slots=True)
class Scorer:
    """Fitted on one fact base: re-ranks matches and says how sure the best one is."""

    ranker: Logistic
    confidence: Logistic
    answer_at: float

    def rank(self, found: Sequence[Match]) -> list[Match]:
        ranked = [
            replace(m, score=m.penalty * self.ranker.probability(rank_features(m, found)))
            for m in found
        ]
        return sorted(ranked, key=lambda m: m.score, reverse=True)

    def sure(self, found: Sequence[Match]) -> float:
        return self.confidence.probability(confidence_features(found)) if found else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "ranker": self.ranker.as_dict(),
            "confidence": self.confidence.as_dict(),
            "answer_at": self.answer_at,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Scorer:
        """The inverse of `as_dict`; ValueError when the sizes are not this version's."""
        scorer = cls(
            Logistic.from_dict(data["ranker"]),
            Logistic.from_dict(data["confidence"]),
            float(data["answer_at"]),
        )
        sizes = (len(scorer.ranker.weights), len(scorer.confidence.weights))
        if sizes != (RANK_SIZE, CONFIDENCE_SIZE):
            expected = (RANK_SIZE, CONFIDENCE_SIZE)
            raise ValueError(f"a scorer with {sizes} features, expected {expected}")
        return scorer


def fit_scorer(
    knowledge: KnowledgeBase,
    build: Callable[[KnowledgeBase], Search],
    *,
    out_of_scope: Sequence[str] = (),
    gated: Callable[[Match], bool] = lambda m: False,
) -> Scorer:
    """Fit the ranker, the confidence and answer_at for `knowledge` (see the module doc).

    `build` makes a raw search over a fact base; `gated` says which best matches the engine
    never answers whatever the confidence (a near miss), so they teach the confidence nothing.
    """
    rng = random.Random(knowledge.version)
    held_out: list[tuple[str, list[Match]]] = []  # (right fact id, raw matches)
    for train, asked in _folds(knowledge, rng):
        search = build(train)
        held_out += [(fact_id, search(text)) for text, fact_id in asked]
    prior = build(knowledge)
    outside = [prior(text) for text in out_of_scope]
    missing: list[list[Match]] = []
    for train, asked in _missing_facts(knowledge, rng):
        search = build(train)
        missing += [search(text) for text, _ in asked]
    negatives = [(outside, OUT_OF_SCOPE_SHARE), (missing, NOT_COVERED_SHARE)]
    ranker = _fit_ranker(held_out)
    scorer = Scorer(ranker, Logistic(0.0, (), (), ()), 1.0)
    rows, labels, weights = _confidence_rows(scorer, held_out, negatives, gated)
    if len(set(labels)) < 2:
        confidence = Logistic.constant(0.98 if labels and labels[0] else 0.02, size=CONFIDENCE_SIZE)
    else:
        confidence = Logistic.fit_increasing(rows, labels, weights=weights)
    probabilities = [confidence.probability(row) for row in rows]
    scored = list(zip(probabilities, labels, weights, strict=True))
    return Scorer(ranker, confidence, _answer_at(scored))


def _folds(
    knowledge: KnowledgeBase, rng: random.Random
) -> list[tuple[KnowledgeBase, list[tuple[str, str]]]]:
    facts = list(knowledge.facts)
    if len(facts) > MAX_FIT_FACTS:
        facts = rng.sample(facts, MAX_FIT_FACTS)
    splittable = [f for f in facts if len(f.questions) >= 2]
    per_fold = max(1, MAX_HELD_OUT // FOLDS // max(1, len(splittable)))
    folds = []
    for fold in range(FOLDS):
        train, asked = [], []
        for fact in facts:
            if len(fact.questions) < 2:
                train.append(fact)
                continue
            kept = tuple(q for i, q in enumerate(fact.questions) if i % FOLDS != fold)
            held = [q for i, q in enumerate(fact.questions) if i % FOLDS == fold]
            asked += [(q, fact.id) for q in held[:per_fold]]
            train.append(replace(fact, questions=kept))
        folds.append((replace(knowledge, facts=tuple(train)), asked))
    return folds


def _missing_facts(
    knowledge: KnowledgeBase, rng: random.Random
) -> list[tuple[KnowledgeBase, list[tuple[str, str]]]]:
    """Each fact taken out once, an eighth of them at a time, and its phrasings asked of the
    rest: questions about the event that the fact base does not cover, in its organiser's own
    style, against a base nearly as full as the real one (with half the facts out, each
    question met fewer look-alikes and looked surer than a real one does)."""
    facts = list(knowledge.facts)
    if len(facts) < 4:
        return []
    rng.shuffle(facts)
    if len(facts) > MAX_FIT_FACTS:
        facts = facts[:MAX_FIT_FACTS]
    per_fact = max(1, MAX_MISSING // len(facts))
    groups = min(MISSING_GROUPS, len(facts))
    out = []
    for g in range(groups):
        missing = facts[g::groups]
        kept = [f for i, f in enumerate(facts) if i % groups != g]
        asked = [(q, f.id) for f in missing for q in f.questions[:per_fact]]
        out.append((replace(knowledge, facts=tuple(kept)), asked))
    return out


def _fit_ranker(held_out: Sequence[tuple[str, list[Match]]]) -> Logistic:
    rows: list[list[float]] = []
    labels: list[int] = []
    for fact_id, found in held_out:
        if not any(m.fact_id == fact_id for m in found):
            continue  # nothing to rank right
        for match in found[:RANK_LIMIT]:
            rows.append(rank_features(match, found))
            labels.append(int(match.fact_id == fact_id))
    if len(set(labels)) < 2:  # too small to learn from: the word score alone
        rest = RANK_SIZE - 1
        return Logistic(0.0, (4.0, *[0.0] * rest), (0.5, *[0.0] * rest), (0.25, *[1.0] * rest))
    return Logistic.fit_increasing(rows, labels)


def _confidence_rows(
    scorer: Scorer,
    held_out: Sequence[tuple[str, list[Match]]],
    negatives: Sequence[tuple[Sequence[list[Match]], float]],
    gated: Callable[[Match], bool],
) -> tuple[list[list[float]], list[int], list[float]]:
    """Rows for the confidence: held-out phrasings (right or not) weigh 1 each; each group of
    negatives weighs its share of the whole, however many questions it has."""
    rows: list[list[float]] = []
    labels: list[int] = []
    weights: list[float] = []
    positives = [(scorer.rank(found), fact_id) for fact_id, found in held_out if found]
    kept = [(f, fid) for f, fid in positives if not gated(f[0])]
    for found, fact_id in kept:
        rows.append(confidence_features(found))
        labels.append(int(found[0].fact_id == fact_id))
        weights.append(1.0)
    positive_share = 1 - sum(share for _, share in negatives)
    for group, share in negatives:
        ranked = [scorer.rank(found) for found in group if found]
        ungated = [found for found in ranked if not gated(found[0])]
        weight = share / positive_share * len(kept) / max(1, len(ungated))
        for found in ungated:
            rows.append(confidence_features(found))
            labels.append(0)
            weights.append(weight)
    return rows, labels, weights


def _answer_at(scored: Sequence[tuple[float, int, float]]) -> float:
    """The lowest threshold at which the answers that are wrong stay within MAX_WRONG of all
    the questions asked: the bar an organiser holds the bot to."""
    low, high = ANSWER_AT_RANGE
    total = sum(weight for _, _, weight in scored)
    wrong = 0.0
    best = high
    for probability, label, weight in sorted(scored, key=lambda s: -s[0]):
        wrong += weight * (1 - label)
        if wrong > MAX_WRONG * total:
            break
        best = probability
    return max(low, min(high, best))
