"""The engine as a person meets it: a console conversation, read like a chat transcript."""

from __future__ import annotations

import asyncio

import pytest

from adapters.console import ConsoleChat
from bot import Engine, Outcome, Question, messages
from bot.context import remembered
from operations.live import Bot


def test_a_plain_question_gets_a_sourced_confident_answer(chat: ConsoleChat) -> None:
    answer = chat.ask("How big is the trade between Russia and China?")
    assert answer.outcome is Outcome.ANSWERED
    assert "108 billion" in answer.text
    assert answer.source is not None and "108 billion" in answer.source.quote
    assert 0.5 <= answer.confidence <= 1.0


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("yo what's the deal w the pandas", "panda"),
        ("did jinpng go to petersberg?", "Saint Petersburg"),
        ("what is huawai doing for mts", "5G"),
        ("pandas?", "panda"),
        ("trade numbers", "108"),
        ("ford", "Ford"),
        ("Сколько составляет товарооборот?", "108"),
        ("熊猫是送的吗？", "借"),
    ],
)
def test_chat_style_typos_keywords_and_other_languages(
    chat: ConsoleChat, question: str, expected: str
) -> None:
    answer = chat.ask(question)
    assert answer.answered, answer.text
    assert expected.casefold() in answer.text.casefold()


@pytest.mark.parametrize(
    "question",
    [
        "What's the weather in Saint Petersburg?",
        "When did Putin visit Beijing?",
        "What are the pandas called?",
        "How old is Dmitry Peskov?",
        "How many people work at the Great Wall plant?",
        "What did Calvey's lawyer say?",
        "Who won the football match?",
    ],
)
def test_what_the_article_does_not_say_is_not_guessed(chat: ConsoleChat, question: str) -> None:
    answer = chat.ask(question)
    assert not answer.answered, answer.text
    assert answer.fact_id is None


def test_source_and_more_follow_the_last_answer(chat: ConsoleChat) -> None:
    assert chat.say("source") == messages.NOTHING_BEFORE
    first = chat.ask("who skipped the forum?")
    assert "Huntsman" in first.text
    source = chat.ask("source?")
    assert source.outcome is Outcome.COMMAND
    assert source.fact_id == first.fact_id
    assert "paragraph" in source.text
    assert chat.ask("tell me more").fact_id == first.fact_id


def test_a_short_follow_up_refers_to_the_last_answer(chat: ConsoleChat) -> None:
    assert "108" in chat.say("how much is trade between the two countries worth?")
    assert "96" in chat.say("and in euros?")


def test_did_you_mean_offers_at_most_three_and_a_number_picks_one(engine: Engine) -> None:
    found, bot = None, Bot(engine)
    for text in ("putin", "xi", "russia china", "visit"):
        answer = bot.ask(Question(text, conversation=f"dym:{text}"))
        if answer.outcome is Outcome.SUGGESTED:
            found = (text, answer)
            break
    assert found is not None, "no vague question produced suggestions"
    text, answer = found
    assert 1 <= len(answer.suggestions) <= 3
    assert answer.suggestions[0].question in answer.text
    picked = bot.ask(Question("1", conversation=f"dym:{text}"))
    assert picked.answered and picked.fact_id == answer.suggestions[0].fact_id


def test_a_picked_suggestion_answers_that_fact(engine: Engine, kb) -> None:
    fact = kb.facts[3]
    answer = engine.answer(Question("", fact_id=fact.id))
    assert answer.answered and answer.text == fact.answer
    source = engine.answer(Question("source", fact_id=fact.id))
    assert fact.quote in source.text
    assert engine.answer(Question("", fact_id="no_such_fact")).text == messages.UNKNOWN_FACT


@pytest.mark.parametrize(
    ("said", "reply_contains"),
    [
        ("help", "topics"),
        ("/help", "topics"),
        ("topics", "Pandas"),
        ("about", "question-and-answer bot"),
        ("hi", "Ask me"),
        ("thanks!", "welcome"),
    ],
)
def test_commands_and_small_talk(chat: ConsoleChat, said: str, reply_contains: str) -> None:
    answer = chat.ask(said)
    assert answer.outcome is Outcome.COMMAND
    assert reply_contains.casefold() in answer.text.casefold()


def test_a_question_that_mentions_help_is_still_a_question(chat: ConsoleChat) -> None:
    assert chat.ask("Can you help me write a cover letter?").outcome is not Outcome.COMMAND


def test_conversations_do_not_share_context(engine: Engine) -> None:
    bot = Bot(engine)
    bot.ask(Question("who skipped the forum?", conversation="a"))
    assert bot.ask(Question("source", conversation="b")).text == messages.NOTHING_BEFORE


async def test_questions_asked_at_once_are_answered_in_order(engine: Engine) -> None:
    bot = Bot(engine)
    first, source = await asyncio.gather(
        bot.ask_async(Question("who skipped the forum?", conversation="a")),
        bot.ask_async(Question("source?", conversation="a")),
    )
    assert source.fact_id == first.fact_id is not None


def test_the_engine_keeps_no_conversation_its_caller_does_not_hand_it(engine: Engine) -> None:
    first = engine.answer(Question("who skipped the forum?", conversation="a"))
    assert engine.answer(Question("source", conversation="a")).text == messages.NOTHING_BEFORE
    last = remembered(Question("who skipped the forum?"), first)
    assert engine.answer(Question("source", conversation="a"), last).fact_id == first.fact_id


def test_answers_in_the_askers_language_when_translated(chat: ConsoleChat) -> None:
    answer = chat.ask("Кто такой Песков?")
    assert answer.answered
    assert any("\u0400" <= ch <= "\u04ff" for ch in answer.text)


def test_a_long_message_is_asked_its_last_question(chat: ConsoleChat) -> None:
    """The words around it (cars, oil, phones) are no question; the last sentence is."""
    answer = chat.ask(
        "spam spam buy now!!! best deals on cars and oil and 5G phones!!! "
        "ok sorry, real question: who skipped the forum?"
    )
    assert answer.answered
    assert "Huntsman" in answer.text


def test_a_message_that_asks_two_things_gets_both(chat: ConsoleChat) -> None:
    answer = chat.ask("Were the pandas given to Russia for good, and how did Putin feel about it?")
    assert answer.answered
    assert "loan" in answer.text and "delighted" in answer.text


@pytest.mark.parametrize(
    "question",
    [
        "What was the trade turnover in 2010?",  # a year the article does not give
        "Which car models will Great Wall build?",  # 'models': nothing here mentions any
        "What is the population of Tula?",
    ],
)
def test_a_detail_the_fact_lacks_is_never_answered_by_it(chat: ConsoleChat, question: str) -> None:
    assert not chat.ask(question).answered


def test_one_common_word_gets_suggestions_not_a_guess(chat: ConsoleChat) -> None:
    answer = chat.ask("putin")
    assert answer.outcome is Outcome.SUGGESTED
    assert len(answer.suggestions) >= 2
