"""The ranker and confidence are fitted on whichever fact base is loaded: a second event."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from bot import Engine, KnowledgeBase, Outcome, Question
from bot.matching.calibration import Scorer, _missing_facts
from knowledge.loader import load_knowledge, load_language
from operations.engines import make_engine

MARATHON = Path(__file__).parents[1] / "fixtures" / "marathon_kb.yaml"


@pytest.fixture(scope="module")
def marathon() -> KnowledgeBase:
    return load_knowledge(MARATHON)


@pytest.fixture(scope="module")
def engine(marathon: KnowledgeBase) -> Engine:
    return make_engine(marathon)


@pytest.mark.parametrize(
    ("question", "fact_id"),
    [
        ("who won the men's race", "men_winner"),
        ("who won the womens race?", "women_winner"),
        ("how many runners were there", "runners"),
        ("where does the course finish", "course"),
    ],
)
def test_plain_questions_about_another_event_are_answered(
    engine: Engine, question: str, fact_id: str
) -> None:
    answer = engine.answer(Question(question, conversation=f"m:{question}"))
    assert answer.answered and answer.fact_id == fact_id, answer.text


def test_a_typo_is_answered_or_offered_first(engine: Engine) -> None:
    answer = engine.answer(Question("wat was the wether like", conversation="typo"))
    assert answer.fact_id == "weather" or answer.suggestions[0].fact_id == "weather"


@pytest.mark.parametrize(
    "question",
    [
        "what is the capital of France?",
        "who won the men's race last year?",  # another year's race: the fact never says 'last year'
        "what is the name of the race director?",
        "can you book me a table for two",
    ],
)
def test_what_the_report_does_not_say_is_not_answered(engine: Engine, question: str) -> None:
    assert not engine.answer(Question(question, conversation=f"x:{question}")).answered


def test_a_question_for_money_meets_a_fact_whose_answer_holds_money(engine: Engine) -> None:
    """None of the prize fact's phrasings says 'pay'; its answer holds '$20,000'."""
    found = engine.search("what do they pay the winner", limit=1)
    assert found[0].fact_id == "prize" and not found[0].off_point


def test_the_threshold_is_fitted_not_fixed(engine: Engine, kb: KnowledgeBase) -> None:
    summit = make_engine(kb)
    assert 0.5 <= engine.scorer.answer_at <= 0.95
    assert engine.scorer != summit.scorer  # each fact base gets its own numbers


def test_a_fitted_scorer_round_trips_and_is_reused(engine: Engine, marathon: KnowledgeBase) -> None:
    copy = Scorer.from_dict(engine.scorer.as_dict())
    assert copy == engine.scorer
    again = Engine(marathon, load_language(), embedder=engine.embedder, scorer=copy)
    question = Question("who won the women's race", conversation="copy")
    assert again.answer(question).fact_id == engine.answer(question).fact_id == "women_winner"


def test_a_cached_scorer_of_another_format_is_refused(engine: Engine) -> None:
    data = engine.scorer.as_dict()
    data["confidence"]["weights"] = data["confidence"]["weights"][:-1]
    data["confidence"]["mean"] = data["confidence"]["mean"][:-1]
    data["confidence"]["scale"] = data["confidence"]["scale"][:-1]
    with pytest.raises(ValueError, match="features"):
        Scorer.from_dict(data)


def test_nothing_of_the_summit_leaks_into_another_event(engine: Engine) -> None:
    for text in ("hello", "help", "about", "topics", "", "who skipped the forum?", "pandas"):
        reply = engine.answer(Question(text, conversation=f"leak:{text}")).text.casefold()
        assert not any(word in reply for word in ("panda", "putin", "forum", "summit")), reply


@pytest.mark.parametrize(
    "question",
    ["Can you help me write a cover letter?", "Explain the difference between TCP and UDP."],
)
def test_a_question_about_nothing_here_is_not_offered_a_fact(
    kb: KnowledgeBase, question: str
) -> None:
    """The ranker always ranks some best fact; a confidence near zero offers none."""
    answer = make_engine(kb).answer(Question(question, conversation=f"none:{question}"))
    assert answer.outcome is Outcome.ABSTAINED, answer.text


def test_each_fact_is_taken_out_once_and_the_rest_stays_nearly_whole(kb: KnowledgeBase) -> None:
    """The not-covered negatives: a fact's phrasings asked of a base without it, but with
    nearly every other fact (a half-empty base makes such questions look surer than real)."""
    rounds = _missing_facts(kb, random.Random(0))
    taken_out = [fact_id for _, asked in rounds for fact_id in dict.fromkeys(i for _, i in asked)]
    assert sorted(taken_out) == sorted(f.id for f in kb.facts)
    for kept, asked in rounds:
        assert not {i for _, i in asked} & {f.id for f in kept.facts}
        assert len(kept.facts) >= 0.8 * len(kb.facts)
