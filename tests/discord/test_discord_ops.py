"""The organisers' loop in Discord: questions logged, 👎 on the logged answer, `/reload`."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from adapters import messages as ui
from adapters.discord import SummitClient, build_client, from_env
from bot import Vote
from operations import messages as ops_messages
from operations.ops import Ops
from operations.ops_settings import OpsSettings
from operations.questionlog import open_store
from tests.discord.doubles import TOKEN
from tests.fakes.discord_fake import ALICE, BOB, DiscordFake

MINI_KB = Path(__file__).parents[1] / "fixtures" / "mini_kb.yaml"
SKIPPED = "American business leaders largely stayed away from the forum"

Open = Callable[..., Any]


@pytest.fixture
def kb_file(tmp_path: Path) -> Path:
    path = tmp_path / "kb.yaml"
    path.write_text(MINI_KB.read_text(encoding="utf-8"), encoding="utf-8")
    return path


@pytest.fixture
def open_bot(discord_fake: DiscordFake, kb_file: Path, tmp_path: Path) -> Open:
    """`async with open_bot(admins) as (client, ops):` the real client, with the ops wired in."""

    @asynccontextmanager
    async def open_bot(admins: frozenset[str]) -> AsyncIterator[tuple[SummitClient, Ops]]:
        settings = OpsSettings(data_dir=tmp_path / "data", admin_user_ids=admins)
        env = {"DISCORD_TOKEN": TOKEN, "DISCORD_API_BASE_URL": discord_fake.url}
        with Ops.open(kb_file, settings) as ops:
            client = build_client(ops.bot, from_env(env), feedback=ops.feedback,
                                  admin=ops.admin)
            async with discord_fake.running(client, TOKEN):
                yield client, ops

    return open_bot


async def test_reload_is_a_command_only_where_admins_are_configured(
    open_bot: Open, discord_fake: DiscordFake
) -> None:
    async with open_bot(frozenset()):
        assert {c["name"] for c in discord_fake.commands[None]} == {"ask", "topics", "help"}
    async with open_bot(frozenset({str(ALICE.id)})):
        commands = {c["name"]: c for c in discord_fake.commands[None]}
        assert set(commands) == {"ask", "topics", "help", "reload"}
        assert commands["reload"]["description"] == ui.DISCORD_RELOAD


async def test_an_admin_reloads_and_sees_the_summary_privately(
    open_bot: Open, discord_fake: DiscordFake, kb_file: Path
) -> None:
    async with open_bot(frozenset({str(ALICE.id)})):
        before = await discord_fake.mention("who skipped the forum?")
        kb_file.write_text(kb_file.read_text().replace(SKIPPED, "Almost nobody from America came"))

        mark = discord_fake.mark()
        deferred = await discord_fake.slash("reload", user=ALICE)
        follow_up = await discord_fake.wait_request(mark, lambda r: r.path.startswith("/webhooks/"))
        after = await discord_fake.mention("who skipped the forum?")

    assert deferred.callback_type == 5 and deferred.ephemeral  # "thinking…", only for the admin
    content = follow_up.body["content"]
    assert content.startswith("Reloaded the fact base: version")
    assert "1 of 1 questions replayed would get a different answer:" in content
    assert follow_up.body["allowed_mentions"] == {"parse": []}
    assert before.text.startswith(SKIPPED) and after.text.startswith("Almost nobody")


async def test_anyone_else_is_refused_politely(
    open_bot: Open, discord_fake: DiscordFake, kb_file: Path
) -> None:
    async with open_bot(frozenset({str(ALICE.id)})):
        kb_file.write_text(kb_file.read_text().replace(SKIPPED, "Nobody"))
        refused = await discord_fake.slash("reload", user=BOB)
        after = await discord_fake.mention("who skipped the forum?")

    assert refused.callback_type == 4 and refused.ephemeral
    assert refused.content == ops_messages.RELOAD_REFUSED
    assert after.text.startswith(SKIPPED)


async def test_a_question_and_its_thumbs_down_end_up_in_the_log(
    open_bot: Open, discord_fake: DiscordFake, tmp_path: Path
) -> None:
    async with open_bot(frozenset()) as (_, ops):
        answer = await discord_fake.mention("who skipped the forum?", user=ALICE)
        await discord_fake.click(answer, ui.VOTE_DOWN, user=BOB)
        assert ops.bot.log.flush()

    with open_store(OpsSettings(data_dir=tmp_path / "data")) as store:
        [row] = store.questions()
    assert (row.platform, row.outcome, row.fact_id) == ("discord", "answered", "forum_skipped")
    assert row.conversation.startswith("discord:") and str(ALICE.id) in row.conversation
    assert row.user and str(ALICE.id) not in row.user
    assert row.feedback is Vote.DOWN  # Bob's vote, from his own conversation, found Alice's answer
