"""The optional meaning signal: sentence embeddings of a fact's phrasings.

An `Embedder` is any callable from texts to one vector per text (a matrix, a row each). The
engine never loads a model itself: the edge passes one in (adapters/semantic.py loads the
`semantic` extra's model from its installed package, no download), or None for words only.

    index = SemanticIndex(embedder, [("Are the pandas a gift?", "They are a loan."), ...])
    index.scores("were the bears presents")   # per fact: cosine to its nearest phrasing
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
    """Per fact, how near a question is in meaning (arrays in fact order)."""

    nearest: NDArray[np.float32]
    centre: NDArray[np.float32]
    separating: NDArray[np.float32]


class SemanticIndex:
    """Phrasing vectors of every fact, grouped by fact, normalised once."""

    def __init__(self, embedder: Embedder, groups: Sequence[Sequence[str]]) -> None:
        sizes = [len(group) for group in groups]
        if not sizes or min(sizes) < 1:
            raise ValueError("every fact needs at least one text")
        self._embed = embedder
        self._starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.intp)
        self._vectors = _normalised(embedder([text for group in groups for text in group]))
        sums = np.add.reduceat(self._vectors, self._starts, axis=0)
        self._centres = _normalised(sums)
        # A ridge classifier over the vectors (one-hot facts as targets), solved in closed
        # form: what sets each fact's phrasings apart from the others'.
        gram = self._vectors.T @ self._vectors + RIDGE * np.eye(self._vectors.shape[1])
        self._separating = np.linalg.solve(gram, sums.T).astype(np.float32)

    def scores(self, text: str) -> Meaning:
        """For each fact: the cosine between `text` and its nearest phrasing, the cosine to
        the mean of its phrasings, and the ridge classifier's score."""
        query = _normalised(self._embed([text]))[0]
        similarity: NDArray[np.float32] = self._vectors @ query
        return Meaning(
            np.maximum.reduceat(similarity, self._starts),
            self._centres @ query,
            query @ self._separating,
        )

    @staticmethod
    def nearest(scores: NDArray[np.float32], limit: int) -> list[int]:
        """The positions of the `limit` highest scores."""
        if len(scores) <= limit:
            return list(range(len(scores)))
        return [int(i) for i in np.argpartition(-scores, limit)[:limit]]


def _normalised(vectors: Vectors) -> Vectors:
    matrix = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    normalised: Vectors = matrix / norms
    return normalised
