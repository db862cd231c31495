"""Fuzz: random and hostile text and click payloads through the real Bolt app (issue 10).

Each example is a signed request to the app served on 127.0.0.1 (tests/fakes/slack_workspace.py)
with the question log wired in (SQLite in a temporary DATA_DIR). For every input: exactly one
reply reaches Slack, nothing in it can ping or turn into markup, no traceback is logged, and
the question log holds one more row per question asked once the writer has flushed.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from adapters import messages
from adapters.slack.hygiene import escape, question_text
from bot import Answer, Engine, Outcome, Question
from bot.context import Turn
from operations.ops import Ops
from operations.ops_settings import OpsSettings
from operations.questionlog import open_store
from operations.reload import is_reload
from tests.fakes.hostile import hostile_text, json_values
from tests.fakes.slack_api import RESPONSE_URL, Call, FakeSlack
from tests.fakes.slack_workspace import FORM, GENERAL, OpenWorkspace, Workspace
from tests.payloads import payload

MINI_KB = Path(__file__).parents[1] / "fixtures" / "mini_kb.yaml"
MESSAGE_LIMIT = 40_000  # characters in a Slack message (2025)
FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
PINGS = ("<!", "<@", "<#")
NOTICES = {escape(messages.ODD_BUTTON), escape(messages.FEEDBACK_THANKS)}
BUTTONS = ["summit_ask_1", "summit_ask_source", "summit_ask_more", "summit_vote_up",
           "summit_vote_down", "summit_share"]
MADE = st.fixed_dictionaries({  # a button's value as the bot makes it (render.py)
    "f": st.sampled_from(["trade_volume", "forum_skipped", "no_such_fact"]),
    "q": st.sampled_from(["source", "more", "who skipped the forum?"]),
    "p": st.floats(min_value=0, max_value=1),
})
FORUM = {"f": "forum_skipped", "q": "who skipped the forum?", "p": 0.9}
ODD = st.one_of(st.none(), st.tuples(
    st.sampled_from(["f", "q", "p", "value", "json", "action_id"]), json_values()
))


class EchoEngine(Engine):
    """Says back exactly what it was asked: the worst case for pings and markup."""

    def answer(self, question: Question, last: Turn | None = None) -> Answer:
        return Answer(Outcome.COMMAND, question.text or "(nothing)")  # never empty, as promised


@pytest.fixture
def ops_settings(tmp_path: Path) -> OpsSettings:
    return OpsSettings(data_dir=tmp_path / "data")


@pytest.fixture
async def ops(ops_settings: OpsSettings) -> AsyncIterator[Ops]:
    with Ops.open(MINI_KB, ops_settings) as opened:
        yield opened


@pytest.fixture
async def slack(fake: FakeSlack, ops: Ops) -> AsyncIterator[Workspace]:
    async with Workspace.open(ops.bot, fake, feedback=ops.feedback) as ws:
        yield ws


def logged(ops: Ops, where: OpsSettings) -> int:
    """Rows in the question log once everything queued so far is written."""
    assert ops.bot.log is not None and ops.bot.log.flush(timeout=5)
    with open_store(where) as store:
        return store.count()


def shown(call: Call) -> Iterator[tuple[str, bool]]:
    """Every text a person sees in a message, and whether Slack reads it as mrkdwn."""
    yield str(call.get("text") or ""), True
    for block in call.get("blocks") or []:
        if block["type"] == "section":
            assert block["text"].get("verbatim") is True
            yield block["text"]["text"], True
        for element in block.get("elements", []):
            if element.get("type") == "mrkdwn":
                yield element["text"], True
            elif "text" in element:  # a button's plain_text label
                yield element["text"]["text"], False


def assert_calm(call: Call) -> None:
    """Nothing shown can ping, link or mark up: Slack's three special characters are escaped."""
    for text, mrkdwn in shown(call):
        assert not any(ping in text for ping in PINGS), text[:200]
        assert "<" not in text and ">" not in text, text[:200]
        if mrkdwn:
            assert "&" not in re.sub(r"&(amp|lt|gt);", "", text), text[:200]


def assert_no_traceback(caplog: pytest.LogCaptureFixture) -> None:
    loud = [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert loud == [], [r.getMessage()[:200] for r in loud]


def utf8(text: str) -> str:
    """`text` as a form body can carry it (UTF-8: a lone surrogate becomes "?")."""
    return text.encode("utf-8", "replace").decode("utf-8")


async def ask(slack: Workspace, how: str, text: str) -> Call:
    """Ask `text` as a mention, a DM or with /summit; the one reply (nothing else was sent)."""
    before = len(slack.fake.calls())
    if how == "command":
        reply = await slack.command(utf8(text))
    else:
        reply = await (slack.mention(text) if how == "mention" else slack.dm(text))
    await slack.settle()
    assert slack.fake.calls()[before:] == [reply.call]
    return reply.call


HOW = st.sampled_from(["mention", "dm", "command"])


@FUZZ
@given(text=hostile_text(limit=MESSAGE_LIMIT), how=HOW)
@example(text="熊猫" * 1000, how="mention")
@example(text="payload", how="command")  # Bolt read this /summit as a click (HTTP 404)
@example(text="<@UBOT> Reload", how="command")
@example(text="\ud800 lone surrogate", how="dm")
@example(text="<!channel> <!everyone> <!here> <@U123> <#C1|x> <https://x|y> ?", how="command")
@example(text="\u202eevil\u202c " + "x" * (MESSAGE_LIMIT - 12), how="dm")
async def test_any_text_gets_one_calm_answer_and_one_logged_row(
    slack: Workspace, ops: Ops, ops_settings: OpsSettings, caplog: pytest.LogCaptureFixture,
    text: str, how: str,
) -> None:
    caplog.clear()
    rows = logged(ops, ops_settings)

    reply = await ask(slack, how, text)

    assert_calm(reply)
    assert str(reply.get("text")) != escape(messages.ERROR)  # the engine did not fail
    assert_no_traceback(caplog)
    command = question_text(utf8(text), FakeSlack.BOT_USER_ID)
    reload = how == "command" and is_reload(command)  # an admin command (refused), no question
    assert logged(ops, ops_settings) == rows + (0 if reload else 1)


@FUZZ
@given(text=hostile_text(limit=MESSAGE_LIMIT), how=HOW)
@example(text="&lt;!channel&gt; &amp;lt; <!here|here> <@U1|<!everyone>>", how="mention")
async def test_text_said_back_word_for_word_is_escaped(
    open_workspace: OpenWorkspace, engine: Engine, caplog: pytest.LogCaptureFixture,
    text: str, how: str,
) -> None:
    caplog.clear()
    async with open_workspace(EchoEngine(engine.knowledge, engine.language)) as slack:
        reply = await ask(slack, how, text)

    assert_calm(reply)
    assert_no_traceback(caplog)


def click_body(slack: Workspace, button: dict[str, Any], *, ephemeral: bool) -> str:
    """A block_actions form (signed when posted): a real click's shape, with this button."""
    body = payload("slack/block_actions")
    body["actions"] = [button]
    body["response_url"] = slack.fake.response_url("fuzz")
    if ephemeral:  # a click on a private /summit answer: no message
        body["container"] |= {"is_ephemeral": True}
        del body["message"]
    else:
        body["message"] = {"ts": "1700000000.000001", "type": "message", "bot_id": "BBOT",
                           "text": "an answer"}
    return urlencode({"payload": json.dumps(body)})


def button(action_id: str, made: dict[str, Any], odd: tuple[str, Any] | None) -> dict[str, Any]:
    """The button as the bot makes it, with one part (or all its value) replaced by `odd`."""
    kind = action_id.removeprefix("summit_").split("_")[0]
    keep = {"ask": ("f", "q"), "vote": ("f",), "share": ("f", "q", "p")}[kind]
    value = {k: made[k] for k in keep}
    where, what = odd or ("", None)
    if where in ("f", "q", "p"):
        value[where] = what
    made_value = what if where == "json" else value
    return {
        "type": "button", "block_id": "b1", "action_ts": "1700000300.000001",
        "action_id": what if where == "action_id" else action_id,
        "value": what if where == "value" else json.dumps(made_value),  # raw: not even a string
    }


@FUZZ
@given(
    action_id=st.sampled_from(BUTTONS),
    made=MADE,
    odd=ODD,
    ephemeral=st.booleans(),
)
@example(action_id="summit_share", made=FORUM, odd=("p", 1e308), ephemeral=True)
@example(action_id="summit_vote_up", made=FORUM, odd=("value", {"f": "trade_volume"}),
         ephemeral=False)
@example(action_id="summit_share", made=FORUM, odd=None, ephemeral=True)
@example(action_id="summit_ask_more", made=FORUM | {"q": "more"}, odd=None, ephemeral=False)
async def test_any_button_value_gets_one_polite_reply(
    slack: Workspace, ops: Ops, ops_settings: OpsSettings, caplog: pytest.LogCaptureFixture,
    action_id: str, made: dict[str, Any], odd: tuple[str, Any] | None, ephemeral: bool,
) -> None:
    caplog.clear()
    clicked = button(action_id, made, odd)
    rows = logged(ops, ops_settings)
    before = len(slack.fake.calls())

    answer = await slack.post(click_body(slack, clicked, ephemeral=ephemeral), FORM)
    await slack.settle()

    assert answer.status == 200
    sent = slack.fake.calls()[before:]
    deleted = [c for c in sent if c.method == RESPONSE_URL and c.get("delete_original")]
    [reply] = [c for c in sent if c not in deleted]  # "share" also removes the private copy
    assert_calm(reply)
    assert reply.get("channel", GENERAL) == GENERAL
    assert str(reply["text"]) != escape(messages.ERROR)
    assert_no_traceback(caplog)
    asked = str(reply["text"]) not in NOTICES  # a checked click asked the engine: logged
    event("asked the engine" if asked else "a notice")  # see --hypothesis-show-statistics
    assert logged(ops, ops_settings) == rows + asked
