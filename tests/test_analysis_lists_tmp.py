"""Temporary: the Analyzer's lists in knowledge/language/ equal bot/matching/analysis.py's."""

from bot.matching import analysis as a
from knowledge.loader import load_language


def test_the_loaded_lists_equal_the_code_ones() -> None:
    lang = load_language()
    assert lang.articles == a._ARTICLES
    assert lang.same_words == a._SAME
    assert lang.auxiliaries == a._AUXILIARIES
    assert lang.sources == a._SOURCES
    assert lang.possessives == a._POSSESSIVE
    assert lang.which_words == a._WHICH
    assert lang.focus_skip == a._SKIP
    assert lang.not_asking == {
        "clause": {"when", "where"},
        "saying": {"say", "says", "said"},
        "called": {"called", "named"},
        "name": {"name", "names"},
        "name_of": {"of"},
    }
    built = r"\b(?:" + "|".join(lang.exclusions) + r")\b[^,;.?!]*[,;]"
    assert built == a._EXCLUSION.pattern
