"""How far the confidence's own measurements can go on the events (benchmarks/events/).

    python -m benchmarks.ceiling [--events DIR] [--json docs/bench/ceiling.json]

Each event's questions are matched as the bot matches them (shipped fit, sentence model on),
and three deciders are compared over the pooled questions:

- **shipped**: the fitted confidence and threshold, as the bot answers;
- **shipped, best threshold**: the same confidence with the threshold chosen on these very
  questions, the most a better threshold could give;
- **fitted on the questions**: a logistic regression over the same features the confidence
  reads (calibration.confidence_features), trained on these very questions (5-fold
  cross-validation, pooled over the events), with its best threshold.

A best threshold answers the most answerable questions right with at most 3% of all
questions answered wrong (the bar the fit holds the bot to). The second and third see the
answers; no bot can. If even they are not far above the first, the measurements do not hold
what tells a right answer from a wrong one, and a refit of them has little to gain: a new
signal is needed. The share of answerable questions whose best-ranked fact is right ("top-1")
is what a perfect decider would answer. Needs the `bench` extra (scikit-learn). A question
answered by a rule before matching (a command, a follow-up) or decided otherwise than by its
best match keeps the bot's own outcome in every column.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.common import load_eval, machine, write_json
from benchmarks.events import EVENTS
from bot import Engine, Outcome, Question
from bot.evaluate import Expect, Graded, parse_expect, report
from bot.matching.calibration import MAX_WRONG, RANK_LIMIT, confidence_features
from bot.matching.decision import decide, gated
from bot.matching.semantic import Embedder
from bot.replies import fact_answer
from knowledge.loader import load_knowledge, load_language
from knowledge.types import Language
from operations.engines import load_embedder

FOLDS = 5
NAMES = ("shipped", "shipped_best_threshold", "fitted_on_questions")


@dataclass(frozen=True, slots=True)
class Row:
    """One question as the deciders see it."""

    question: str
    expect: Expect
    features: tuple[float, ...] | None  # None: decided by a rule, not by its best match
    best: tuple[str, str] | None  # the best fact's id and answer text
    never: bool  # its best match is one the engine never answers (a near miss)
    shipped: float  # the shipped confidence
    shipped_at: float
    real: Graded  # what the bot did

    def graded(self, answered: bool) -> Graded:
        """The row answered with its best fact, or not; the bot's own outcome when a rule
        decided it."""
        if self.features is None:
            return self.real
        fact_id, text = self.best if answered and self.best else (None, "")
        return Graded(self.question, "", self.expect, answered, text, fact_id)

    @property
    def right_if_answered(self) -> bool:
        """The best fact's answer is right (whatever decided the row)."""
        if self.best is None:
            return False
        fact_id, text = self.best
        return Graded(self.question, "", self.expect, True, text, fact_id).right


def rows(folder: Path, language: Language, embedder: Embedder | None) -> list[Row]:
    engine = Engine(load_knowledge(folder / "facts.yaml"), language, embedder=embedder)
    ids = [f.id for f in engine.knowledge.facts]
    out = []
    for n, item in enumerate(load_eval(folder / "questions.jsonl"), 1):
        q, expect = item["q"], parse_expect(item["expect"], line=n, fact_ids=ids)
        real = engine.answer(Question(q, platform="bench", conversation=f"c:{n}"))
        found = engine.search(q, limit=RANK_LIMIT)
        fact = engine.knowledge.fact(found[0].fact_id) if found else None
        outcome, sure = decide(found, engine.scorer, engine.tuning)
        by_match = fact is not None and real.outcome is not Outcome.COMMAND and (
            (outcome is Outcome.ANSWERED) == real.answered)
        out.append(Row(
            q,
            expect,
            tuple(confidence_features(found)) if by_match else None,
            (fact.id, fact_answer(engine.knowledge, fact, 1.0, q).text) if fact else None,
            bool(found) and gated(found[0]),
            sure,
            engine.scorer.answer_at,
            Graded(q, "", expect, real.answered, real.text, real.fact_id),
        ))
    return out


def figures(table: list[Row], answered: list[bool]) -> dict[str, float]:
    """Answerable right, abstained right and wrong (% of all) when `answered` says which of
    the rows decided by their match are answered."""
    result = report(row.graded(says) for row, says in zip(table, answered, strict=True))
    return {"answerable": round(100 * result.answerable, 1),
            "abstain": round(100 * result.abstain, 1),
            "wrong": round(100 * result.confident_wrong, 1)}


def best_threshold(table: list[Row], scores: np.ndarray) -> dict[str, float]:
    """The figures at the threshold on `scores` that answers the most answerable questions
    right with at most MAX_WRONG of all questions answered wrong."""
    best = figures(table, [False] * len(table))
    for at in np.unique(scores):
        says = [bool(s >= at) and not r.never for s, r in zip(scores, table, strict=True)]
        result = figures(table, says)
        if result["wrong"] <= 100 * MAX_WRONG and result["answerable"] > best["answerable"]:
            best = result
    return best


def fitted_on_questions(table: list[Row]) -> np.ndarray:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    decided = [i for i, r in enumerate(table) if r.features is not None]
    x = np.array([table[i].features for i in decided])
    y = np.array([int(table[i].right_if_answered) for i in decided])
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=5000))
    folds = StratifiedKFold(FOLDS, shuffle=True, random_state=0)
    scores = np.zeros(len(table))
    scores[decided] = cross_val_predict(model, x, y, cv=folds, method="predict_proba")[:, 1]
    return scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=Path, default=EVENTS, help="a folder of events")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    language, embedder = load_language(), load_embedder()
    folders = sorted(p for p in args.events.iterdir() if (p / "facts.yaml").exists())
    table = [row for folder in folders for row in rows(folder, language, embedder)]
    shipped = figures(table, [r.shipped >= r.shipped_at and not r.never for r in table])
    relative = np.array([r.shipped / r.shipped_at for r in table])  # one scale for all events
    answerable = [r.right_if_answered for r in table if not r.real.must_abstain]
    results: dict[str, Any] = {
        "questions": len(table),
        "events": len(folders),
        "top1": round(100 * sum(answerable) / max(1, len(answerable)), 1),
        "shipped": shipped,
        "shipped_best_threshold": best_threshold(table, relative),
        "fitted_on_questions": best_threshold(table, fitted_on_questions(table)),
    }
    print(f"{len(table)} questions of {len(folders)} events, pooled: answerable right, "
          f"abstained right, wrong (% of all); the best thresholds keep wrong <= "
          f"{100 * MAX_WRONG:.0f}%")
    for name in NAMES:
        r = results[name]
        print(f"  {name:24} {r['answerable']:5.1f}  {r['abstain']:5.1f}  {r['wrong']:4.1f}")
    print(f"  top-1 (a perfect decider) {results['top1']:5.1f}")
    if args.json:
        write_json(args.json, {"machine": machine(), **results})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
