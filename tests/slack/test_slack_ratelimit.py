"""How fast one person may ask on Slack: a burst passes, then one question per refill; and
how many may wait for an answer at all (MAX_PENDING_QUESTIONS): the next is told it is busy.

The limiter runs on a clock the test moves by hand (operations/ratelimit.py). A refusal is seen
by the asker alone: an ephemeral message for a mention or DM (once per wait), the command's or
button's private reply otherwise.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from bot import Engine
from knowledge.loader import load_knowledge, load_language
from operations import messages
from operations.live import Bot
from operations.ratelimit import RedisTokenBucket, TokenBucket
from operations.state import State
from tests.bots import HeldObserver
from tests.fakes.slack_api import RESPONSE_URL, FakeSlack
from tests.fakes.slack_workspace import ALICE, BOB, DM, GENERAL, Workspace
from tests.slack.conftest import MINI_KB

SKIPPED = "who skipped the forum?"
REFUSED = messages.COOLDOWN.format(seconds=3)


class Clock:
    def __init__(self) -> None:
        self.now = 1_750_000_000.0

    def __call__(self) -> float:
        return self.now


async def refused_privately(slack: Workspace, text: str, *, user: str = ALICE) -> str:
    """A DM that gets no answer; the ephemeral text the asker saw instead."""
    before = len(slack.fake.calls("chat.postEphemeral"))
    await slack.message(text, channel=DM, user=user, channel_type="im")
    [notice] = await slack.fake.next_calls("chat.postEphemeral", after=before)
    assert notice["user"] == user and notice["channel"] == DM
    return str(notice["text"])


async def test_a_burst_passes_then_the_next_waits_for_a_token(
    engine: Engine, fake: FakeSlack
) -> None:
    clock = Clock()
    limiter = TokenBucket(burst=5, seconds=3.0, clock=clock)
    async with Workspace.open(engine, fake, limiter=limiter) as slack:
        dm = await slack.dm(SKIPPED)
        mention = await slack.mention(SKIPPED)
        private = await slack.command(SKIPPED)
        await slack.click(mention, "summit_ask_source")
        await slack.dm("more")  # five questions in a moment: all answered
        assert await refused_privately(slack, SKIPPED) == REFUSED
        await slack.message(SKIPPED, channel=DM, channel_type="im")  # said once per wait
        command = await slack.command(SKIPPED)
        await slack.click(private, "summit_ask_source")
        await slack.settle()
        bob = await slack.dm(SKIPPED, user=BOB)  # nobody else is held up
        clock.now += 3.0
        again = await slack.dm(SKIPPED)

    assert dm.text.startswith("American business leaders") and again.text == dm.text
    assert bob.text == dm.text
    assert len(fake.calls("chat.postEphemeral")) == 1
    assert command.text == REFUSED and command.ephemeral
    clicked = fake.calls(RESPONSE_URL)[-1]
    assert clicked["text"] == REFUSED and clicked["response_type"] == "ephemeral"


async def test_with_too_many_waiting_the_next_asker_is_told_the_bot_is_busy(
    engine: Engine, fake: FakeSlack
) -> None:
    held = HeldObserver()
    async with Workspace.open(Bot(engine, observer=held, max_pending=1), fake) as slack:
        await slack.message(SKIPPED, channel=DM, channel_type="im")  # held in the engine
        assert await asyncio.to_thread(held.working.wait, 5)
        busy = await slack.mention(SKIPPED, user=BOB)
        held.go_on.set()
        [answered] = await fake.next_calls("chat.postMessage", after=1)

    assert busy.text == messages.BUSY and busy.thread_ts == busy.asked_ts  # at once, in reply
    assert answered["channel"] == DM and answered["text"].startswith("American business")
    assert held.metrics.value("summit_questions_turned_away_total", platform="slack") == 1


async def test_one_bucket_across_two_replicas(
    fake: FakeSlack, replicas: Callable[[], State]
) -> None:
    clock, kb = Clock(), load_knowledge(MINI_KB)

    @asynccontextmanager
    async def replica() -> AsyncIterator[Workspace]:
        state = replicas()
        limiter = (
            RedisTokenBucket(state.link, burst=2, seconds=3.0, clock=clock)
            if state.link is not None
            else shared
        )
        engine = Bot(Engine(kb, load_language()), memory=state.context)
        async with Workspace.open(engine, fake, seen=state.seen, limiter=limiter) as workspace:
            yield workspace

    shared = TokenBucket(burst=2, seconds=3.0, clock=clock)  # one process: one bucket
    start: Callable[[], AbstractAsyncContextManager[Workspace]] = replica
    async with start() as one, start() as two:
        first = await one.dm(SKIPPED)
        second = await two.mention(SKIPPED, channel=GENERAL)
        refused = await refused_privately(one, SKIPPED)
        clock.now += 3.0
        again = await two.dm(SKIPPED)

    assert first.text.startswith("American business leaders") and second.text == first.text
    assert refused == REFUSED and again.text == first.text
