"""Finding the facts that answer a question, and how well each one does.

A fact scores on two things: how much of the question its own vocabulary covers (rare words
count more; words other facts use but this one does not, and names, numbers and codes it has
never seen, count against it) and how close the question is to its best-matching phrasing
(rapidfuzz token_sort_ratio plus a rarity-weighted overlap). A question asking for something
the fact never mentions (a name, a price, a date, a number, a narrowing word like 'first' ...)
marks the match `off_point`: that is the near-miss rule. A fact about what the question sets
aside ('apart from the sanctions, what else ...') is marked `set_aside`, unless its answer
lists that thing with another ('sanctions and tariffs'). bot/decision.py never answers with
either mark (it may offer the fact as "did you mean").

Only facts that share a term with the question are scored, found through an inverted index,
so a question costs about the same against 40 facts as against 40,000.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace

from rapidfuzz import fuzz, process

from bot.matching.analysis import NOT_ABOUT, Analysis, Analyzer
from bot.matching.kinds import Kinds, answerable, listed_words, naming_words
from bot.matching.match import Match, Tuning
from bot.matching.ngrams import NgramClassifier
from bot.matching.semantic import Embedder, SemanticIndex
from bot.text import sentences, words
from knowledge.types import Fact, KnowledgeBase

CANDIDATES = 40
SEMANTIC_CANDIDATES = 8  # facts nearest in meaning join the candidates, shared word or not
NGRAM_CANDIDATES = 8  # ... and the n-gram classifier's best ('pandaz' shares no word)
FOLLOW_UP_TERMS = 3
VAGUE_DF = 5  # a question resting on less than one word this many facts share is vague


def _number(term: str) -> bool:
    """A number worth checking: 2014, 500, not the '2' of 'these 2'."""
    return term.isdigit() and len(term) >= 2


def _number_kind(term: str) -> str:
    """'year' for 1500-2099 ('in 2010' dates what is asked), else 'value' ('100 dollars')."""
    return "year" if len(term) == 4 and 1500 <= int(term) <= 2099 else "value"


def _free_numbers(phrasings: list[Analysis], told: frozenset[str] | set[str]) -> frozenset[str]:
    """The kinds of number ('year', 'value') a fact's phrasings hold but its answer never
    states ('convert 100 dollars', 'a timer for 10 minutes'): the asker's values, so another
    number of that kind is no near miss there. A value does not free a year: 'is the trade over
    100 billion' asks about a threshold, 'the trade in 2010' about a year the fact lacks."""
    return frozenset(
        _number_kind(t) for a in phrasings for t in a.terms if _number(t) and t not in told
    )


_BEFORE_COMMA = re.compile(r"[^\W_]+\s*,")
LEADS = 2  # the best by each classifier are kept past the word score's limit


def _kept(scored: list[Match], limit: int) -> list[Match]:
    """The `limit` best by the word score, and the best LEADS by each classifier after them
    (the ranker weighs them all)."""
    kept = scored[:limit]
    for signal in ("ngram", "separating"):
        by_signal = sorted(scored, key=lambda m: getattr(m, signal), reverse=True)[:LEADS]
        kept += [m for m in by_signal if m not in kept and getattr(m, signal) > 0]
    return kept


@dataclass(frozen=True, slots=True)
class _Phrasing:
    terms: frozenset[str]
    text: str  # terms sorted
    weight: float


@dataclass(frozen=True, slots=True)
class _Query:
    """One analysed question, with what every fact's score needs computed once."""

    analysis: Analysis
    terms: frozenset[str]
    weights: dict[str, float]
    total: float
    text: str  # its terms sorted: fuzz.ratio on sorted terms is token_sort_ratio
    narrowing: frozenset[str]  # its words that narrow it: 'first', 'exact' ...


@dataclass(frozen=True, slots=True)
class _Entry:
    fact: Fact
    asked: frozenset[str]  # terms of its questions, keywords and topic
    told: frozenset[str]  # terms of its answer, longer text and translations
    attributes: frozenset[str]
    held: frozenset[str]  # kinds of thing its answer holds: a number, money, a time ...
    counted: frozenset[str]  # what its answer counts: '331 *seats*'
    named: frozenset[str]  # what its answer names: 'the press *spokesman* Dmitry Peskov'
    listed: frozenset[str]  # what its answer lists with something else: '*economic* and ...'
    free_numbers: frozenset[str]  # kinds of number its phrasings hold and its answer does not
    narrowing: frozenset[str]  # the narrowing words ('first', 'exact') it says anywhere
    phrasings: tuple[_Phrasing, ...]
    texts: tuple[str, ...]  # the phrasings' texts, for one rapidfuzz call


def _set_aside(entry: _Entry, query: _Query) -> bool:
    """The fact is about what the question sets aside ('apart from the sanctions, ...'): most
    of those words are its phrasings', and its answer does not list them with something else
    ('economic *and military* ties' says more)."""
    excluded = set(query.analysis.excluded)
    return (
        bool(excluded)
        and 2 * sum(t in entry.asked for t in excluded) >= len(excluded)
        and not excluded & entry.listed
    )


class Index:
    """Built once per fact base; `search` is pure and cheap."""

    def __init__(
        self,
        knowledge: KnowledgeBase,
        analyzer: Analyzer,
        *,
        tuning: Tuning | None = None,
        embedder: Embedder | None = None,
    ) -> None:
        self.analyzer = analyzer
        self._common = analyzer.common_stems  # everyday words: weak evidence
        self.tuning = tuning or Tuning()
        raw = [self._raw_entry(fact) for fact in knowledge.facts]
        df: dict[str, int] = defaultdict(int)
        for asked, told, _, _ in raw:
            for term in asked | told:
                df[term] += 1
        n = max(len(raw), 1)
        self._idf = {t: math.log(1 + n / d) for t, d in df.items()}
        self._max_weight = math.log(1 + n)
        self._evidence_unit = math.log(1 + n / VAGUE_DF)
        self._unknown_weight = self._max_weight * self.tuning.unknown_weight
        kinds = Kinds.of(analyzer.language)
        facts = zip(knowledge.facts, raw, strict=True)
        self._entries = [self._entry(fact, *parts, kinds) for fact, parts in facts]
        self._by_id = {e.fact.id: e for e in self._entries}
        self._position = {e.fact.id: i for i, e in enumerate(self._entries)}
        self._names = frozenset(
            t for f in knowledge.facts for t in analyzer.names(f.answer, *f.questions)
        )
        event = knowledge.event
        about = " ".join((event.name, event.place, event.description, event.document))
        self._event_numbers = frozenset(  # 'Super Bowl 50', 'the 2015 season': no detail
            t for t in analyzer.analyze(about, correct=False).terms if _number(t)
        )
        self._postings: dict[str, list[int]] = defaultdict(list)
        for i, entry in enumerate(self._entries):
            for term in entry.asked | entry.told:
                self._postings[term].append(i)
        self._semantic = (
            SemanticIndex(embedder, [(*f.questions, f.answer) for f in knowledge.facts])
            if embedder is not None
            else None
        )
        self._ngrams = NgramClassifier.fit([f.questions for f in knowledge.facts])

    def _entry(
        self,
        fact: Fact,
        asked: frozenset[str],
        told: frozenset[str],
        attributes: frozenset[str],
        analyses: list[Analysis],
        kinds: Kinds,
    ) -> _Entry:
        """A fact's terms (from `_raw_entry`) with what its answer holds, counts, names and
        lists, read once."""
        phrasings = tuple(
            _Phrasing(frozenset(a.terms), " ".join(sorted(a.terms)), self._weight(a.terms))
            for a in analyses
            if a.terms
        )
        language = self.analyzer.language
        return _Entry(
            fact,
            asked,
            told,
            attributes,
            held=kinds.seen_in(fact.answer),
            counted=self._terms(kinds.counted(fact.answer)),
            named=self._terms(naming_words(fact.answer, language.articles)),
            listed=self._terms(listed_words(fact.answer, language.joiners, language.articles)),
            free_numbers=_free_numbers(analyses, told | {t for t in asked if t in fact.answer}),
            narrowing=self._said(fact),
            phrasings=phrasings,
            texts=tuple(p.text for p in phrasings),
        )

    def _raw_entry(
        self, fact: Fact
    ) -> tuple[frozenset[str], frozenset[str], frozenset[str], list[Analysis]]:
        analyze = self.analyzer.analyze
        questions = [analyze(q, correct=False) for q in fact.questions]
        extra = [analyze(t, correct=False) for t in (*fact.keywords, fact.topic)]
        told = [
            analyze(t, correct=False) for t in (fact.answer, fact.more, *fact.translations.values())
        ]
        asked_terms = frozenset(t for a in questions + extra for t in a.terms)
        told_terms = frozenset(t for a in told for t in a.terms) - asked_terms
        attributes = {x for a in questions + extra for x in a.attributes}
        return asked_terms, told_terms, frozenset(attributes), questions

    def _terms(self, found: list[str]) -> frozenset[str]:
        """The terms of words found in an answer ('seats' -> 'seat'), stop words left out."""
        return frozenset(self.analyzer.analyze(" ".join(found), correct=False).terms)

    def _narrowing(self, text: str) -> frozenset[str]:
        """The narrowing words a question uses, not those opening a sentence or a list
        ('First, who ...'): those order the asking, not what is asked."""
        runs = (words(_BEFORE_COMMA.sub(",", sentence))[1:] for sentence in sentences(text))
        return self._narrowing_in(runs)

    def _said(self, fact: Fact) -> frozenset[str]:
        """The narrowing words a fact uses anywhere."""
        texts = (*fact.questions, *fact.keywords, fact.answer, fact.more)
        return self._narrowing_in(words(s) for t in texts for s in sentences(t))

    def _narrowing_in(self, runs: Iterable[list[str]]) -> frozenset[str]:
        """The entries of the language's narrowing list (a word, or words: 'last year') that
        these runs of words hold."""
        joined = [f" {' '.join(run)} " for run in runs]
        entries = self.analyzer.language.narrowing
        return frozenset(e for e in entries if any(f" {e} " in run for run in joined))

    def weight(self, term: str) -> float:
        weight = self._idf.get(term)
        if weight is not None:
            return weight * (self.tuning.common_weight if term in self._common else 1.0)
        if _number(term) or term.startswith(NOT_ABOUT):  # a number or thing it never mentions
            return self._max_weight * self.tuning.foreign_weight
        return self._unknown_weight

    def is_follow_up(self, analysis: Analysis) -> bool:
        """A short question with a word the fact base knows: it may lean on the last answer."""
        return 0 < len(set(analysis.terms)) <= FOLLOW_UP_TERMS and any(
            t in self._idf for t in analysis.terms
        )

    def _weight(self, terms: tuple[str, ...] | frozenset[str]) -> float:
        return sum(self.weight(t) for t in set(terms))

    def search(self, analysis: Analysis, *, limit: int = 5) -> list[Match]:
        """The best facts for an analysed question, best first."""
        terms = frozenset(analysis.terms)
        if not terms:
            return []
        weights = {t: self.weight(t) for t in terms}
        for t in analysis.strange:  # 'Osaka', 'G20': a name the fact base has never heard of
            weights[t] = self._max_weight * self.tuning.foreign_weight
        text = " ".join(sorted(analysis.terms))
        narrowing = self._narrowing(analysis.text)
        query = _Query(analysis, terms, weights, sum(weights.values()), text, narrowing)
        candidates = self._candidates(terms)
        grams = self._ngrams.scores(analysis.text) if self._ngrams and analysis.text else None
        if grams is not None:
            candidates = self._joined(candidates, SemanticIndex.best(grams, NGRAM_CANDIDATES))
        if self._semantic is not None and analysis.text:
            scored = self._with_meaning(self._semantic, analysis.text, candidates, query)
        else:
            scored = [self._score(entry, query) for entry in candidates]
        scored = [
            replace(
                m,
                lexical=m.score,
                ngram=float(grams[self._position[m.fact_id]]) if grams is not None else 0.0,
            )
            for m in scored
        ]
        scored.sort(key=lambda m: m.score, reverse=True)
        return _kept(scored, limit)

    def _with_meaning(
        self, semantic: SemanticIndex, text: str, candidates: list[_Entry], query: _Query
    ) -> list[Match]:
        """Scores with nearness in meaning; the facts nearest in meaning join the candidates."""
        meaning = semantic.scores(text)
        extra = semantic.best(meaning.centre + meaning.separating, SEMANTIC_CANDIDATES)
        candidates = self._joined(candidates, extra)
        at = [self._position[e.fact.id] for e in candidates]
        nearest = semantic.nearest_phrasing(meaning.query, at)
        return [
            replace(
                self._score(entry, query),
                semantic=near,
                centre=float(meaning.centre[i]),
                typical=float(semantic.typical[i]),
                separating=float(meaning.separating[i]),
            )
            for entry, i, near in zip(candidates, at, nearest, strict=True)
        ]

    def _joined(self, candidates: list[_Entry], extra: list[int]) -> list[_Entry]:
        """The candidates and the facts at positions `extra` not among them yet."""
        known = {e.fact.id for e in candidates}
        return candidates + [
            self._entries[i] for i in extra if self._entries[i].fact.id not in known
        ]

    def in_context(self, found: list[Match], context: Analysis) -> list[Match]:
        """Re-rank matches from one sentence by how much of the whole message each fact covers."""
        known = {t for t in context.terms if t in self._idf}
        total = self._weight(frozenset(known))
        if not total:
            return found
        share = self.tuning.context_share
        rescored = [
            replace(m, score=(1 - share) * m.score + share * self._context(m.fact_id, known, total))
            for m in found
        ]
        return sorted(rescored, key=lambda m: m.score, reverse=True)

    def adds(self, first: str, second: str, analysis: Analysis) -> float:
        """The share of the question's known words the second fact covers and the first not."""
        known = {t for t in analysis.terms if t in self._idf}
        total = self._weight(frozenset(known))
        a, b = self._by_id[first], self._by_id[second]
        only_b = {t for t in known if t in b.asked and t not in a.asked and t not in a.told}
        return self._weight(frozenset(only_b)) / total if total else 0.0

    def _context(self, fact_id: str, known: set[str], total: float) -> float:
        return self._covered(self._by_id[fact_id], known) / total

    def _covered(self, entry: _Entry, terms: set[str] | frozenset[str]) -> float:
        return sum(
            self.weight(t) * (1.0 if t in entry.asked else self.tuning.answer_text_weight)
            for t in terms
            if t in entry.asked or t in entry.told
        )

    def _candidates(self, terms: frozenset[str]) -> list[_Entry]:
        votes: dict[int, float] = defaultdict(float)
        for term in sorted(terms, key=self.weight, reverse=True):
            postings = self._postings.get(term, ())
            if len(votes) >= CANDIDATES and len(postings) > 50 * CANDIDATES:
                continue  # a very common term adds nothing once rarer ones found candidates
            w = self.weight(term)
            for i in postings:
                votes[i] += w
        best = sorted(votes, key=votes.__getitem__, reverse=True)[:CANDIDATES]
        return [self._entries[i] for i in best]

    def _score(self, entry: _Entry, query: _Query) -> Match:
        tune = self.tuning
        terms = query.terms
        covered = self._covered(entry, terms)
        foreign = sum(
            query.weights[t] * (tune.name_weight if t in self._names else 1.0)
            for t in terms
            if t in self._idf and t not in entry.asked and t not in entry.told
        )
        coverage = covered / (query.total + (tune.foreign_weight - 1) * foreign)
        closeness = self._closeness(entry, query)
        hit = [t for t in terms if t in entry.asked or t in entry.told]
        penalty = 1.0
        if (len(terms) >= 3 and 2 * len(hit) < len(terms)) or all(t in self._common for t in hit):
            penalty *= tune.sparse_mismatch  # one known word in a sentence of others, or 'work'
        hits = len(hit)
        set_aside = _set_aside(entry, query)
        if set_aside:
            penalty *= tune.excluded_mismatch  # 'apart from the sanctions': not that fact
        wanted = query.analysis.attributes
        missing = wanted - answerable(
            wanted, asked=entry.attributes, held=entry.held, met=self._met(entry, query)
        )
        soft = self.analyzer.language.soft_attributes
        for attribute in missing:
            penalty *= tune.soft_mismatch if attribute in soft else tune.hard_mismatch
        mix = tune.coverage_share * coverage + (1 - tune.coverage_share) * closeness
        score = mix * penalty
        off_point = (
            bool(missing - soft)
            or self._new_number(entry, terms)
            or bool(query.analysis.focus)  # 'which car *models*': nothing here mentions models
            or bool(query.narrowing - entry.narrowing)  # 'when did they *first* meet'
        )
        unknown = sum(1 for t in terms if t not in self._idf) / len(terms)
        evidence = covered / self._evidence_unit
        share = hits / len(terms)
        return Match(
            entry.fact.id,
            score,
            coverage,
            closeness,
            share,
            unknown,
            evidence,
            off_point,
            penalty=penalty,
            set_aside=set_aside,
        )

    def _new_number(self, entry: _Entry, terms: frozenset[str]) -> bool:
        """A number the question gives and the fact never says, where its phrasings do not
        vary numbers of that kind and the event's own name does not hold it: 'in 2014'."""
        return any(
            _number(t)
            and t not in entry.asked
            and t not in entry.told
            and t not in self._event_numbers
            and _number_kind(t) not in entry.free_numbers
            for t in terms
        )

    @staticmethod
    def _met(entry: _Entry, query: _Query) -> frozenset[str]:
        """What the fact's answer gives for this question: a count of the thing asked for
        ('how many barrels': '30 million barrels'), a person named beside a word it asks about
        ('the name of the spokesman': 'press spokesman Dmitry Peskov'). Any name the question
        does not say was tried too: answers name more than they are asked for ('the name of
        the Conservative who beat Farage' met 'Farage lost South Thanet'). A duration counts
        the units of time asked for ('how many days': 'a three-day visit')."""
        met = set()
        if not entry.counted.isdisjoint(query.analysis.wanted):
            met.add("count")
        if "duration" in query.analysis.attributes and "duration" in entry.held:
            met.add("count")  # 'how many seconds did it hover': 'for 4.5 seconds' counts them
        if not entry.named.isdisjoint(query.terms):
            met.add("name")
        return frozenset(met)

    def _closeness(self, entry: _Entry, query: _Query) -> float:
        """How close the question is to the fact's nearest phrasing, in [0, 1]."""
        share = self.tuning.fuzz_share
        best = 0.0
        ratios = process.extract(query.text, entry.texts, scorer=fuzz.ratio, limit=None)
        for _, ratio, i in ratios:
            phrasing = entry.phrasings[i]
            common = query.terms & phrasing.terms
            overlap = sum(query.weights[t] for t in common) if common else 0.0
            dice = 2 * overlap / (query.total + phrasing.weight)
            best = max(best, share * ratio / 100 + (1 - share) * dice)
        return best
