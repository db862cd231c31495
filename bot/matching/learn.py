"""A small logistic model, fitted with Newton's method: the ranker and the confidence use it.

    model = Logistic.fit(rows, labels, weights=sample_weights)
    model.probability([0.4, 0.9, ...])   # in (0, 1)

Features are standardised before fitting; a little L2 keeps the weights finite when the
classes separate (a small fact base often does). The fitted model is a frozen value that
`as_dict`/`from_dict` turn into JSON-safe numbers, so a caller can cache it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

_L2 = 1.0  # on standardised weights: matters for a small fact base, not for a large one
_STEPS = 25


@dataclass(frozen=True, slots=True)
class Logistic:
    """p = sigmoid(bias + sum(w_i * (x_i - mean_i) / scale_i))."""

    bias: float
    weights: tuple[float, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]

    @classmethod
    def fit(
        cls,
        rows: Sequence[Sequence[float]],
        labels: Sequence[int],
        *,
        weights: Sequence[float] | None = None,
    ) -> Logistic:
        x = np.asarray(rows, dtype=np.float64)
        y = np.asarray(labels, dtype=np.float64)
        s = np.ones(len(y)) if weights is None else np.asarray(weights, dtype=np.float64)
        mean = x.mean(axis=0)
        scale = x.std(axis=0)
        scale[scale < 1e-9] = 1.0
        z = np.hstack([np.ones((len(y), 1)), (x - mean) / scale])
        theta = np.zeros(z.shape[1])
        ridge = _L2 * np.eye(z.shape[1])
        ridge[0, 0] = 0.0  # the bias is not shrunk
        for _ in range(_STEPS):
            p = 1 / (1 + np.exp(-np.clip(z @ theta, -30, 30)))
            gradient = z.T @ (s * (p - y)) + ridge @ theta
            hessian = (z * (s * p * (1 - p))[:, None]).T @ z + ridge
            step = np.linalg.solve(hessian + 1e-9 * np.eye(len(theta)), gradient)
            theta -= step
            if float(np.abs(step).max()) < 1e-6:
                break
        return cls(
            float(theta[0]),
            tuple(float(w) for w in theta[1:]),
            tuple(float(m) for m in mean),
            tuple(float(v) for v in scale),
        )

    @classmethod
    def fit_increasing(
        cls,
        rows: Sequence[Sequence[float]],
        labels: Sequence[int],
        *,
        weights: Sequence[float] | None = None,
    ) -> Logistic:
        """Fit with every weight >= 0: each feature is one where more means likelier.

        A feature that gets a negative weight (a small sample's accident, or two features
        that say the same thing) is dropped and the rest refitted.
        """
        size = len(rows[0])
        used = list(range(size))
        while True:
            model = cls.fit([[row[i] for i in used] for row in rows], labels, weights=weights)
            negative = [i for i, w in zip(used, model.weights, strict=True) if w < 0]
            if not negative:
                break
            used = [i for i in used if i not in negative]
            if not used:
                return cls.constant(_rate(labels, weights), size=size)
        fitted = zip(model.weights, model.mean, model.scale, strict=True)
        full = dict(zip(used, fitted, strict=True))
        w, m, s = zip(*(full.get(i, (0.0, 0.0, 1.0)) for i in range(size)), strict=True)
        return cls(model.bias, tuple(w), tuple(m), tuple(s))

    @classmethod
    def constant(cls, probability: float, *, size: int) -> Logistic:
        """A model that says `probability` whatever it is shown (too little data to fit)."""
        bias = math.log(probability / (1 - probability))
        return cls(bias, (0.0,) * size, (0.0,) * size, (1.0,) * size)

    def probability(self, features: Sequence[float]) -> float:
        z = self.bias + sum(
            w * (x - m) / s
            for w, x, m, s in zip(self.weights, features, self.mean, self.scale, strict=True)
        )
        return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))

    def as_dict(self) -> dict[str, Any]:
        return {"bias": self.bias, "weights": self.weights, "mean": self.mean, "scale": self.scale}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Logistic:
        return cls(
            float(data["bias"]),
            tuple(float(v) for v in data["weights"]),
            tuple(float(v) for v in data["mean"]),
            tuple(float(v) for v in data["scale"]),
        )


def _rate(labels: Sequence[int], weights: Sequence[float] | None) -> float:
    w = [1.0] * len(labels) if weights is None else list(weights)
    rate = sum(x * y for x, y in zip(w, labels, strict=True)) / max(sum(w), 1e-9)
    return min(0.99, max(0.01, rate))
