"""The Slack app end to end: signed requests into the real Bolt app, Slack's view of the replies.

Each test reads as a chat: someone mentions the bot, DMs it, runs /summit or clicks a button,
and the test checks what Slack received (channel, thread, ephemeral or not, blocks, text).
"""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from adapters import messages as ui
from adapters.slack.render import SECTION_LIMIT, TEXT_LIMIT
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
    ALICE,
    AUTO,
    BOB,
    DM,
    GENERAL,
    TEAM,
    OpenWorkspace,
    Sent,
    Workspace,
    payload,
    sign,
)

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


class EchoEngine(Engine):
    """Says back exactly what it was asked: the worst case for pings and for length."""

    def answer(self, question: Question, last: Turn | None = None) -> Answer:
        return Answer(Outcome.COMMAND, question.text)


class BrokenEngine(Engine):
    def answer(self, question: Question, last: Turn | None = None) -> Answer:
        raise RuntimeError("the engine broke")


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


# -- safety ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("retry", [1, 2, 3])
async def test_a_retried_event_is_answered_once(slack: Workspace, retry: int) -> None:
    event = {**payload("slack/message"), "text": "who skipped the forum?"}
    first = await slack.event(event, event_id="Ev0RETRIED")
    again = await slack.event(event, event_id="Ev0RETRIED", retry=retry)
    await slack.settle()

    assert first.status == again.status == 200
    assert again.headers.get("x-slack-no-retry") == "1"
    assert len(slack.fake.calls("chat.postMessage")) == 1


@pytest.mark.parametrize("wrong", ["secret", "timestamp"])
async def test_a_badly_signed_request_is_rejected_and_nothing_is_posted(
    slack: Workspace, wrong: str
) -> None:
    body = json.dumps({**payload("slack/event_callback"), "event": payload("slack/app_mention")})
    if wrong == "secret":
        reply = await slack.post(body, "application/json", secret="not-the-secret")
    else:  # a replayed request: signed correctly, but ten minutes ago
        old = sign(body, timestamp=int(time.time()) - 600)
        reply = await slack.post(body, "application/json", old)
    await slack.settle()

    assert reply.status == 401
    assert slack.fake.received == []  # not even auth.test


@pytest.mark.parametrize(
    "fields",
    [
        {"user": "UBOT", "bot_id": "BBOT"},  # the bot's own answer
        {"user": "UOTHER", "bot_id": "B0OTHER", "subtype": "bot_message"},  # another bot
        {"bot_profile": {"id": "B0OTHER"}},  # another app's bot user
        {"subtype": "message_changed"},  # an edit
        {"subtype": "channel_join"},
        {"subtype": "message_deleted"},
        {"edited": {"user": ALICE, "ts": "1700000000.000001"}},
    ],
)
async def test_own_bot_edited_and_system_messages_are_ignored(
    slack: Workspace, fields: dict[str, Any]
) -> None:
    reply = await slack.message("who skipped the forum?", channel=DM, channel_type="im", **fields)
    await slack.settle()
    assert reply.status == 200  # acknowledged, so Slack does not retry
    assert slack.fake.calls("chat.postMessage") == []

    await slack.dm("who skipped the forum?")  # while a person's message is answered
    await slack.settle()
    assert len(slack.fake.calls("chat.postMessage")) == 1


async def test_broadcasts_in_a_question_never_become_pings(
    open_workspace: OpenWorkspace, engine: Engine
) -> None:
    async with open_workspace(EchoEngine(engine.knowledge, engine.language)) as slack:
        # as Slack sends it: broadcasts and mentions wrapped, a typed & < > escaped
        question = "<!channel> <!here> <!everyone> @here <@UALICE> R&amp;D &lt;b&gt;?"
        reply = await slack.mention(question)
        private = await slack.command("<!here> who?")

    for sent in (reply, private):
        wire = json.dumps(sent.call.args)
        assert "<!" not in wire and "<@" not in wire
    assert reply.text == "@channel @here @everyone @here @UALICE R&amp;D &lt;b&gt;?"
    assert all(b["text"].get("verbatim") for b in reply.blocks if b["type"] == "section")


async def test_a_100_kb_message_is_answered_within_slacks_limits(
    open_workspace: OpenWorkspace, engine: Engine
) -> None:
    long = ("who skipped the forum? " + "&amp; more words &lt;here&gt; " * 4000)[:100_000]
    async with open_workspace(EchoEngine(engine.knowledge, engine.language)) as slack:
        reply = await slack.dm(long)

    assert len(reply.blocks) <= 50 and len(reply.text) <= TEXT_LIMIT
    sections = [b["text"]["text"] for b in reply.blocks if b["type"] == "section"]
    assert all(0 < len(s) <= SECTION_LIMIT for s in sections)
    assert " ".join(sections).split() == long.split()  # all of it, cut between words


async def test_a_100_kb_question_gets_a_real_answer(slack: Workspace) -> None:
    reply = await slack.dm("who skipped the forum? " + "x" * 100_000)

    assert reply.text and len(reply.blocks) <= 50


async def test_an_engine_failure_is_an_apology_not_a_crash(
    open_workspace: OpenWorkspace, engine: Engine
) -> None:
    async with open_workspace(BrokenEngine(engine.knowledge, engine.language)) as slack:
        reply = await slack.mention("who skipped the forum?")

    assert reply.text == ui.ERROR


async def test_a_web_api_failure_is_logged_and_the_bot_carries_on(
    slack: Workspace, fake: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    fake.fail("chat.postMessage", "channel_not_found")
    await slack.mention("who skipped the forum?")  # the post fails
    again = await slack.mention("who skipped the forum?")

    assert again.text.startswith(SKIPPED)
    assert "chat.postMessage failed: channel_not_found" in caplog.text
    assert f"channel {GENERAL}" in caplog.text


async def test_a_rate_limit_is_waited_out_once(slack: Workspace, fake: FakeSlack) -> None:
    fake.rate_limit("chat.postMessage", retry_after=0)
    reply = await slack.mention("who skipped the forum?")  # the first try: HTTP 429
    [retried] = await fake.next_calls("chat.postMessage", after=1)

    assert reply.call.args == retried.args  # the same message, sent again


async def test_a_lasting_rate_limit_is_logged_and_the_bot_carries_on(
    slack: Workspace, fake: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    fake.rate_limit("chat.postMessage", retry_after=0, times=2)
    await slack.mention("who skipped the forum?")
    await slack.settle()
    later = await slack.mention("who skipped the forum?")

    assert "chat.postMessage rate-limited by Slack (Retry-After 0 s)" in caplog.text
    assert later.text.startswith(SKIPPED)


async def test_a_failing_response_url_is_logged(
    slack: Workspace, fake: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    fake.fail(RESPONSE_URL, "expired_url")
    await slack.command("who skipped the forum?")
    await slack.settle()

    assert "response_url failed: HTTP 404" in caplog.text
    assert (await slack.command("who skipped the forum?")).text.startswith(SKIPPED)


async def test_tokens_never_reach_the_logs(
    slack: Workspace, fake: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("DEBUG")
    fake.fail("chat.postMessage", "invalid_blocks")
    await slack.mention("who skipped the forum?")
    await slack.command("who skipped the forum?")
    await slack.post("{}", "application/json", secret="wrong")
    await slack.settle()

    assert caplog.text  # something was logged
    for secret in (fake.token, "8f742231b10e8888abcd99yyyzzz85a5"):
        assert secret not in caplog.text
