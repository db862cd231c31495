"""Answer, suggest or abstain: a calibrated confidence that the best fact is right.

The confidence is a logistic model of what the index measured about the best match: its
score, its lead over the runner-up, coverage, closeness, the share of the question's words it
has, the share the fact base lacks, and how much rare-word evidence it rests on. The weights
are fitted on labelled eval questions by `benchmarks/calibrate.py`, so that a confidence of
0.8 means about 8 in 10 such answers are right. The engine answers from `Tuning.answer_at`;
below that it offers "did you mean".
"""

from __future__ import annotations

import math

from bot.index import Match, Tuning
from bot.types import Outcome


def features(found: list[Match]) -> list[float]:
    """What the confidence model reads: the best match, and its lead over the runner-up."""
    best = found[0]
    runner_up = found[1].score if len(found) > 1 else 0.0
    lead = best.score - runner_up
    evidence = math.log1p(best.evidence)
    return [best.score, lead, best.coverage, best.closeness, best.hits, best.unknown, evidence]


def confidence(found: list[Match], tune: Tuning) -> float:
    """The probability, in [0, 1], that the best match answers the question."""
    if not found:
        return 0.0
    bias, *weights = tune.confidence_weights
    z = bias + sum(w * x for w, x in zip(weights, features(found), strict=True))
    return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))


def decide(found: list[Match], tune: Tuning) -> tuple[Outcome, float]:
    """The outcome for these matches (best first) and the confidence behind it."""
    if not found or found[0].score < tune.suggest_at:
        return Outcome.ABSTAINED, 0.0
    sure = confidence(found, tune)
    if found[0].off_point:  # 'what are the pandas called': the pandas fact names no names
        return Outcome.SUGGESTED, min(sure, tune.answer_at / 2)
    if found[0].evidence < 1.0:  # 'russia', 'putin': many facts fit, none stands out
        return Outcome.SUGGESTED, sure * found[0].evidence
    return (Outcome.ANSWERED if sure >= tune.answer_at else Outcome.SUGGESTED), sure
