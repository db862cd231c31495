"""The fact base's self-test (bot/selftest.py): each phrasing asked of an engine without it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from bot import Answer, KnowledgeBase, Outcome, Question, Suggestion
from bot.selftest import Landing, confusions, hint
from knowledge.loader import load_knowledge, load_language
from knowledge.loader import parse_knowledge as parse
from operations.engines import make_engine
from tests.conftest import ROOT

STOPWORDS = load_language().stopwords

MARATHON = ROOT / "tests" / "fixtures" / "marathon_kb.yaml"

_BASE = """
event: {name: Harbour Fun Run, document: the club newsletter}
facts:
  - id: start_time
    topic: The day
    questions: [When does the run start?, What time is the start?, start time, when do we set off,
                what time should I be there, When is the starting gun?]
    answer: The run starts at 9 o'clock in the morning.
    source: {paragraph: 1, quote: "starts at 9"}
  - id: route
    topic: The day
    questions: [Where does the route go?, What is the course?, which way does the course go,
                route map, does it go along the harbour, where is the finish line]
    answer: The route follows the harbour wall and finishes at the lighthouse.
    source: {paragraph: 2, quote: "follows the harbour wall"}
  - id: entry_fee
    topic: Entry
    questions: [How much does entry cost?, What is the entry fee?, price to enter,
                is it free to take part, how much to sign up, registration fee]
    answer: Entry costs 15 pounds, and children under 12 run for free.
    source: {paragraph: 3, quote: "Entry costs 15 pounds"}
  - id: parking
    topic: Getting there
    questions: [Where can I park?, Is there parking?, car park, parking near the start,
                can I drive there, where do I leave my car]
    answer: Parking is at the leisure centre, a short walk from the start.
    source: {paragraph: 4, quote: "Parking is at the leisure centre"}
  - id: medals
    topic: Entry
    questions: [Do finishers get a medal?, Is there a medal?, finisher medal,
                what do you get for finishing, do kids get medals too, medal for everyone]
    answer: Every finisher gets a wooden medal made by the local school.
    source: {paragraph: 5, quote: "wooden medal"}
  - id: winner
    topic: Results
    questions: [Who won?, Who was the winner?, who came first, who took first place, fastest time,
                who was quickest]
    answer: Sam Porter won in 17 minutes.
    source: {paragraph: 6, quote: "Sam Porter won"}
"""
_COPIED = """
  - id: runner_up
    topic: Results
    questions: [Who came second?, Who won?, who was the runner-up, who was the winner,
                second place, who came first]
    answer: Alex Kim came second, ten seconds behind.
    source: {paragraph: 7, quote: "Alex Kim came second"}
"""
_DISTINCT = """
  - id: toilets
    topic: Getting there
    questions: [Are there toilets?, Where are the toilets?, toilets at the start, is there a loo,
                where are the bathrooms, bathrooms near the finish]
    answer: Toilets are in the lighthouse cafe and beside the start.
    source: {paragraph: 7, quote: "Toilets are in the lighthouse cafe"}
"""


def test_every_phrasing_is_asked_once_of_an_engine_that_never_saw_it() -> None:
    kb = load_knowledge(MARATHON)
    seen: list[KnowledgeBase] = []

    def factory(fold_kb: KnowledgeBase) -> Any:
        seen.append(fold_kb)
        return make_engine(fold_kb)

    result = confusions(kb, factory, stopwords=STOPWORDS)
    asked = sorted((r.expected, r.phrasing) for r in result.results)
    assert asked == sorted((f.id, q) for f in kb.facts for q in f.questions)
    assert len(seen) == 2 and {s.version for s in seen}.isdisjoint({kb.version})
    for fold_kb in seen:
        kept = {(f.id, q) for f in fold_kb.facts for q in f.questions}
        assert all(f.questions for f in fold_kb.facts)
        assert len(kept) < len(asked)
    held_in_fold = [{(f.id, q) for f in s.facts for q in f.questions} for s in seen]
    assert held_in_fold[0].isdisjoint(held_in_fold[1])  # alternate phrasings: two halves


def test_a_fact_with_one_phrasing_keeps_it_and_is_not_tested() -> None:
    text = _BASE.replace(
        "questions: [Who won?, Who was the winner?, who came first, who took first place, "
        "fastest time,\n                who was quickest]",
        "questions: [Who won?]",
    )
    kb = parse(text)
    result = confusions(kb, make_engine, stopwords=STOPWORDS)
    assert result.untested == ("winner",)
    assert "winner" not in {r.expected for r in result.results}


def test_copied_phrasings_name_the_pair_with_the_phrasings_and_a_hint() -> None:
    result = confusions(parse(_BASE + _COPIED), make_engine, stopwords=STOPWORDS)
    worst = result.pairs[0]
    assert (worst.first, worst.second) == ("runner_up", "winner")
    strayed = {(h.phrasing, h.expected, h.went_to) for h in worst.crossings + worst.doubts}
    assert ("who came first", "runner_up", "winner") in strayed
    assert "'second'" in worst.hint and "to runner_up" in worst.hint
    assert result.share_right < 1.0


def test_a_clean_fact_base_names_no_pair() -> None:
    result = confusions(parse(_BASE + _DISTINCT), make_engine, stopwords=STOPWORDS)
    assert result.pairs == ()
    assert result.share_right > 0.5


@dataclass
class _Scripted:
    """An engine double: each phrasing's answer is scripted."""

    replies: dict[str, Answer]
    asked: list[str] = field(default_factory=list)

    def answer(self, question: Question) -> Answer:
        self.asked.append(question.text)
        return self.replies.get(question.text, Answer(Outcome.ABSTAINED, ""))


def _answered(fact_id: str) -> Answer:
    return Answer(Outcome.ANSWERED, "", fact_id=fact_id)


def _offered(*fact_ids: str) -> Answer:
    return Answer(Outcome.SUGGESTED, "", suggestions=tuple(Suggestion(f, "") for f in fact_ids))


def test_both_directions_merge_into_one_pair_worst_first() -> None:
    kb = load_knowledge(MARATHON)
    engine = _Scripted({
        "Who won the men's race?": _answered("women_winner"),
        "Who was the fastest woman?": _answered("men_winner"),
        "How many runners took part?": _offered("charity", "runners"),
        "men's marathon winner": _answered("men_winner"),
        "charity fundraising": _offered("charity"),
    })
    fake = lambda _: engine  # noqa: E731
    result = confusions(kb, fake, stopwords=STOPWORDS)  # type: ignore[arg-type]
    landings = {r.phrasing: r.landing for r in result.results}
    assert landings["Who won the men's race?"] is Landing.CROSSED
    assert landings["How many runners took part?"] is Landing.OFFERED
    assert landings["charity fundraising"] is Landing.OFFERED
    assert landings["Where does the course go?"] is Landing.MISSED
    assert [(p.first, p.second) for p in result.pairs] == [
        ("men_winner", "women_winner"), ("charity", "runners")
    ]
    assert len(result.pairs[0].crossings) == 2 and not result.pairs[0].doubts
    assert [h.phrasing for h in result.pairs[1].doubts] == ["How many runners took part?"]
    assert result.share_right == pytest.approx(1 / 21)


def test_the_hint_uses_the_words_only_one_fact_has() -> None:
    kb = load_knowledge(MARATHON)
    men, women = kb.fact("men_winner"), kb.fact("women_winner")
    assert men is not None and women is not None
    said = hint(men, women, asked=["Who was the fastest woman?"], stopwords=STOPWORDS)
    assert said.startswith("Add a phrasing that says 'men's'")
    assert "'woman' or 'women's' to women_winner" in said
    assert "race" not in said  # both facts use it: it tells nothing apart


def test_the_hint_for_facts_with_the_same_words() -> None:
    kb = parse(_BASE)
    winner = kb.fact("winner")
    assert winner is not None
    assert "use the same words" in hint(winner, winner, stopwords=STOPWORDS)
