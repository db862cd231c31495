"""A word and character n-gram classifier over a fact base's phrasings, fitted at load.

Every phrasing is a labelled example of its fact. Each text becomes TF-IDF weights of its word
unigrams and bigrams and of the character 3-5-grams inside its words (so "pandaz" and
"pandas" share most of theirs), hashed into a fixed number of columns; a ridge classifier
(one-hot facts as targets) is solved in closed form on them. Its score says what sets a fact's
phrasings apart from the others', which the word coverage of bot/index.py does not learn.

    model = NgramClassifier.fit([("Who won?", "the winner"), ("How far is it?",)])
    model.scores("who was the winner")      # one score a fact, in fact order

Numpy only, no vocabulary kept but the hashed columns' IDF: a fit costs about
min(N, COLUMNS)^2 * max(N, COLUMNS) for N phrasings (0.1 s at 1,500, 1-2 s at 15,000); a fact
base past MAX_PHRASINGS or MAX_FACTS gets none (the ranker then weighs the other signals).
"""

from __future__ import annotations

import math
import zlib
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from itertools import pairwise

import numpy as np
from numpy.typing import NDArray

from bot.text import clean, words

COLUMNS = 2048
RIDGE = 1.0
CHARS = (3, 5)
MAX_PHRASINGS = 30_000
MAX_FACTS = 3_000


def ngrams(text: str) -> Counter[str]:
    """The text's word 1-2-grams and in-word character 3-5-grams, with their counts."""
    said = words(clean(text))
    found: Counter[str] = Counter(said)
    found.update(f"{a} {b}" for a, b in pairwise(said))
    for word in said:
        found.update(_char_grams(word))
    return found


@lru_cache(maxsize=50_000)
def _char_grams(word: str) -> tuple[str, ...]:
    low, high = CHARS
    padded = f" {word} "
    return tuple(
        f"#{padded[i : i + n]}"
        for n in range(low, high + 1)
        for i in range(max(1, len(padded) - n + 1))
    )


def _column(gram: str, idf: float) -> tuple[int, float]:
    """The hashed column of an n-gram and its IDF, signed (signs cancel collisions on
    average)."""
    code = zlib.crc32(gram.encode("utf-8"))
    return code % COLUMNS, idf if (code >> 16) & 1 else -idf


class NgramClassifier:
    """Fitted on groups of texts (one group a fact); `scores` ranks the facts for a text."""

    def __init__(self, idf: dict[str, float], weights: NDArray[np.float32]) -> None:
        self._columns = {gram: _column(gram, weight) for gram, weight in idf.items()}
        self._weights = weights  # COLUMNS x facts

    @classmethod
    def fit(cls, groups: Sequence[Sequence[str]]) -> NgramClassifier | None:
        """None when the fact base is too large (or too small) to fit one."""
        sizes = [len(group) for group in groups]
        if len(groups) < 2 or len(groups) > MAX_FACTS or sum(sizes) > MAX_PHRASINGS:
            return None
        counts = [ngrams(text) for group in groups for text in group]
        df = Counter(gram for found in counts for gram in found)
        n = len(counts)
        idf = {gram: math.log((1 + n) / (1 + d)) + 1 for gram, d in df.items()}
        model = cls(idf, np.zeros((COLUMNS, len(groups)), dtype=np.float32))
        x = np.stack([model._vector(found) for found in counts])
        y = np.zeros((n, len(groups)), dtype=np.float32)
        y[np.arange(n), np.repeat(np.arange(len(groups)), sizes)] = 1.0
        if n < COLUMNS:  # the dual: an n x n system
            gram = x @ x.T + RIDGE * np.eye(n, dtype=np.float32)
            model._weights = (x.T @ np.linalg.solve(gram, y)).astype(np.float32)
        else:
            gram = x.T @ x + RIDGE * np.eye(COLUMNS, dtype=np.float32)
            model._weights = np.linalg.solve(gram, x.T @ y).astype(np.float32)
        return model

    def _vector(self, found: Counter[str]) -> NDArray[np.float32]:
        vector = np.zeros(COLUMNS, dtype=np.float32)
        columns = self._columns
        for gram, count in found.items():
            known = columns.get(gram)
            if known is not None:
                vector[known[0]] += known[1] * (1 + math.log(count)) if count > 1 else known[1]
        norm = float(np.linalg.norm(vector))
        return vector / norm if norm else vector

    def scores(self, text: str) -> NDArray[np.float32]:
        """The classifier's score for every fact (about 1 for a fact's own phrasing)."""
        vector = self._vector(ngrams(text))
        used = np.flatnonzero(vector)
        scored: NDArray[np.float32] = vector[used] @ self._weights[used]
        return scored
