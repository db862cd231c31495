"""Answer, suggest or abstain: the fitted confidence that the best fact is right.

The confidence and the threshold it is compared with are fitted on the loaded fact base
(bot/calibration.py). One rule comes before them, whatever the confidence: a match that asks
for something its fact never mentions (`off_point`: a name, a price, a date the answer lacks)
is never answered outright; it is offered as "did you mean", as is a fact about what the
question sets aside ('apart from the sanctions, what else ...'). Below the threshold, a match
that is near by the ranker or by its words is offered too, unless the confidence is a small
share of the threshold (the ranker ranks a question about pizza too; its best is still no
candidate); anything else is abstained.
"""

from __future__ import annotations

from bot.matching.calibration import Scorer
from bot.matching.match import Match, Tuning
from bot.types import Outcome

SUGGEST_SHARE = 0.25  # of answer_at: a confidence below it is no question about any fact


def gated(best: Match) -> bool:
    """A best match that is never answered outright, however sure the model is: a near miss,
    or the fact about what the question sets aside (offered: it may hold the rest too)."""
    return best.off_point or best.set_aside


def near(match: Match, tune: Tuning) -> bool:
    """Close enough to be offered as "did you mean": by the ranker, or by words alone."""
    return max(match.score, match.lexical) >= tune.suggest_at


def confidence(found: list[Match], scorer: Scorer) -> float:
    """How sure the decision is of these matches' best: a gated one ('what are the pandas
    called': the pandas fact names no names) is at most half the threshold."""
    if not found:
        return 0.0
    sure = scorer.sure(found)
    return min(sure, scorer.answer_at / 2) if gated(found[0]) else sure


def decide(found: list[Match], scorer: Scorer, tune: Tuning) -> tuple[Outcome, float]:
    """The outcome for these matches (ranked, best first) and the confidence behind it."""
    if not found:
        return Outcome.ABSTAINED, 0.0
    sure = confidence(found, scorer)
    if sure >= scorer.answer_at:
        return Outcome.ANSWERED, sure
    offered = near(found[0], tune) and sure >= SUGGEST_SHARE * scorer.answer_at
    return (Outcome.SUGGESTED if offered else Outcome.ABSTAINED), sure
