"""The Slack app end to end: signed requests into the real Bolt app, Slack's view of the replies.

Each test reads as a chat: someone mentions the bot, DMs it, runs /summit or clicks a button,
and the test checks what Slack received (channel, thread, ephemeral or not, blocks, text).
"""

from __future__ import annotations

import json
import time

import pytest

from adapters import messages as ui
from bot import (
    Answer,
    Engine,
    Feedback,
    MemoryFeedback,
    Outcome,
    Question,
    Suggestion,
    Vote,
    messages,
)
from bot.context import Turn
from tests.fakes.slack_api import RESPONSE_URL, FakeSlack
from tests.fakes.slack_workspace import (
    AUTO,
    BOB,
    DM,
    GENERAL,
    TEAM,
    OpenWorkspace,
    Sent,
    Workspace,
)
from tests.payloads import payload

SKIPPED = "American business leaders largely stayed away from the forum"


class UnsureEngine(Engine):
    """The real engine, except that "which one?" gets a "did you mean" between two facts."""

    def answer(self, question: Question, last: Turn | None = None) -> Answer:
        if question.fact_id is None and question.text == "which one?":
            options = (
                Suggestion("trade_volume", "How much trade is there between Russia and China?"),
                Suggestion("trade_deals", "What trade deals were signed?"),
            )
            text = messages.did_you_mean([s.question for s in options])
            return Answer(Outcome.SUGGESTED, text, confidence=0.4, suggestions=options)
        return super().answer(question, last)


# -- mentions, threads, DMs ----------------------------------------------------------------------


async def test_a_mention_is_answered_once_in_a_thread_under_it(slack: Workspace) -> None:
    reply = await slack.mention("who skipped the forum?")

    assert reply.channel == GENERAL and not reply.ephemeral
    assert reply.thread_ts == reply.asked_ts
    assert reply.text.startswith(SKIPPED)
    assert reply.sections == reply.text
    assert "Source: paragraph 7" in reply.context
    assert {"summit_vote_up", "summit_vote_down", "summit_ask_source"} <= set(reply.buttons())
    await slack.settle()
    assert len(slack.fake.calls("chat.postMessage")) == 1  # app_mention + message: one answer


async def test_a_mention_inside_a_thread_is_answered_in_that_thread(slack: Workspace) -> None:
    reply = await slack.mention("who skipped the forum?", thread_ts="1700000000.000042")

    assert reply.thread_ts == "1700000000.000042"


async def test_follow_ups_in_a_thread_refer_to_the_last_answer_there(slack: Workspace) -> None:
    first = await slack.mention("who skipped the forum?")
    source = await slack.mention("source?", thread_ts=first.thread_ts)
    more = await slack.mention("more", thread_ts=first.thread_ts)
    elsewhere = await slack.mention("source?")  # a new thread: nothing asked there yet

    assert "paragraph 7" in source.text and source.thread_ts == first.thread_ts
    assert more.text == "The US ambassador did not attend either."
    assert elsewhere.text == messages.NOTHING_BEFORE


async def test_every_direct_message_is_answered_without_a_mention(slack: Workspace) -> None:
    reply = await slack.dm("who skipped the forum?")
    more = await slack.dm("more")

    assert reply.channel == DM and reply.thread_ts is None and not reply.ephemeral
    assert reply.text.startswith(SKIPPED)
    assert more.text == "The US ambassador did not attend either."


async def test_a_mention_in_a_direct_message_is_answered_once(slack: Workspace) -> None:
    reply = await slack.dm("<@UBOT> who skipped the forum?")

    assert reply.text.startswith(SKIPPED)
    await slack.settle()
    assert len(slack.fake.calls("chat.postMessage")) == 1


async def test_questions_in_auto_channels_need_no_mention(slack: Workspace) -> None:
    await slack.message("who skipped the forum", channel=AUTO)  # no "?": not a question
    await slack.message("who skipped the forum?", channel=GENERAL)  # not an auto channel
    await slack.message("who skipped the forum?", channel=AUTO)
    [answer] = await slack.fake.next_calls("chat.postMessage", after=0)
    await slack.settle()

    assert answer["channel"] == AUTO and answer["thread_ts"]  # in a thread under the question
    assert len(slack.fake.calls("chat.postMessage")) == 1


async def test_a_mention_in_an_auto_channel_is_answered_once(slack: Workspace) -> None:
    reply = await slack.mention("who skipped the forum?", channel=AUTO)
    await slack.settle()

    assert reply.thread_ts == reply.asked_ts
    assert len(slack.fake.calls("chat.postMessage")) == 1


# -- /summit ---------------------------------------------------------------------------------------


async def test_the_slash_command_answers_privately_with_a_share_button(slack: Workspace) -> None:
    reply = await slack.command("who skipped the forum?")

    assert reply.call.method == RESPONSE_URL and reply.ephemeral
    assert reply.text.startswith(SKIPPED)
    assert ui.SHARE in json.dumps(reply.buttons()["summit_share"], ensure_ascii=False)
    assert slack.fake.calls("chat.postMessage") == []  # nothing public


@pytest.mark.parametrize("text", ["help", "", "   "])
async def test_summit_help_and_a_bare_summit_show_the_help(slack: Workspace, text: str) -> None:
    reply = await slack.command(text)

    assert reply.text.startswith("I answer questions about")


async def test_summit_topics_lists_the_topics(slack: Workspace) -> None:
    reply = await slack.command("topics")

    assert "The forum" in reply.text and "Trade" in reply.text


async def test_share_posts_the_private_answer_in_the_channel(slack: Workspace) -> None:
    private = await slack.command("who skipped the forum?", channel=GENERAL)
    await slack.click(private, "summit_share")
    await slack.settle()

    [public] = slack.fake.calls("chat.postMessage")
    shared = Sent(public)
    assert shared.channel == GENERAL and shared.thread_ts is None and not shared.ephemeral
    assert shared.text == private.text
    sure = private.context.split("·")[-1].strip()  # "97% sure": the same answer, shared
    assert "Shared by ualice" in shared.context
    assert sure.endswith("% sure") and sure in shared.context
    assert "summit_share" not in shared.buttons()
    assert slack.fake.calls(RESPONSE_URL)[-1]["delete_original"] is True  # private copy gone


async def test_share_where_the_bot_may_not_post_goes_through_response_url(
    slack: Workspace, fake: FakeSlack
) -> None:
    private = await slack.command("who skipped the forum?")
    fake.fail("chat.postMessage", "not_in_channel")
    await slack.click(private, "summit_share")
    await slack.settle()

    in_channel, deleted = slack.fake.calls(RESPONSE_URL)[-2:]
    assert in_channel["response_type"] == "in_channel" and in_channel["text"] == private.text
    assert deleted["delete_original"] is True


# -- buttons ---------------------------------------------------------------------------------------


async def test_a_did_you_mean_button_answers_that_fact_in_the_thread(
    open_workspace: OpenWorkspace, engine: Engine
) -> None:
    async with open_workspace(UnsureEngine(engine.knowledge, engine.language)) as slack:
        unsure = await slack.mention("which one?")
        assert set(unsure.buttons()) >= {"summit_ask_1", "summit_ask_2"}
        assert "summit_vote_up" not in unsure.buttons()  # nothing was asserted to vote on

        await slack.click(unsure, "summit_ask_2")
        [picked] = await slack.fake.next_calls("chat.postMessage", after=1)
        source = await slack.mention("source", thread_ts=unsure.thread_ts)

    assert Sent(picked).thread_ts == unsure.thread_ts
    assert Sent(picked).text.startswith("The two leaders signed trade and energy deals")
    assert "paragraph 10" in source.text  # the thread now talks about the picked fact


async def test_a_did_you_mean_button_on_a_private_answer_answers_privately(
    open_workspace: OpenWorkspace, engine: Engine
) -> None:
    async with open_workspace(UnsureEngine(engine.knowledge, engine.language)) as slack:
        unsure = await slack.command("which one?")
        await slack.click(unsure, "summit_ask_1")
        [picked] = await slack.fake.next_calls(RESPONSE_URL, after=1)

    assert Sent(picked).ephemeral and Sent(picked).text.startswith("Trade between the two")
    assert "summit_share" in Sent(picked).buttons()
    assert slack.fake.calls("chat.postMessage") == []


@pytest.mark.parametrize(
    ("button", "expected"),
    [("summit_ask_source", "paragraph 7"), ("summit_ask_more", "US ambassador")],
)
async def test_source_and_more_buttons_answer_in_the_thread(
    slack: Workspace, button: str, expected: str
) -> None:
    answer = await slack.mention("who skipped the forum?")
    await slack.click(answer, button)
    [reply] = await slack.fake.next_calls("chat.postMessage", after=1)

    assert Sent(reply).thread_ts == answer.thread_ts and expected in Sent(reply).text


@pytest.mark.parametrize(
    ("button", "vote"), [("summit_vote_up", Vote.UP), ("summit_vote_down", Vote.DOWN)]
)
async def test_feedback_is_recorded_and_acknowledged_privately(
    slack: Workspace, feedback: MemoryFeedback, button: str, vote: Vote
) -> None:
    answer = await slack.mention("who skipped the forum?")
    await slack.click(answer, button, user=BOB)
    [thanks] = await slack.fake.next_calls(RESPONSE_URL, after=0)

    conversation = f"slack:{TEAM}:{GENERAL}:{answer.thread_ts}"
    assert feedback.items == [Feedback("slack", conversation, BOB, "forum_skipped", vote)]
    assert Sent(thanks).ephemeral and thanks["text"] == ui.FEEDBACK_THANKS
    assert thanks["replace_original"] is False  # the answer stays as it was


# -- the wire --------------------------------------------------------------------------------------


async def test_requests_are_acked_at_once_and_answered_after(slack: Workspace) -> None:
    event = {**payload("slack/message"), "text": "who skipped the forum? " + "x" * 100_000}
    started = time.monotonic()
    reply = await slack.event(event)
    acked = time.monotonic() - started
    [answer] = await slack.fake.next_calls("chat.postMessage", after=0)

    assert reply.status == 200 and reply.body == "" and acked < 3.0
    assert answer["channel"] == event["channel"]


async def test_the_events_url_answers_slacks_verification_challenge(slack: Workspace) -> None:
    verification = payload("slack/url_verification")
    challenge = verification["challenge"]
    body = json.dumps(verification)
    reply = await slack.post(body, "application/json")

    assert reply.status == 200 and challenge in reply.body


async def test_a_dm_asked_in_a_thread_is_answered_in_that_thread(slack: Workspace) -> None:
    reply = await slack.dm("who skipped the forum?", thread_ts="1700000000.000777")

    assert reply.channel == DM and reply.thread_ts == "1700000000.000777"
