"""Conversations with the real discord.py client, driven through the fake Discord.

Each test reads as a chat: what someone does in Discord, then what Discord received from the
bot. Answer wording comes from the engine, so answers are compared with the console's.
"""

from __future__ import annotations

import pytest

from adapters import messages
from adapters.console import ConsoleChat
from adapters.discord import SummitClient
from adapters.discord.hygiene import conversation_key
from bot import Engine, Feedback, Outcome, Question, Vote
from operations.live import Bot
from tests.discord.doubles import Connect, SpyEngine
from tests.fakes.discord_fake import (
    ALICE,
    BOB,
    BOT,
    GENERAL_ID,
    OTHER_BOT,
    THREAD_ID,
    DiscordFake,
)

TRADE = "how much is the trade worth?"
NO_PINGS_REPLY = {"parse": [], "replied_user": False}
NO_PINGS = {"parse": []}
AMBIGUOUS = ["money", "ties", "russia china", "russia and china", "what about the deal"]


async def test_a_mention_gets_a_reply_to_that_message(
    bot: SummitClient, discord_fake: DiscordFake, console: ConsoleChat
) -> None:
    reply = await discord_fake.mention(TRADE)

    expected = console.ask(TRADE)
    assert reply.text == expected.text
    assert reply.reference is not None
    assert int(reply.reference["message_id"]) == int(reply.asked["id"])
    assert reply.allowed_mentions == NO_PINGS_REPLY
    assert expected.source is not None
    assert reply.footer == messages.source_line(expected.source.paragraph, expected.confidence)
    more = [messages.MORE_BUTTON] if expected.has_more else []
    assert reply.labels == [messages.SOURCE_BUTTON, *more, messages.VOTE_UP, messages.VOTE_DOWN]
    assert not reply.content  # the answer is in the embed; plain content stays empty


async def test_every_direct_message_is_answered(
    bot: SummitClient, discord_fake: DiscordFake, console: ConsoleChat
) -> None:
    first = await discord_fake.dm("who skipped the forum?")
    second = await discord_fake.dm("source")

    assert first.text == console.say("who skipped the forum?")
    assert second.text == console.say("source")
    assert first.reference is None  # no quoting in a one-to-one chat
    assert first.allowed_mentions == NO_PINGS


async def test_slash_ask_answers_with_an_embed(
    bot: SummitClient, discord_fake: DiscordFake, console: ConsoleChat
) -> None:
    answer = await discord_fake.slash("ask", question=TRADE)

    assert answer.callback_type == 4  # CHANNEL_MESSAGE_WITH_SOURCE, no defer needed
    assert answer.request.query == {"with_response": "1"}
    assert answer.text == console.say(TRADE)
    assert answer.embeds[0]["footer"]["text"]
    assert not answer.ephemeral
    assert answer.allowed_mentions == NO_PINGS


async def test_slash_ask_and_its_buttons_work_in_a_direct_message(
    bot: SummitClient, discord_fake: DiscordFake, console: ConsoleChat
) -> None:
    answer = await discord_fake.slash("ask", question=TRADE, dm=True)
    source = await discord_fake.click(answer, messages.SOURCE_BUTTON)

    assert answer.text == console.say(TRADE)
    assert source.text == console.say("source")
    assert answer.channel_id == source.channel_id != GENERAL_ID


async def test_private_ask_is_only_for_the_asker(
    bot: SummitClient, discord_fake: DiscordFake, console: ConsoleChat
) -> None:
    answer = await discord_fake.slash("ask", question=TRADE, private=True)

    assert answer.ephemeral
    assert answer.text == console.say(TRADE)


@pytest.mark.parametrize("command", ["topics", "help"])
async def test_topics_and_help(
    bot: SummitClient, discord_fake: DiscordFake, console: ConsoleChat, command: str
) -> None:
    answer = await discord_fake.slash(command)

    assert answer.text == console.say(command)
    assert answer.ephemeral


async def test_autocomplete_finds_the_question_despite_typos(
    bot: SummitClient, discord_fake: DiscordFake, fresh_engine: Engine
) -> None:
    fact_id = fresh_engine.answer(Question(TRADE, conversation="probe")).fact_id
    right = next(f.questions[0] for f in fresh_engine.knowledge.facts if f.id == fact_id)

    choices = await discord_fake.autocomplete("ask", "question", "how much is the trde wrth")

    assert 0 < len(choices) <= 25
    assert right in [c["name"] for c in choices]
    assert all(0 < len(c["name"]) <= 100 and c["value"] == c["name"] for c in choices)


async def test_autocomplete_on_an_empty_box_offers_at_most_25(
    bot: SummitClient, discord_fake: DiscordFake, fresh_engine: Engine
) -> None:
    choices = await discord_fake.autocomplete("ask", "question", "")

    assert len(choices) == min(25, len(fresh_engine.knowledge.facts))


async def test_a_did_you_mean_button_answers_that_question(
    connect: Connect, discord_fake: DiscordFake, spy: SpyEngine, fresh_engine: Engine
) -> None:
    unsure = [q for q in AMBIGUOUS if ConsoleChat(Bot(fresh_engine), conversation=q).ask(q).outcome
              is Outcome.SUGGESTED]
    assert unsure, f"none of {AMBIGUOUS} gets a did-you-mean any more: add one that does"
    async with connect(engine=spy):
        reply = await discord_fake.mention(unsure[0])
        picked = await discord_fake.click(reply, reply.labels[1], user=BOB)

    fact_id = reply.buttons[1]["custom_id"].rsplit(":", 1)[1]
    key = conversation_key(GENERAL_ID, BOB.id)
    assert spy.questions[-1] == Question("", "discord", key, str(BOB.id), fact_id=fact_id)
    assert picked.text == fresh_engine.answer(Question("", fact_id=fact_id)).text
    assert picked.ephemeral  # anyone may click: only the clicker sees the result


async def test_the_source_button_shows_where_the_answer_comes_from(
    bot: SummitClient, discord_fake: DiscordFake, console: ConsoleChat
) -> None:
    answer = await discord_fake.slash("ask", question=TRADE)
    source = await discord_fake.click(answer, messages.SOURCE_BUTTON)

    console.say(TRADE)
    assert source.text == console.say("source")
    assert source.ephemeral


@pytest.mark.parametrize(
    ("emoji", "vote"), [(messages.VOTE_UP, Vote.UP), (messages.VOTE_DOWN, Vote.DOWN)]
)
async def test_feedback_buttons_are_recorded(
    bot: SummitClient, discord_fake: DiscordFake, emoji: str, vote: Vote
) -> None:
    reply = await discord_fake.mention(TRADE)
    thanks = await discord_fake.click(reply, emoji, user=BOB)

    fact_id = reply.buttons[0]["custom_id"].rsplit(":", 1)[1]
    key = conversation_key(GENERAL_ID, BOB.id)
    assert bot.feedback.items == [Feedback("discord", key, str(BOB.id), fact_id, vote)]  # type: ignore[attr-defined]
    assert thanks.content == messages.FEEDBACK_THANKS
    assert thanks.ephemeral


async def test_ignores_itself_other_bots_and_talk_not_meant_for_it(
    bot: SummitClient, discord_fake: DiscordFake
) -> None:
    mark = discord_fake.mark()
    await discord_fake.post_message(f"{BOT.mention} {TRADE}", user=BOT, mentions=[BOT])
    await discord_fake.post_message(f"{BOT.mention} {TRADE}", user=OTHER_BOT, mentions=[BOT])
    await discord_fake.post_message(TRADE)
    await discord_fake.post_message(f"@everyone {TRADE}")
    await discord_fake.post_message(f"!ask {TRADE}")  # the prefix command is off by default
    control = await discord_fake.dm("help", user=BOB)

    assert [s.request for s in discord_fake.sent_since(mark)] == [control.request]


async def test_everyone_in_a_question_never_pings(
    bot: SummitClient, discord_fake: DiscordFake
) -> None:
    question = f"@everyone @here <@&{GENERAL_ID}> {BOB.mention} {TRADE}"
    reply = await discord_fake.say(f"{BOT.mention} {question}", mentions=[BOT, BOB])
    answer = await discord_fake.slash("ask", question=question)

    assert reply.allowed_mentions == NO_PINGS_REPLY
    assert answer.allowed_mentions == NO_PINGS
    assert all("@everyone" not in s.text + s.content for s in (reply, answer))
    assert bot.allowed_mentions is not None  # the client default too, for anything else it sends
    assert bot.allowed_mentions.to_dict() == NO_PINGS


async def test_other_mentions_reach_the_engine_as_names(
    connect: Connect, discord_fake: DiscordFake, spy: SpyEngine
) -> None:
    async with connect(engine=spy):
        text = f"{BOT.mention} did {BOB.mention} ask <@!{BOT.id}> about  trade?"
        await discord_fake.say(text, mentions=[BOT, BOB])

    key = conversation_key(GENERAL_ID, ALICE.id)
    assert spy.questions == [Question("did bob ask about trade?", "discord", key, str(ALICE.id))]


async def test_a_2000_character_question(
    bot: SummitClient, discord_fake: DiscordFake, console: ConsoleChat
) -> None:
    content = (f"{BOT.mention} " + f"{TRADE} " * 100)[:2000]
    reply = await discord_fake.say(content, mentions=[BOT])
    answer = await discord_fake.slash("ask", question=(f"{TRADE} " * 100)[:2000])

    assert len(content) == 2000
    assert reply.text and len(reply.text) <= 4096 and len(reply.content) <= 2000
    assert reply.text == console.say(content.removeprefix(BOT.mention).strip())
    assert answer.text and len(answer.text) <= 4096


async def test_follow_ups_belong_to_one_person_in_one_channel(
    bot: SummitClient, discord_fake: DiscordFake, fresh_engine: Engine
) -> None:
    await discord_fake.slash("ask", question=TRADE)
    alice = await discord_fake.mention("source?")
    bob = await discord_fake.mention("source?", user=BOB)
    in_thread = await discord_fake.mention("source?", channel=THREAD_ID)

    same = ConsoleChat(Bot(fresh_engine), conversation="same")
    same.say(TRADE)
    assert alice.text == same.say("source?")
    fresh = ConsoleChat(Bot(fresh_engine), conversation="fresh").say("source?")
    assert bob.text == in_thread.text == fresh
    assert in_thread.channel_id == THREAD_ID


async def test_the_prefix_command_when_configured(
    connect: Connect, discord_fake: DiscordFake, console: ConsoleChat
) -> None:
    async with connect({"DISCORD_PREFIX": "!"}):
        reply = await discord_fake.say(f"!ask {TRADE}")

    assert reply.text == console.say(TRADE)
    assert reply.reference is not None
