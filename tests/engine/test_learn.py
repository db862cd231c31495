"""The small pieces the fitted engine is made of: the logistic model, kinds, meaning."""

from __future__ import annotations

import random

import pytest

from bot.matching.kinds import Kinds, answerable
from bot.matching.learn import Logistic
from bot.matching.semantic import SemanticIndex
from bot.matching.spelling import Speller
from knowledge.loader import load_language
from tests.fakes.embedder import letter_counts

kinds_in = Kinds.of(load_language()).seen_in


def _separable(n: int, seed: int = 1) -> tuple[list[list[float]], list[int]]:
    rng = random.Random(seed)
    rows, labels = [], []
    for _ in range(n):
        y = rng.random() < 0.5
        rows.append([rng.gauss(1.0 if y else -1.0, 0.7), rng.gauss(0, 1)])
        labels.append(int(y))
    return rows, labels


def test_logistic_learns_which_feature_matters() -> None:
    rows, labels = _separable(400)
    model = Logistic.fit(rows, labels)
    assert model.weights[0] > 1.0 and abs(model.weights[1]) < 0.3
    assert model.probability([2.0, 0.0]) > 0.9 > 0.1 > model.probability([-2.0, 0.0])


def test_an_increasing_fit_drops_a_feature_that_points_the_wrong_way() -> None:
    rows, labels = _separable(400)
    flipped = [[a, -a + 0.1 * b] for (a, b) in rows]  # the second says the first, reversed
    model = Logistic.fit_increasing(flipped, labels)
    assert model.weights[0] > 0 and model.weights[1] == 0.0


def test_a_model_survives_one_class_and_round_trips() -> None:
    model = Logistic.fit_increasing([[0.0], [1.0]], [1, 1])
    assert 0.0 < model.probability([0.5]) <= 1.0
    assert Logistic.from_dict(model.as_dict()) == model


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("Trade rose to $108 billion (€96 billion).", {"money", "number"}),
        ("The race took 2 hours 5 minutes.", {"duration", "number"}),
        ("Turnout was 64 percent.", {"share", "number"}),
        ("She is 34 years old.", {"age", "number", "duration"}),  # 34 years: a span too
        ("It opens on Monday.", {"time"}),
        ("They are a loan, not a gift.", set()),
        ("Officer Wilbert Mora, 27, was killed.", {"age", "number"}),  # a name, then an age
        ("Labour, 232, SNP, 56.", {"number"}),  # a party is no one of that age
        ("The polls closed at 10pm.", {"clock", "number"}),
        ("Doors open at 9 a.m. or noon.", {"clock", "number"}),
        ("I am sure that is so.", set()),  # 'am' is a time of day only after a number
        ("About 18,000 runners started.", {"approximate", "number"}),
        ("It will cost $2 billion to $3 billion.", {"approximate", "money", "number"}),
        ("Trade rose to $108 billion.", {"money", "number"}),  # 'to' with no number before
        ("The blades were damaged, so it can no longer fly.", {"reason"}),
        ("It closed because of the storm.", {"reason"}),
        ("Not so fast: nothing is settled.", set()),  # 'so' gives a reason only after a comma
    ],
)
def test_kinds_seen_in_an_answer(text: str, kinds: set[str]) -> None:
    assert kinds_in(text) == kinds


@pytest.mark.parametrize(
    ("text", "counted"),
    [
        ("Labour won 232 seats with 30.4% of the vote.", ["seats", "with"]),
        ("Nine respiratory cancers were added.", ["respiratory", "cancers"]),
        ("A $500 million car plant opened in 2019.", []),  # an amount and a year count nothing
        ("In 2015, 12 teams entered.", ["teams", "entered"]),
        ("About 40,000 runners started.", ["runners", "started"]),  # an estimate counts too
        ("Photos of its Jan. 18 flight show damage.", []),  # a day of the month counts nothing
        ("On May 7, 650 seats were contested.", ["seats", "were"]),
    ],
)
def test_what_the_numbers_of_an_answer_count(text: str, counted: list[str]) -> None:
    assert Kinds.of(load_language()).counted(text) == counted


def test_an_attribute_is_met_by_the_phrasings_or_by_the_answer() -> None:
    money = frozenset({"money"})
    assert answerable(money, asked=money, held=frozenset()) == money
    assert answerable(money, asked=frozenset(), held=kinds_in("It costs $5.")) == money
    assert answerable(money, asked=frozenset(), held=kinds_in("About 18,000 ran.")) == set()
    why = frozenset({"reason"})
    assert answerable(why, asked=frozenset(), held=kinds_in("It ended, so it can't fly.")) == why
    assert answerable(why, asked=frozenset(), held=kinds_in("It ended in 2024.")) == set()
    name = frozenset({"name"})  # a name cannot be seen reliably: only phrasings meet it
    assert answerable(name, asked=frozenset(), held=kinds_in("Maria Lindqvist won.")) == set()
    count = frozenset({"count"})  # met for one question: the answer counts what it asks for
    assert answerable(count, asked=frozenset(), held=frozenset(), met=count) == count
    at_what_time = frozenset({"clock", "schedule"})  # 'what time did voting end?'
    assert answerable(at_what_time, asked=frozenset(), held=kinds_in("Closed at 10pm.")) == (
        at_what_time
    )
    assert answerable(at_what_time, asked=frozenset(), held=kinds_in("Closed on Friday.")) == set()


def test_an_exact_figure_is_not_met_by_an_estimate() -> None:
    exactly_how_many = frozenset({"exact", "count"})
    estimate, exact = kinds_in("About 18,000 ran."), kinds_in("18,412 ran.")
    assert answerable(exactly_how_many, asked=frozenset({"count"}), held=estimate) == {"count"}
    assert answerable(exactly_how_many, asked=frozenset({"count"}), held=exact) == (
        exactly_how_many
    )
    what_exactly = frozenset({"exact"})  # 'what exactly did they sign': no figure asked
    assert answerable(what_exactly, asked=frozenset(), held=estimate) == what_exactly



def test_meaning_scores_each_fact_by_its_nearest_phrasing() -> None:
    index = SemanticIndex(letter_counts, [("aaaa", "abab"), ("zzzz", "zyzy")])
    meaning = index.scores("aaab")
    nearest = index.nearest_phrasing(meaning.query, [0, 1])
    assert nearest[0] > 0.9 > 0.1 > nearest[1]
    assert index.nearest_phrasing(meaning.query, [1]) == nearest[1:]
    assert meaning.separating[0] > meaning.separating[1] and meaning.centre[0] > meaning.centre[1]
    assert index.best(meaning.separating, 1) == [0]


def test_a_fact_of_alike_phrasings_expects_a_new_one_nearer_than_a_loose_fact_does() -> None:
    """How near a fact's phrasings are to the centre of its others: a question this far from
    a tight fact's centre is further out than the same cosine to a loose fact's."""
    index = SemanticIndex(letter_counts, [("aaaa", "aaab", "aaba"), ("zzzz", "yyyy"), ("q",)])
    tight, loose, single = (float(t) for t in index.typical)
    assert tight > 0.9 > loose
    assert single == pytest.approx((tight + loose) / 2)  # the median of the others


def test_meaning_needs_a_text_for_every_fact() -> None:
    with pytest.raises(ValueError):
        SemanticIndex(letter_counts, [("aaaa",), ()])


def test_a_five_letter_typo_is_fixed_but_a_real_word_stays() -> None:
    """'seets' is no word: the fact base's 'seats'. 'shore' is one: never made 'share'."""
    language = load_language()
    speller = Speller(["seats", "share"], short_words=language.short_words)
    assert speller.correct("seets") == "seats"
    assert speller.correct("shore") == "shore"
    assert speller.correct("plan") == "plan"  # four letters: no substitution at all
