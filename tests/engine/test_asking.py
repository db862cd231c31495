"""What a question asks for (knowledge/language/en/attributes.txt): the words that ask for a
kind of thing, not the same words used otherwise ('my old card', 'because it broke')."""

from __future__ import annotations

import pytest

from bot.matching.analysis import Analyzer, for_event
from knowledge.loader import load_language
from knowledge.types import Event

TEXTS = ["The course record is 2:05.", "About 30,000 runners started."]


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer({}, TEXTS, language=load_language())


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("how old is the winner?", {"age"}),
        ("my old card was lost", set()),
        ("why was the race moved?", {"reason"}),
        ("my card broke because it fell", set()),
        ("what share of the runners were women?", {"share"}),
        ("can you share the results", set()),
        ("what year was the record set?", {"time"}),
        ("how many years has the race run?", {"count", "duration"}),
        ("when does the race end?", {"time", "schedule"}),
        ("how many runners did it end up with?", {"count"}),
        ("who was in charge of the race?", set()),  # an idiom asks no price
        ("how much do they charge to enter?", {"money"}),
        ("how big is the course?", {"size"}),
        ("where was the big party after the largest race?", {"place"}),
        ("which boss lost to a young rival?", set()),
        ("how young was the winner?", {"age"}),
        ("сколько денег вложили?", {"money"}),  # a phrase's class, not its words' too
        ("сколько дней длился забег?", {"duration"}),
        ("for how many seconds did it hover?", {"count", "duration"}),
        ("what position is the club in?", {"rank"}),
        ("俱乐部排名第几？", {"rank"}),  # 'which place', not '几' a count
        ("what did the winner say?", {"speech"}),
        ("how many runners did they announce?", {"count"}),  # reported, not asked for
        ("when did the winner say it?", {"time"}),
    ],
)
def test_the_kind_of_thing_asked(analyzer: Analyzer, question: str, asks: set[str]) -> None:
    assert analyzer.analyze(question).attributes == asks


def test_the_thing_counted_is_what_is_asked_for(analyzer: Analyzer) -> None:
    """'how many barrels': a word the fact base never uses, so no fact can answer it."""
    assert analyzer.analyze("how many barrels did they drink?").focus == ("barrel",)
    assert analyzer.analyze("how many runners started?").focus == ()


def test_a_word_that_points_at_the_text_asks_for_no_new_thing(analyzer: Analyzer) -> None:
    """'what detail ...', 'how many ppl': everyday words, not a thing no fact mentions."""
    assert analyzer.analyze("what detail shows the race was hard?").focus == ()
    assert analyzer.analyze("how many ppl started?").focus == ()


def test_words_before_an_everyday_word_describe_it_and_are_not_asked_for(
    analyzer: Analyzer,
) -> None:
    """'the current legal *situation*': what is asked for is the situation, an everyday word;
    'the theme *colour*': the colour, a word no fact here uses."""
    assert analyzer.analyze("what is the current legal situation of the winner?").focus == ()
    assert analyzer.analyze("what was the theme colour?").focus == ("theme", "colour")
    assert analyzer.analyze("which specific weapons systems are in the race?").focus == (
        "weapon",
        "system",
    )


def test_an_everyday_word_before_the_thing_asked_for_describes_it(analyzer: Analyzer) -> None:
    """'how many *different* barrels': the thing counted is the barrels, as without the word."""
    assert analyzer.analyze("how many different barrels did they drink?").focus == ("barrel",)
    assert analyzer.analyze("how many different barrels were there?").wanted == ("barrel",)
    assert analyzer.analyze("what situation is the winner in?").focus == ()


def test_the_signals_that_read_whole_text_read_it_spelt_right(analyzer: Analyzer) -> None:
    """Meaning and n-grams read the text, not the terms: a misspelt word is corrected there too,
    to a word of the fact base; case, stop words and unknown words stay as they were."""
    assert analyzer.analyze("How many RUNERS startd in the Xyzzy?").text == (
        "How many runners started in the Xyzzy?"
    )
    assert analyzer.analyze("runers", correct=False).text == "runers"


def test_a_word_that_names_the_event_asks_for_nothing() -> None:
    """In a fact base about a speech, 'honoured in the speech' is about the event; 'what did
    she say' still asks what was said, and 'where' in the description still asks a place."""
    event = Event("State of the Union address", "Washington", "The speech, where given.", "")
    about_a_speech = Analyzer({}, TEXTS, language=for_event(load_language(), event))
    assert about_a_speech.analyze("who was honoured in the speech?").attributes == set()
    assert about_a_speech.analyze("what did she say?").attributes == {"speech"}
    assert about_a_speech.analyze("where was the address?").attributes == {"place"}
    plain = Analyzer({}, TEXTS, language=load_language())
    assert plain.analyze("who was honoured in the speech?").attributes == {"speech"}


def test_chat_shorthand_is_no_word_the_fact_base_lacks(analyzer: Analyzer) -> None:
    """'abt', 'smh', 'ngl': as 'lol', words of chat, not of a topic no fact covers."""
    assert analyzer.analyze("ngl what did runners say abt the course smh").unknown == ()


def test_chat_shorthand_is_read_as_the_word_it_stands_for() -> None:
    """'max' is 'maximum', 'ppl' 'people' (knowledge/language/en/shorthand.txt): in the terms,
    in the words asked for and in the text that meaning reads. A fact base that uses the short
    form itself keeps it."""
    language = load_language()
    long_form = Analyzer({}, ["The maximum pace of the people running"], language=language)
    asked = long_form.analyze("whats the max pace of ppl")
    assert asked.terms == ("maximum", "pace", "peopl") and asked.unknown == ()
    assert asked.text == "whats the maximum pace of people"
    short_form = Analyzer({}, ["The max pace"], language=language)
    assert short_form.analyze("whats the max pace").terms == ("max", "pace")


def test_a_short_word_typed_wrong_inside_a_known_name_is_the_name() -> None:
    """'New Yrk Marathon' is the New York Marathon when the fact base names it: one word one
    letter off, beside the rest of the name. Alone, beside only part of the name, or two
    letters off, it is no name and stays unknown."""
    aliases = {"New York Marathon": ["NYC Marathon"]}
    texts = ["The New York Marathon starts on Staten Island."]
    names = Analyzer(aliases, texts, language=load_language())
    mended = names.analyze("when does the New Yrk Marathon start?")
    assert "new_york_marathon" in mended.terms and mended.unknown == ()
    assert mended.text == "when does the New york Marathon start?"
    assert names.analyze("when does the yrk start?").unknown == ("yrk",)
    assert names.analyze("when does the yrk marathon start?").unknown == ("yrk",)
    assert "new_york_marathon" not in names.analyze("a new yak marathon").terms


def test_a_typo_the_stem_hides_is_still_mended_for_meaning() -> None:
    """'teleconferance' has the stem of 'teleconference', so its words match already; the
    text the meaning model reads is mended too. A word of the same stem that is only another
    form ('teleconferences') keeps its own spelling."""
    analyzer = Analyzer({}, ["The NASA teleconference starts at noon."], language=load_language())
    typed = analyzer.analyze("what time is the nasa teleconferance?")
    assert typed.text == "what time is the nasa teleconference?"
    assert typed.terms == analyzer.analyze("what time is the nasa teleconference?").terms
    plural = analyzer.analyze("when do the teleconferences start?")
    assert plural.text == "when do the teleconferences start?"
