"""A stand-in for the sentence model (tests/test_semantic_model.py tests the real one)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def letter_counts(texts: Sequence[str]) -> np.ndarray:
    """Each text's counts of the letters a-z: instant, and texts with the same letters are
    'near'."""
    out = np.zeros((len(texts), 26), dtype=np.float32)
    for i, text in enumerate(texts):
        for ch in text.lower():
            if "a" <= ch <= "z":
                out[i, ord(ch) - 97] += 1
    return out
