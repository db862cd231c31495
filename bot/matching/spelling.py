"""Typo correction against the fact base's own vocabulary, cautious by design.

Only words the fact base does not know are corrected, and only to a known word with the same
first letter within a small edit distance: 1 for words of 4-8 letters (no substitution in a
word of 4 letters or in a real word of 5, 'shore', and a real short word such as 'plan' or
'hate' keeps its length), 2 from 9 letters on. Real words one or two letters from a known one
('present', 'generation') are the risk; these limits keep most of them intact.
Ties go to the word the fact base uses most.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from rapidfuzz import process
from rapidfuzz.distance import OSA, Indel

_MIN_LEN = 4


def _allowed(
    distance: int, word: str, candidate: str, *, substitutions: bool, short_words: frozenset[str]
) -> bool:
    if word[0] != candidate[0]:
        return False
    if len(word) >= 9 and substitutions:
        return distance <= 2
    if distance != 1:
        return False
    if substitutions and (len(word) >= 6 or (len(word) == 5 and word not in short_words)):
        return True  # 'seets' -> 'seats'; a real word of five letters ('shore') stays
    # Short words: two swapped letters ('chian'), or one letter more or less ('rusia', 'trde')
    # unless the word is a real one ('plan' must not become 'plant'); never a substitution.
    if sorted(word) == sorted(candidate):
        return True
    return word not in short_words and Indel.distance(word, candidate) == 1


class Speller:
    """Maps an unknown word to the closest known one, or leaves it alone.

    `short_words`: real words of 4-5 letters that are never a typo of a longer or shorter
    word (knowledge/language/en/short_words.txt, passed in by the caller).
    """

    def __init__(
        self,
        known: Iterable[str],
        *,
        substitutions: bool = True,
        short_words: frozenset[str] = frozenset(),
        cache_size: int = 50_000,
    ) -> None:
        self._substitutions = substitutions
        self._short_words = short_words
        counts = Counter(w for w in known if w)
        self._known = frozenset(counts)
        self._counts = counts
        self._pools: dict[tuple[str, int], list[str]] = {}  # by first letter and length
        for w in counts:
            self._pools.setdefault((w[0], len(w)), []).append(w)
        self._cache: dict[str, str] = {}
        self._cache_size = cache_size

    def __contains__(self, word: str) -> bool:
        return word in self._known

    def completion(self, prefix: str) -> str | None:
        """The known word most used that starts with `prefix` (for autocomplete), if any."""
        if len(prefix) < 3:
            return None
        found = [w for w in self._known if w.startswith(prefix) and w != prefix]
        return max(found, key=lambda w: (self._counts[w], -len(w)), default=None)

    def correct(self, word: str) -> str:
        if word in self._known or len(word) < _MIN_LEN or not word.isalpha():
            return word
        hit = self._cache.get(word)
        if hit is None:
            hit = self._closest(word)
            if len(self._cache) >= self._cache_size:
                self._cache.clear()
            self._cache[word] = hit
        return hit

    def _closest(self, word: str) -> str:
        best: tuple[int, int, str] | None = None
        for length in range(len(word) - 2, len(word) + 3):
            pool = self._pools.get((word[0], length))  # a typo keeps its first letter
            if not pool:
                continue
            for candidate, distance, _ in process.extract(
                word, pool, scorer=OSA.distance, score_cutoff=2, limit=None
            ):
                if not _allowed(
                    int(distance),
                    word,
                    candidate,
                    substitutions=self._substitutions,
                    short_words=self._short_words,
                ):
                    continue
                key = (int(distance), -self._counts[candidate], candidate)
                if best is None or key < best:
                    best = key
        return best[2] if best else word
