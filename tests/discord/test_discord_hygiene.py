"""The pure helpers that clean Discord text before the engine sees it."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from adapters.discord import hygiene

BOT = 111
ALICE = 222


@pytest.mark.parametrize(
    ("author", "is_bot", "ignored"),
    [(BOT, True, True), (ALICE, False, False), (333, True, True)],
    ids=["itself", "a person", "another bot"],
)
def test_should_ignore_itself_and_other_bots(author: int, is_bot: bool, ignored: bool) -> None:
    assert hygiene.should_ignore(author_id=author, author_is_bot=is_bot, bot_id=BOT) is ignored


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"<@{BOT}> who came?", "who came?"),
        (f"<@!{BOT}> who came?", "who came?"),  # the nickname form
        (f"who came <@{BOT}>?", "who came ?"),
        (f"<@{BOT}><@{BOT}>   who   came?", "who came?"),
        ("who came?", "who came?"),
    ],
)
def test_strips_its_own_mention(text: str, expected: str) -> None:
    assert hygiene.question_text(text, bot_id=BOT, names={}) == expected


def test_other_mentions_become_names_or_vanish() -> None:
    text = f"<@{BOT}> did <@{ALICE}> and <@!444> see <@&555>?"
    assert hygiene.question_text(text, bot_id=BOT, names={ALICE: "Alice"}) == "did Alice and see ?"


@pytest.mark.parametrize(
    ("text", "mentioned", "expected"),
    [
        (f"<@{BOT}> hi", [], True),
        (f"<@!{BOT}> hi", [], True),
        ("a reply to the bot, pinging it", [BOT], True),
        ("@everyone hi", [], False),
        (f"<@{ALICE}> hi", [ALICE], False),
        ("just chatting", [], False),
    ],
)
def test_addressed(text: str, mentioned: list[int], expected: bool) -> None:
    assert hygiene.addressed(text, bot_id=BOT, mentioned_ids=mentioned) is expected


@pytest.mark.parametrize(
    ("text", "prefix", "expected"),
    [
        ("!ask who came?", "!", "who came?"),
        ("  !ASK who came?", "!", "who came?"),
        ("!ask", "!", ""),
        ("!asked who came?", "!", None),
        ("who came? !ask", "!", None),
        ("!ask who came?", None, None),
        ("?ask who came?", "?", "who came?"),
    ],
)
def test_prefixed(text: str, prefix: str | None, expected: str | None) -> None:
    assert hygiene.prefixed(text, prefix) == expected


def test_clip_marks_the_cut() -> None:
    assert hygiene.clip("short", 10) == "short"
    assert hygiene.clip("x" * 20, 10) == "x" * 9 + "…"


@given(st.text(), st.integers(min_value=1, max_value=5000))
def test_clip_never_exceeds_the_limit(text: str, limit: int) -> None:
    clipped = hygiene.clip(text, limit)
    assert len(clipped) <= limit
    assert clipped == text or clipped.endswith("…")


@given(st.text(alphabet=st.characters(blacklist_characters="<"), max_size=3000))
def test_question_text_fits_a_message_and_drops_the_bot_mention(text: str) -> None:
    question = hygiene.question_text(f"<@{BOT}> {text} <@!{BOT}>", bot_id=BOT, names={})
    assert len(question) <= hygiene.QUESTION_LIMIT
    assert "<@" not in question


def test_conversation_is_one_per_person_per_channel() -> None:
    assert hygiene.conversation_key(10, 1) == hygiene.conversation_key(10, 1)
    assert hygiene.conversation_key(10, 1) != hygiene.conversation_key(10, 2)
    assert hygiene.conversation_key(10, 1) != hygiene.conversation_key(11, 1)
