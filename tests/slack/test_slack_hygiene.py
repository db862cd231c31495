"""Slack text in and out: mentions, links and entities (pure functions, no app)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from adapters.slack.hygiene import (
    escape,
    is_question,
    mentions,
    question_text,
    should_ignore,
    strip_mention,
    unescape,
    unwrap,
)


@pytest.mark.parametrize(
    ("said", "question"),
    [
        ("<@UBOT> who skipped the forum?", "who skipped the forum?"),
        ("<@UBOT>: who came?", "who came?"),
        ("who came, <@UBOT|summit>?", "who came, ?"),
        ("<@UBOT>   who\n<@UBOT> came", "who\ncame"),
        ("did <@U123> go?", "did @U123 go?"),
        ("did <@U123|alice> go?", "did @alice go?"),
        ("see <https://example.com/a?b=1&amp;c=2|the article>", "see the article"),
        ("see <https://example.com/a>", "see https://example.com/a"),
        ("mail <mailto:a@b.org|a@b.org>", "mail a@b.org"),
        ("in <#C123|general> or <#C456>", "in #general or #C456"),
        ("<!here> <!channel> <!everyone> who?", "@here @channel @everyone who?"),
        ("<!subteam^S123|@press> when?", "@press when?"),
        ("<!date^1700000000^{date}|Nov 14> then?", "Nov 14 then?"),
        ("R&amp;D &lt;3 &gt; you", "R&D <3 > you"),
        ("&amp;lt; stays literal", "&lt; stays literal"),
    ],
)
def test_question_text_is_what_the_person_meant(said: str, question: str) -> None:
    assert question_text(said, "UBOT") == question


def test_other_users_mentions_are_kept_when_the_bot_is_stripped() -> None:
    assert strip_mention("<@UBOT> ask <@UALICE>", "UBOT") == "ask <@UALICE>"
    assert strip_mention("<@UBOT> ask", None) == "<@UBOT> ask"


def test_escape_defuses_broadcasts_links_and_mentions() -> None:
    assert escape("<!channel> & <@U1> <https://x|y>") == (
        "&lt;!channel&gt; &amp; &lt;@U1&gt; &lt;https://x|y&gt;"
    )


@given(st.text())
def test_escaped_text_has_no_markup_and_round_trips(text: str) -> None:
    shown = escape(text)
    assert "<" not in shown and ">" not in shown
    assert unescape(shown) == text


@given(st.text())
def test_unwrapped_text_never_keeps_a_broadcast(text: str) -> None:
    assert "<!" not in question_text(escape(text), "UBOT") or "<!" in text


def test_mentions_and_questions() -> None:
    assert mentions("hi <@UBOT>", "UBOT") and mentions("hi <@UBOT|bot>", "UBOT")
    assert not mentions("hi <@UBOTTOM>", "UBOT") and not mentions("hi <@UBOT>", None)
    assert is_question("who came? ") and is_question("谁来了？")
    assert not is_question("who came") and not is_question("")


PERSON = {"type": "message", "user": "UALICE", "text": "hi", "ts": "1.2"}


@pytest.mark.parametrize(
    "event",
    [
        {**PERSON, "user": "UBOT"},
        {**PERSON, "bot_id": "BBOT"},
        {**PERSON, "user": "BBOT"},
        {**PERSON, "bot_id": "B0OTHER", "subtype": "bot_message"},
        {**PERSON, "bot_profile": {"id": "B0OTHER"}},
        {**PERSON, "subtype": "message_changed"},
        {**PERSON, "subtype": "message_deleted"},
        {**PERSON, "subtype": "channel_join"},
        {**PERSON, "subtype": "channel_topic"},
        {**PERSON, "edited": {"user": "UALICE", "ts": "1.3"}},
        {**PERSON, "hidden": True},
        {"type": "message", "text": "no user"},
    ],
)
def test_should_ignore_everything_but_a_persons_new_message(event: dict[str, object]) -> None:
    assert should_ignore(event, bot_user_id="UBOT", bot_id="BBOT")


@pytest.mark.parametrize("subtype", [None, "thread_broadcast", "file_share"])
def test_a_persons_message_is_not_ignored(subtype: str | None) -> None:
    event = {**PERSON, "subtype": subtype} if subtype else PERSON
    assert not should_ignore(event, bot_user_id="UBOT", bot_id="BBOT")


def test_unwrap_leaves_plain_text_alone() -> None:
    assert unwrap("who skipped the forum?") == "who skipped the forum?"
