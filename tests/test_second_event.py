"""Another event's fact base: nothing the bot says mentions the summit it was first built for."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot import Engine, Question
from knowledge.loader import load_knowledge, parse_knowledge
from operations.engines import make_engine
from operations.live import Bot

MARATHON = Path(__file__).parent / "fixtures" / "marathon_kb.yaml"
SUMMIT_WORDS = re.compile(r"summit|putin|\bxi\b|jinping|petersburg|forum|russia|china", re.I)
NOT_ANSWERS = ["help", "about", "topics", "", "hello", "thanks", "source", "more",
               "what is the capital of peru?"]


@pytest.fixture(scope="module")
def marathon() -> Engine:
    return make_engine(load_knowledge(MARATHON))


@pytest.mark.parametrize("text", NOT_ANSWERS)
def test_no_command_or_abstention_names_the_summit(marathon: Engine, text: str) -> None:
    reply = Bot(marathon).ask(Question(text))

    assert reply.text and not SUMMIT_WORDS.search(reply.text), reply.text


def test_an_unknown_fact_and_help_speak_of_this_event(marathon: Engine) -> None:
    bot = Bot(marathon)
    picked = bot.ask(Question("", fact_id="forum_skipped"))  # a summit fact id
    help_text = bot.ask(Question("help")).text

    assert not SUMMIT_WORDS.search(picked.text)
    assert "Riverside City Marathon" in help_text and "Who won the men's race?" in help_text


def test_the_bot_name_comes_from_the_fact_base(marathon: Engine) -> None:
    named = MARATHON.read_text(encoding="utf-8").replace(
        "event:\n", "event:\n  bot_name: Pacer\n", 1
    )
    kb = parse_knowledge(named, name="named.yaml")
    engine = Engine(kb, marathon.language, scorer=marathon.scorer)

    assert engine.answer(Question("about")).text.startswith("I'm Pacer, a question-and-answer")
    assert Bot(marathon).ask(Question("about")).text.startswith("I'm a question-and-answer")


def test_who_won_offers_both_winners(marathon: Engine) -> None:
    """'won' is a word of its own ('won't' stays whole): both races' winners are offered."""
    reply = Bot(marathon).ask(Question("who won?"))

    assert not reply.answered
    assert "Who won the men's race?" in reply.text and "Who won the women's race?" in reply.text


def test_what_the_question_sets_aside_is_offered_not_answered(marathon: Engine) -> None:
    """'apart from the prize money': the prize fact may hold more, so it is offered, not said."""
    reply = Bot(marathon).ask(Question("apart from the prize money, what did the winners get?"))

    assert not reply.answered and reply.text.startswith("I'm not sure which you mean.")
    assert "1. How much prize money did the winners get?" in reply.text
