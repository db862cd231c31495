"""Fit the engine's answer confidence: a logistic model of "the best fact is right".

    python benchmarks/calibrate.py FIT.jsonl [FIT2.jsonl ...] --check HELD_OUT.jsonl

For every question it takes what the engine measured about its best match (score, lead over
the runner-up, coverage, closeness, share of words hit, share of unknown words), labels it
1 when that fact's answer is right (0 for questions that must be abstained), and fits the
weights by gradient descent. It prints the weights to copy into `bot.index.Tuning.confidence`
and the accuracy at a range of answer thresholds, on the fitting files and on --check files.
"""

from __future__ import annotations

import argparse
import json
import math
from dataclasses import replace
from pathlib import Path

import knowledge
from bot import Engine, load_knowledge
from bot.decision import features
from bot.evaluate import is_right
from bot.index import Tuning


def rows(engine: Engine, paths: list[Path]) -> list[tuple[list[float], int, dict, bool]]:
    facts = {f.id: f for f in engine.knowledge.facts}
    out = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            found = engine.search(item["q"])
            if not found:
                out.append(([], 0, item, False))
                continue
            right = item["expect"] != "abstain" and is_right(
                item["expect"], answered=True, text=facts[found[0].fact_id].answer
            )
            best = found[0]  # the rules in bot.decision that come before the model:
            usable = best.score >= engine.tuning.suggest_at and not best.off_point
            usable = usable and best.evidence >= 1.0
            out.append((features(found), int(right), item, usable))
    return out


def fit(data: list[tuple[list[float], int, dict, bool]], *, steps: int = 4000) -> list[float]:
    xs = [(x, y) for x, y, _, ok in data if x and ok]
    w = [0.0] * (len(xs[0][0]) + 1)
    rate, l2 = 0.5, 1e-3
    for _ in range(steps):
        grad = [0.0] * len(w)
        for x, y in xs:
            p = _sigmoid(w[0] + sum(wi * xi for wi, xi in zip(w[1:], x, strict=True)))
            grad[0] += p - y
            for i, xi in enumerate(x, 1):
                grad[i] += (p - y) * xi
        w = [wi - rate * (g / len(xs) + l2 * wi) for wi, g in zip(w, grad, strict=True)]
    return w


def _sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))


def grade(data: list, w: list[float], threshold: float) -> tuple[float, float, float]:
    right_ans = n_ans = right_abs = n_abs = wrong = 0
    for x, y, item, ok in data:
        answered = bool(x) and ok and _sigmoid(
            w[0] + sum(wi * xi for wi, xi in zip(w[1:], x, strict=True))
        ) >= threshold
        if item["expect"] == "abstain":
            n_abs += 1
            right_abs += not answered
            wrong += answered
        else:
            n_ans += 1
            right_ans += answered and y
            wrong += answered and not y
    return right_ans / n_ans, right_abs / max(1, n_abs), wrong / len(data)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--check", nargs="*", type=Path, default=[])
    args = parser.parse_args()
    engine = Engine(load_knowledge(knowledge.DEFAULT), tuning=replace(Tuning()))
    data = rows(engine, args.files)
    w = fit(data)
    print("confidence weights:", tuple(round(v, 3) for v in w))
    checks = {p.name: rows(engine, [p]) for p in args.check}
    for threshold in (0.4, 0.5, 0.6, 0.7, 0.8):
        shown = {"fit": data, **checks}
        line = [f"t={threshold}"] + [
            f"{name} " + " ".join(f"{v:.1%}" for v in grade(rows_, w, threshold))
            for name, rows_ in shown.items()
        ]
        print("  ".join(line))


if __name__ == "__main__":
    main()
