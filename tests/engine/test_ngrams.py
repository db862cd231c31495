"""The n-gram classifier fitted on the phrasings, and how the ranker reads it."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from bot import Engine, KnowledgeBase
from bot.matching.calibration import rank_features
from bot.matching.match import Match
from bot.matching.ngrams import NgramClassifier, ngrams
from knowledge.loader import load_knowledge, load_language
from knowledge.types import Event, Fact
from tests.engine.test_fitted import MARATHON

GROUPS = [
    ("Who won the men's race?", "men's marathon winner", "Who was the fastest man?"),
    ("Who won the women's race?", "women's marathon winner", "Who was the fastest woman?"),
    ("What was the weather like?", "Was it hot during the race?", "race day conditions"),
]


def test_ngrams_are_words_pairs_and_pieces_of_words() -> None:
    found = ngrams("Pandas arrive")
    assert {"pandas", "pandas arrive", "# pa", "#ndas ", "#arriv"} <= set(found)


def test_a_misspelt_word_still_finds_its_fact() -> None:
    """'wether' is no word of the fact base; its character n-grams are."""
    model = NgramClassifier.fit(GROUPS)
    assert model is not None
    assert int(np.argmax(model.scores("wether"))) == 2


def test_the_word_that_sets_look_alike_facts_apart_decides() -> None:
    """Both race facts share 'who won the race'; 'women' is what the classifier learns."""
    model = NgramClassifier.fit(GROUPS)
    assert model is not None
    scores = model.scores("who won among the women")
    assert int(np.argmax(scores)) == 1 and scores[1] > scores[0] + 0.1


def test_no_classifier_for_a_single_fact() -> None:
    assert NgramClassifier.fit(GROUPS[:1]) is None


def test_the_ranker_sees_how_far_a_match_is_behind_the_best() -> None:
    best, other = Match("a", 0.5, ngram=0.9), Match("b", 0.5, ngram=0.4)
    assert rank_features(best, [best, other])[-1] == 0.0
    assert rank_features(other, [best, other])[-1] < -0.4


def test_the_index_fills_in_the_classifier_score() -> None:
    engine = Engine(load_knowledge(MARATHON), load_language())
    found = engine.search("who won the womens race", limit=3)
    assert found[0].fact_id == "women_winner" and found[0].ngram > max(m.ngram for m in found[1:])


def fact(n: int, name: str, questions: tuple[str, ...], answer: str) -> Fact:
    return Fact(name, "Topic", questions, answer, "", (), {}, n, name, ())


def _engine(*facts: Fact) -> Engine:
    """An engine over a small fact base of `facts` alone."""
    kb = KnowledgeBase(Event("Small", "", "A few facts.", "a list"), {}, facts, version="small")
    return Engine(kb, load_language())


def _intents() -> KnowledgeBase:
    facts = (
        fact(1, "convert", ("convert 100 dollars to euros", "how many yen is 20 pounds"),
             "The converter takes any amount."),
        fact(2, "timer", ("set a timer for 10 minutes", "start a 5 minute timer"),
             "Timers run on the phone."),
        fact(3, "record", ("what was the course record?", "fastest time ever on the course"),
             "The course record is 2:05, set in 2019."),
        fact(4, "field", ("how many runners started?", "were there over 1000 runners",
                          "how many ran for the first time"),
             "About 30,000 runners started, 9,000 of them for the first time."),
        fact(5, "water", ("what was handed out at the water stations?", "was there water"),
             "The stations handed out 40,000 bottles of water and gels."),
    )
    event = Event("Intents", "", "Numbers as the asker's values.", "a list")
    return KnowledgeBase(event, {}, facts, version="numbers")


def test_a_number_is_the_askers_value_where_the_phrasings_vary_it() -> None:
    """'convert 250 dollars': the converter's phrasings hold numbers its answer does not."""
    engine = Engine(_intents(), load_language())
    assert not engine.search("convert 250 dollars to euros", limit=1)[0].off_point
    record = engine.search("what was the course record in 2014", limit=1)[0]
    assert record.fact_id == "record" and record.off_point  # a year the fact never gives


def test_a_value_in_the_phrasings_does_not_free_a_year() -> None:
    """'over 1000 runners' is the asker's threshold; 'in 2012' dates what is asked: a near miss."""
    engine = Engine(_intents(), load_language())
    assert not engine.search("were there over 5000 runners", limit=1)[0].off_point
    dated = engine.search("how many runners started in 2012", limit=1)[0]
    assert dated.fact_id == "field" and dated.off_point


def test_a_number_that_names_the_event_is_no_detail_a_fact_lacks() -> None:
    """In a fact base about the 2026 race, 'the 2026 course record' asks the record; the 2014
    one is still a near miss."""
    kb = _intents()
    dated = replace(kb, event=Event("City Marathon 2026", "", "The 2026 race.", "a report"))
    engine = Engine(dated, load_language())
    this_year = engine.search("what was the course record in 2026", limit=1)[0]
    assert this_year.fact_id == "record" and not this_year.off_point
    assert engine.search("what was the course record in 2014", limit=1)[0].off_point
    assert Engine(kb, load_language()).search("the course record in 2026", limit=1)[0].off_point


def test_a_narrowing_word_the_fact_never_says_is_a_near_miss() -> None:
    """'the *first* course record' asks for one the fact does not give; 'First, ...' only
    orders the asking."""
    engine = Engine(_intents(), load_language())
    first = engine.search("what was the first course record?", limit=1)[0]
    assert first.fact_id == "record" and first.off_point
    assert not engine.search("First, what was the course record?", limit=1)[0].off_point
    assert not engine.search("what was the course record exactly?", limit=1)[0].off_point


def test_a_count_is_met_by_an_answer_that_counts_the_thing_asked_for() -> None:
    """No phrasing asks 'how many', but the answer counts bottles: a count of bottles is
    answered; a count of gels or of volunteers is a near miss."""
    engine = Engine(_intents(), load_language())
    bottles = engine.search("how many bottles were handed out at the water stations?", limit=1)
    assert bottles[0].fact_id == "water" and not bottles[0].off_point
    gels = engine.search("how many gels were handed out at the water stations?", limit=1)
    assert gels[0].fact_id == "water" and gels[0].off_point


def test_a_fact_that_lists_what_is_set_aside_with_more_is_not_set_aside() -> None:
    """'apart from the sponsors, who else ...': a fact that names 'sponsors *and* volunteers'
    holds the more asked for; one about the sponsors alone is set aside."""
    engine = _engine(
        fact(1, "helpers", ("who helped run the race?", "race sponsors"),
             "Local sponsors and volunteers helped run the race."),
        fact(2, "sponsors", ("who sponsored the race?", "what did sponsors pay"),
             "Sponsors paid for the prize money."),
    )
    helpers = engine.search("apart from the sponsors, who else helped run the race?", limit=1)
    assert helpers[0].fact_id == "helpers" and not helpers[0].set_aside
    paid = engine.search("apart from the sponsors, who else paid?", limit=1)[0]
    assert paid.fact_id == "sponsors" and paid.set_aside


MET_BY_THE_ANSWER = [
    pytest.param(  # a duration counts the units of time asked for, though no phrasing asks
        (fact(1, "hover", ("what happened on the last flight?", "last flight height"),
              "It climbed to 12 metres and hovered for 4.5 seconds."),
         fact(2, "team", ("who flies the helicopter?", "the flight team"), "Twelve engineers.")),
        ("how many seconds did it hover on the last flight?", "hover"),
        ("how many flights did it make on the last flight day?", "hover"),
        id="duration",
    ),
    pytest.param(  # the answer names the spokesman; a party ('SNP') is no person's name
        (fact(1, "spokesman", ("who speaks for the race?", "is there a press office"),
              "The race's press spokesman, Anna Berg, answers the media."),
         fact(2, "course", ("who set the course?", "how was the course chosen"),
              "A local club set the course along the river with the SNP council.")),
        ("what is the name of the press spokesman?", "spokesman"),
        ("what is the name of the club that set the course?", "course"),
        id="name",
    ),
    pytest.param(  # 'finished 10th' gives a rank; an answer with no number does not
        (fact(1, "table", ("how did the club do in the league?", "league table"),
              "The club finished 10th in the league."),
         fact(2, "coach", ("who coaches the club?", "club coach"), "A former player coaches it.")),
        ("what position is the club in the league?", "table"),
        ("what rank does the club coach hold?", "coach"),
        id="rank",
    ),
    pytest.param(  # 'exactly how many' is met by an exact count, not by an estimate
        (fact(1, "medals", ("how many medals were given?", "medals handed out"),
              "The organisers handed out 38,412 medals."),
         fact(2, "field", ("how big was the field?", "number of runners"),
              "About 40,000 runners started the race.")),
        ("exactly how many medals were handed out?", "medals"),
        ("exactly how many runners started the race?", "field"),
        id="exact",
    ),
]


@pytest.mark.parametrize(("facts", "met", "missed"), MET_BY_THE_ANSWER)
def test_what_is_asked_for_is_met_by_what_the_answer_holds(
    facts: tuple[Fact, ...], met: tuple[str, str], missed: tuple[str, str]
) -> None:
    """No phrasing asks for it, but the answer holds the kind of thing asked for: answered.
    The same kind asked of a fact whose answer does not hold it is a near miss."""
    engine = _engine(*facts)
    found = engine.search(met[0], limit=1)[0]
    assert found.fact_id == met[1] and not found.off_point
    near_miss = engine.search(missed[0], limit=1)[0]
    assert near_miss.fact_id == missed[1] and near_miss.off_point
