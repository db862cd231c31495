"""The optional meaning signal: sentence embeddings of a fact's phrasings.

An `Embedder` is any callable from texts to one vector per text (a matrix, a row each). The
engine never loads a model itself: the edge passes one in (operations/engines.py loads the
`semantic` extra's model from its installed package, no download), or None for words only.

    index = SemanticIndex(embedder, [("Are the pandas a gift?", "They are a loan."), ...])
    meaning = index.scores("were the bears presents")     # centre and classifier, per fact
    index.nearest_phrasing(meaning.query, [0, 3])           # cosine to the nearest phrasing
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

Vectors = NDArray[np.float32]
Embedder = Callable[[Sequence[str]], Vectors]


RIDGE = 1.0


class Meaning(NamedTuple):
    """How near a question is in meaning to every fact (arrays in fact order)."""

    query: NDArray[np.float32]  # the question's vector
    centre: NDArray[np.float32]  # cosine to the mean of each fact's phrasings
    separating: NDArray[np.float32]  # the ridge classifier's score for each fact


class SemanticIndex:
    """Phrasing vectors of every fact, grouped by fact, normalised once.

    Per question, the centre and classifier scores cost one small product per fact; the
    nearest phrasing is looked up only for the candidate facts, so a question costs about the
    same against a large fact base as against a small one.
    """

    def __init__(self, embedder: Embedder, groups: Sequence[Sequence[str]]) -> None:
        sizes = [len(group) for group in groups]
        if not sizes or min(sizes) < 1:
            raise ValueError("every fact needs at least one text")
        self._embed = embedder
        self._ends = np.cumsum(sizes).astype(np.intp)
        self._starts = self._ends - np.asarray(sizes, dtype=np.intp)
        self._vectors = _normalised(embedder([text for group in groups for text in group]))
        sums = np.add.reduceat(self._vectors, self._starts, axis=0)
        self._centres = _normalised(sums)
        # A ridge classifier over the vectors (one-hot facts as targets), solved in closed
        # form: what sets each fact's phrasings apart from the others'.
        gram = self._vectors.T @ self._vectors + RIDGE * np.eye(self._vectors.shape[1])
        self._separating = np.linalg.solve(gram, sums.T).astype(np.float32)
        self.typical = _typical(self._vectors, sums, self._starts)

    def scores(self, text: str) -> Meaning:
        query = _normalised(self._embed([text]))[0]
        return Meaning(query, self._centres @ query, query @ self._separating)

    def nearest_phrasing(self, query: NDArray[np.float32], facts: Sequence[int]) -> list[float]:
        """For each of `facts` (positions), the cosine between `query` and its nearest phrasing."""
        if not facts:
            return []
        rows = np.concatenate([np.arange(self._starts[f], self._ends[f]) for f in facts])
        similarity = self._vectors[rows] @ query
        sizes = self._ends[list(facts)] - self._starts[list(facts)]
        offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.intp)
        return [float(v) for v in np.maximum.reduceat(similarity, offsets)]

    @staticmethod
    def best(scores: NDArray[np.float32], limit: int) -> list[int]:
        """The positions of the `limit` highest scores."""
        if len(scores) <= limit:
            return list(range(len(scores)))
        return [int(i) for i in np.argpartition(-scores, limit)[:limit]]


def _typical(vectors: Vectors, sums: Vectors, starts: NDArray[np.intp]) -> NDArray[np.float32]:
    """How near, on average, each fact's phrasing is to the centre of its other phrasings:
    what a new phrasing of that fact is likely to score (the median over facts where a fact
    has only one)."""
    sizes = np.diff(starts, append=len(vectors))
    fact = np.repeat(np.arange(len(sizes)), sizes)
    rest = _normalised(sums[fact] - vectors)
    near = np.einsum("ij,ij->i", vectors, rest)
    mean = np.add.reduceat(near, starts) / sizes
    single = sizes < 2
    fill = float(np.median(mean[~single])) if (~single).any() else 1.0
    return np.where(single, fill, mean).astype(np.float32)


def _normalised(vectors: Vectors) -> Vectors:
    matrix = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    normalised: Vectors = matrix / norms
    return normalised


class Remembering:
    """An embedder that remembers the vector of every text it embeds until `forget()`: the fit
    builds several indexes from the same phrasings, then asks phrasings one at a time (as the
    cleaned text of a question, most often the phrasing itself); each text is embedded once."""

    def __init__(self, embedder: Embedder) -> None:
        self._embedder = embedder
        self._seen: dict[str, NDArray[np.float32]] | None = {}

    def __call__(self, texts: Sequence[str]) -> Vectors:
        if self._seen is None:  # built: a question, nothing to remember
            return self._embedder(texts)
        seen = self._seen
        new = [t for t in dict.fromkeys(texts) if t not in seen]
        if new:
            seen.update(zip(new, np.asarray(self._embedder(new), dtype=np.float32), strict=True))
        return np.stack([seen[t] for t in texts])

    def forget(self) -> None:
        self._seen = None
