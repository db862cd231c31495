"""Fuzz: random and hostile text and clicks through the real discord.py client (issue 10).

Each example is a gateway event from the local fake Discord (tests/fakes/discord_fake.py) to the
real client, with the question log wired in (SQLite in a temporary DATA_DIR). For every input:
exactly one reply reaches Discord, with no mention allowed and no ping in what it shows, no
traceback is logged, and the question log holds one more row per question asked once the
writer has flushed.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from adapters import messages
from adapters.discord import build_client, from_env
from adapters.discord.render import ACTIONS, CHOICE_LIMIT, CHOICES_LIMIT
from operations.ops import Ops
from operations.ops_settings import OpsSettings
from operations.questionlog import open_store
from tests.discord.doubles import TOKEN
from tests.fakes.discord_fake import BOT, DiscordFake, Sent
from tests.fakes.hostile import hostile_text, json_values

MINI_KB = Path(__file__).parents[1] / "fixtures" / "mini_kb.yaml"
MESSAGE_LIMIT = 2000  # characters in a Discord message, and in /ask's question option (2025)
FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
PINGS = ("@everyone", "@here", "<@", "<#", "<!")
NOTICES = {messages.ODD_BUTTON, messages.FEEDBACK_THANKS}
FACTS = st.sampled_from(["trade_volume", "forum_skipped", "no_such_fact"])
MADE = st.builds("summit:{}:{}".format, st.sampled_from(ACTIONS), FACTS)  # the bot's ids
ODD = st.one_of(
    st.none(),
    st.tuples(st.sampled_from(["custom_id", "component_type", "values", "data"]), json_values()),
    st.tuples(st.just("custom_id"), hostile_text(limit=120)),
    st.tuples(st.just("custom_id"), st.builds("summit:{}:{}".format, st.sampled_from(ACTIONS),
                                              hostile_text(limit=120))),
)
TASKS = ("discord.py: ", "CommandTree-invoker", "discord-ui-")  # discord.py 2.7's handler tasks


@pytest.fixture
def ops_settings(tmp_path: Path) -> OpsSettings:
    return OpsSettings(data_dir=tmp_path / "data")


@pytest.fixture
async def ops(
    discord_fake: DiscordFake, ops_settings: OpsSettings
) -> AsyncIterator[Ops]:
    """The ops (live engine, question log) of a real client that is connected to the fake."""
    env = {"DISCORD_TOKEN": TOKEN, "DISCORD_API_BASE_URL": discord_fake.url}
    with Ops.open(MINI_KB, ops_settings) as opened:
        client = build_client(opened.bot, from_env(env), feedback=opened.feedback)
        async with discord_fake.running(client, TOKEN):
            yield opened


async def settle(timeout: float = 5.0) -> None:
    """Wait (bounded) until every event handler the client started has finished."""
    async with asyncio.timeout(timeout):
        while pending := [
            t for t in asyncio.all_tasks()
            if t.get_name().startswith(TASKS) and t is not asyncio.current_task()
        ]:
            await asyncio.wait(pending)


def logged(ops: Ops, where: OpsSettings) -> int:
    """Rows in the question log once everything queued so far is written."""
    assert ops.bot.log is not None and ops.bot.log.flush(timeout=5)
    with open_store(where) as store:
        return store.count()


def assert_calm(sent: Sent) -> None:
    """No mention is allowed, and nothing shown looks like one (the engine never echoes)."""
    allowed = sent.allowed_mentions
    assert allowed is not None and allowed["parse"] == [], allowed
    assert not allowed.get("users") and not allowed.get("roles") and not allowed.get("replied_user")
    shown = [sent.content, sent.text, sent.footer, *sent.labels]
    for text in shown:
        assert not any(ping in text for ping in PINGS), text[:200]


def assert_no_traceback(caplog: pytest.LogCaptureFixture) -> None:
    loud = [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert loud == [], [r.getMessage()[:200] for r in loud]


async def ask(discord_fake: DiscordFake, how: str, text: str) -> Sent:
    """Ask `text` as a mention, a DM or with /ask; the one reply (nothing else was sent)."""
    mark = discord_fake.mark()
    if how == "mention":
        reply = await discord_fake.mention(text[: MESSAGE_LIMIT - len(BOT.mention) - 1])
    elif how == "dm":
        reply = await discord_fake.dm(text)
    else:  # Discord sends /ask only with a question of 1 to 2,000 characters
        reply = await discord_fake.slash("ask", question=text or "?")
    await settle()
    assert [s.request for s in discord_fake.sent_since(mark)] == [reply.request]
    return reply


@FUZZ
@given(text=hostile_text(limit=MESSAGE_LIMIT), how=st.sampled_from(["mention", "dm", "slash"]))
@example(text="熊猫" * 1000, how="mention")
@example(text="\ud800 lone surrogate", how="dm")
@example(text="@everyone @here <@1000000000000000002> <@&123> <#1100000000000000002>", how="slash")
@example(text="\u202eevil\u202c " + "x" * (MESSAGE_LIMIT - 12), how="dm")
async def test_any_text_gets_one_calm_answer_and_one_logged_row(
    discord_fake: DiscordFake, ops: Ops, ops_settings: OpsSettings,
    caplog: pytest.LogCaptureFixture, text: str, how: str,
) -> None:
    caplog.clear()
    rows = logged(ops, ops_settings)

    reply = await ask(discord_fake, how, text)

    assert_calm(reply)
    assert reply.embeds and reply.text != messages.ERROR  # an answer; the engine did not fail
    assert_no_traceback(caplog)
    assert logged(ops, ops_settings) == rows + 1


@FUZZ
@given(typed=hostile_text(limit=MESSAGE_LIMIT))
@example(typed="熊猫" * 1000)
async def test_any_typing_gets_at_most_25_short_choices(
    discord_fake: DiscordFake, ops: Ops, caplog: pytest.LogCaptureFixture, typed: str
) -> None:
    caplog.clear()
    mark = discord_fake.mark()

    choices = await discord_fake.autocomplete("ask", "question", typed)
    await settle()

    assert len(discord_fake.sent_since(mark)) == 1
    assert len(choices) <= CHOICES_LIMIT
    assert all(0 < len(c["name"]) <= CHOICE_LIMIT and c["value"] == c["name"] for c in choices)
    assert_no_traceback(caplog)


@pytest.fixture
async def answered(discord_fake: DiscordFake, ops: Ops) -> Sent:
    """A public answer with buttons: the message every fuzzed click is made on."""
    return await discord_fake.mention("who skipped the forum?")


def on(message: Sent, data: Any) -> Sent:
    """`message` carrying the clicked button (Discord sends clicks only on components there)."""
    custom_id = data.get("custom_id") if isinstance(data, dict) else None
    if not isinstance(custom_id, str):
        return message
    button = {"type": 2, "style": 2, "label": "?", "custom_id": custom_id}
    return Sent(message.request, {**message.message,
                                  "components": [{"type": 1, "components": [button]}]})


def click(custom_id: str, odd: tuple[str, Any] | None) -> Any:
    """A click's data as the bot's button makes it, with one part (or all of it) replaced."""
    data: dict[str, Any] = {"custom_id": custom_id, "component_type": 2}
    where, what = odd or ("", None)
    return what if where == "data" else data | ({where: what} if where else {})


@FUZZ
@given(custom_id=MADE, odd=ODD)
@example(custom_id="summit:ask:no_such_fact", odd=None)
@example(custom_id="summit:up:trade_volume", odd=("values", 1e308))
@example(custom_id="summit:ask:x", odd=("custom_id", {"id": "summit:ask:x"}))
@example(custom_id="summit:ask:x", odd=("data", None))
async def test_any_click_gets_one_polite_private_reply(
    discord_fake: DiscordFake, ops: Ops, ops_settings: OpsSettings, answered: Sent,
    caplog: pytest.LogCaptureFixture, custom_id: str, odd: tuple[str, Any] | None,
) -> None:
    caplog.clear()
    data = click(custom_id, odd)
    rows = logged(ops, ops_settings)
    mark = discord_fake.mark()

    reply = await discord_fake.component(data, on=on(answered, data))
    await settle()

    assert [s.request for s in discord_fake.sent_since(mark)] == [reply.request]
    assert_calm(reply)
    assert reply.ephemeral and reply.content != messages.ERROR
    assert_no_traceback(caplog)
    asked = reply.content not in NOTICES  # a click on the bot's own button asked the engine
    event("asked the engine" if asked else "a notice")  # see --hypothesis-show-statistics
    assert logged(ops, ops_settings) == rows + asked
