"""The quality bar, measured the way `summit-bot eval` measures it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot import Engine, Question
from bot.evaluate import Graded, Report, report
from tests.conftest import DEV_EVAL, ROOT


def _run(engine: Engine, path: Path) -> Report:
    graded = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        item = json.loads(line)
        answer = engine.answer(Question(item["q"], conversation=f"{path.name}:{number}"))
        graded.append(Graded(item["q"], item["kind"], item["expect"], answer.answered, answer.text))
    return report(graded)


@pytest.mark.skipif(not DEV_EVAL.exists(), reason="no ../shared/eval/dev.jsonl beside the checkout")
def test_dev_eval_meets_the_bar(engine: Engine) -> None:
    """The ranker and threshold are fitted on the fact base alone, never on this file: 89% is
    what that gives (the hand-tuned engine before it reached 97.8% here, tuned on this file,
    and was wrong 3% of the time on blind.jsonl where this one is wrong 2%)."""
    result = _run(engine, DEV_EVAL)
    misses = [(g.kind, g.question[:80], g.text[:80]) for g in result.failures]
    assert result.answerable >= 0.85, misses
    assert result.abstain >= 0.95, misses
    assert result.confident_wrong <= 0.03, misses


def test_independent_eval_set_stays_near_the_bar(engine: Engine) -> None:
    """Written without sight of the fact base: a guard against tuning to the dev set alone."""
    result = _run(engine, ROOT / "tests" / "eval" / "extra.jsonl")
    assert result.answerable >= 0.88
    assert result.abstain >= 0.88
    assert result.confident_wrong <= 0.04
