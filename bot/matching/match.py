"""What a search finds: a `Match` (a fact and what its score is made of), and the `Tuning`
of the word score that produces it (bot/matching/index.py)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Tuning:
    """The word-scoring weights and rules' factors (chosen by hand on the summit's eval sets in
    an earlier version; the fitted ranker in bot/calibration.py decides how much they count)."""

    answer_text_weight: float = 0.8  # a word only in the answer covers less than a question word
    unknown_weight: float = 0.3  # words the fact base never uses, relative to the rarest word
    foreign_weight: float = 1.5  # words other facts use but this one does not: another topic
    name_weight: float = 2.0  # ... more so for a name (Calvey, Tula) another fact has
    common_weight: float = 0.5  # everyday words ('work', 'time', 'new') are weak evidence
    coverage_share: float = 0.6  # coverage vs closeness to the best phrasing
    fuzz_share: float = 0.5  # within closeness: token_sort_ratio vs weighted overlap
    sparse_mismatch: float = 0.8  # most of the question's words are not the fact's
    excluded_mismatch: float = 0.6  # the fact is about what the question sets aside
    hard_mismatch: float = 0.4  # asks for an attribute the fact never mentions
    soft_mismatch: float = 0.4  # ... one that facts often answer without naming it
    suggest_at: float = 0.3  # the ranked best below this: nothing is near, abstain
    context_share: float = 0.15  # long messages: weight of the whole message's known words


@dataclass(frozen=True, slots=True)
class Match:
    """A fact and how well it answers the question: a score in [0, 1] and what it is made of."""

    fact_id: str
    score: float
    coverage: float = 0.0  # share of the question's (weighted) words the fact has
    closeness: float = 0.0  # to its nearest phrasing
    hits: float = 0.0  # share of the question's terms the fact has, unweighted
    unknown: float = 0.0  # share of the question's terms the whole fact base lacks
    evidence: float = 0.0  # its words' rarity, in units of a word 5 facts use: 'russia' < 1
    off_point: bool = False  # asks for a name, date, reason ... or a number the fact lacks
    semantic: float = 0.0  # cosine to its nearest phrasing in meaning (0 without embedder)
    centre: float = 0.0  # cosine to the mean of its phrasings in meaning
    typical: float = 0.0  # ... and its phrasings' own, to the mean of the others
    separating: float = 0.0  # a ridge classifier's score over the phrasings' vectors
    ngram: float = 0.0  # a ridge classifier's score over word and character n-grams
    lexical: float = 0.0  # the word-based score, before the fitted ranker re-scores
    penalty: float = 1.0  # the rules' factor: set-aside subject, attribute never mentioned ...
    set_aside: bool = False  # about what the question sets aside ('apart from ...')
