"""The Slack app under stress: retries, bad signatures, ignored senders, pings, huge messages,
failing engines and Web API errors; the bot answers once, safely, or stays quiet and logs.
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
    Outcome,
    Question,
)
from bot.context import Turn
from tests.fakes.slack_api import RESPONSE_URL, FakeSlack
from tests.fakes.slack_workspace import (
    ALICE,
    DM,
    GENERAL,
    OpenWorkspace,
    Workspace,
    sign,
)
from tests.payloads import payload

SKIPPED = "American business leaders largely stayed away from the forum"


class EchoEngine(Engine):
    """Says back exactly what it was asked: the worst case for pings and for length."""

    def answer(self, question: Question, last: Turn | None = None) -> Answer:
        return Answer(Outcome.COMMAND, question.text)


class BrokenEngine(Engine):
    def answer(self, question: Question, last: Turn | None = None) -> Answer:
        raise RuntimeError("the engine broke")


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
