"""Temporary: the engine's lists in knowledge/language/ equal bot/engine.py's."""

from bot import engine
from knowledge.loader import load_language


def test_the_loaded_lists_equal_the_code_ones() -> None:
    lang = load_language()
    assert tuple(f"{w} " for w in lang.follow_up_openers) == engine.FOLLOW_UP_OPENERS
    joiners, asks = "|".join(lang.question_joiners), "|".join(lang.question_words)
    built = rf"(?:,|\b{joiners})\s+(?:{asks})\b"
    assert built == engine.TWO_QUESTIONS.pattern
