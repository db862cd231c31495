"""During the move only: the loaded lists equal bot/matching/lexicon.py's."""

from bot.matching import lexicon
from knowledge.loader import load_language


def test_the_loaded_lists_equal_the_code_lists() -> None:
    language = load_language()
    assert language.stopwords == lexicon.STOPWORDS
    assert language.stopchars == lexicon.CJK_STOPCHARS
    assert dict(language.attributes) == lexicon.ATTRIBUTES
    assert list(language.attributes) == list(lexicon.ATTRIBUTES)
    assert language.soft_attributes == lexicon.SOFT_ATTRIBUTES
    assert language.common_words == lexicon.COMMON_WORDS
