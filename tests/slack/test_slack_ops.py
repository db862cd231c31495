"""The organisers' loop in Slack: questions logged, 👎 on the logged answer, `/summit reload`."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from bot import Vote
from operations import messages
from operations.ops import Ops
from operations.ops_settings import OpsSettings
from operations.questionlog import open_store
from tests.fakes.slack_api import RESPONSE_URL, FakeSlack
from tests.fakes.slack_workspace import ALICE, BOB, GENERAL, TEAM, Workspace

MINI_KB = Path(__file__).parents[1] / "fixtures" / "mini_kb.yaml"
SKIPPED = "American business leaders largely stayed away from the forum"
STAYED_HOME = "Most American business leaders stayed at home this year."


@pytest.fixture
def kb_file(tmp_path: Path) -> Path:
    path = tmp_path / "kb.yaml"
    path.write_text(MINI_KB.read_text(encoding="utf-8"), encoding="utf-8")
    return path


@pytest.fixture
def settings(tmp_path: Path) -> OpsSettings:
    return OpsSettings(data_dir=tmp_path / "data", admin_user_ids=frozenset({ALICE}))


@pytest.fixture
async def ops(kb_file: Path, settings: OpsSettings) -> AsyncIterator[Ops]:
    with Ops.open(kb_file, settings) as opened:
        yield opened


@pytest.fixture
async def slack(fake: FakeSlack, ops: Ops) -> AsyncIterator[Workspace]:
    async with Workspace.open(ops.bot, fake, feedback=ops.feedback, admin=ops.admin) as ws:
        yield ws


def edit(path: Path, change: Callable[[str], str]) -> None:
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")


async def test_a_question_and_its_thumbs_down_end_up_in_the_log(
    slack: Workspace, ops: Ops, settings: OpsSettings
) -> None:
    answer = await slack.mention("who skipped the forum?", user=ALICE)
    await slack.click(answer, "summit_vote_down", user=BOB)
    await slack.fake.next_calls(RESPONSE_URL, after=0)
    assert ops.bot.log is not None and ops.bot.log.flush()

    with open_store(settings) as store:
        [row] = store.questions()
    conversation = f"slack:{TEAM}:{GENERAL}:{answer.thread_ts}"
    assert (row.platform, row.conversation) == ("slack", conversation)
    assert (row.text, row.outcome, row.fact_id) == ("who skipped the forum?", "answered",
                                                    "forum_skipped")
    assert row.user and ALICE not in row.user  # a salted hash, not the Slack id
    assert row.feedback is Vote.DOWN


async def test_an_admin_reloads_with_slash_summit_reload_and_sees_what_changed(
    slack: Workspace, kb_file: Path
) -> None:
    before = await slack.mention("who skipped the forum?")
    edit(kb_file, lambda text: text.replace(
        "American business leaders largely stayed away from the forum, after the arrest of an\n"
        "      American investor in Moscow.", STAYED_HOME))

    reply = await slack.command("reload", user=ALICE)
    after = await slack.mention("who skipped the forum?")

    assert reply.ephemeral
    assert reply.text.startswith("Reloaded the fact base: version")
    assert "1 of 1 questions replayed would get a different answer:" in reply.text
    assert before.text.startswith(SKIPPED) and after.text.startswith(STAYED_HOME)


async def test_anyone_else_is_refused_politely_and_nothing_changes(
    slack: Workspace, kb_file: Path
) -> None:
    edit(kb_file, lambda text: text.replace(SKIPPED, "Nobody"))

    reply = await slack.command("reload", user=BOB)

    assert reply.ephemeral and reply.text == messages.RELOAD_REFUSED
    assert (await slack.mention("who skipped the forum?")).text.startswith(SKIPPED)


async def test_a_broken_edit_shows_the_admin_the_error_and_keeps_the_old_fact_base(
    slack: Workspace, kb_file: Path
) -> None:
    edit(kb_file, lambda text: text.replace("id: trade_deals", "id: trade_volume"))

    reply = await slack.command(" Reload ", user=ALICE)

    assert reply.ephemeral
    assert reply.text.startswith("The new fact base has a problem, so the old one")
    assert "duplicate id" in reply.text
    assert (await slack.mention("who skipped the forum?")).text.startswith(SKIPPED)
