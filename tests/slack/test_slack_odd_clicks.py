"""Signed button clicks of shapes the bot never made: a polite private reply and one log line.

Each click is a block_actions payload signed as Slack signs it, posted to the real Bolt app;
the buttons the bot does make keep working (tests/slack/test_slack_app.py).
"""

from __future__ import annotations

import json
import logging
from typing import Any
from urllib.parse import urlencode

import pytest

from adapters import messages
from bot import MemoryFeedback
from tests.fakes.slack_api import RESPONSE_URL
from tests.fakes.slack_workspace import FORM, Workspace
from tests.payloads import payload

TRADE = "how much is the trade worth?"


def button(action_id: Any, value: Any) -> dict[str, Any]:
    return {"type": "button", "action_id": action_id, "block_id": "b1", "value": value}


def share(**value: Any) -> list[Any]:
    return [button("summit_share", json.dumps({"q": TRADE, "f": "trade_volume", **value}))]


def ask(action_id: str = "summit_ask_1", **value: Any) -> list[Any]:
    return [button(action_id, json.dumps(value))]


ODD_ACTIONS: dict[str, Any] = {
    "share: fact an object": share(f={"id": "trade_volume"}),
    "share: question an object": share(q={"text": TRADE}),
    "share: question a number": share(q=5),
    "share: p = 1e308": share(p=1e308),
    "share: p = NaN": [button("summit_share", '{"q": "x", "f": "trade_volume", "p": NaN}')],
    "share: p = -1": share(p=-1),
    "share: p a string": share(p="0.9"),
    "share: question of 1 MB": share(q="x" * 1_000_000),
    "share: no question": [button("summit_share", json.dumps({"f": "trade_volume"}))],
    "ask: fact an object": ask(f={"a": 1}),
    "ask: fact a list": ask("summit_ask_source", f=["trade_volume"], q="source"),
    "ask: fact missing": ask(q="source"),
    "ask: fact not an id": ask(f="Trade Volume!"),
    "ask: fact of 10,000 characters": ask(f="a" * 10_000),
    "ask: a command it never put there": ask("summit_ask_more", f="trade_volume", q="reload"),
    "vote: fact an object": ask("summit_vote_up", f={"a": 1}),
    "vote: fact missing": ask("summit_vote_down"),
    "value an object": [button("summit_ask_1", {"f": "trade_volume"})],
    "value not JSON": [button("summit_ask_1", "{f: trade_volume")],
    "value a JSON list": [button("summit_ask_1", "[1]")],
    "value nested 1,000 deep": [button("summit_ask_1", "[" * 1000 + "]" * 1000)],
    "value missing": [{"type": "button", "action_id": "summit_ask_1"}],
    "unknown action id": ask("summit_delete_everything", f="trade_volume"),
    "action id an object": [button({"id": "summit_share"}, "{}")],
    "action id huge": ask("summit_ask_" + "1" * 10_000, f="trade_volume"),
    "no actions": [],
    "two actions": ask(f="trade_volume") + ask(f="trade_volume"),
    "an action that is a string": ["summit_share"],
}
ODD_ENVELOPES: dict[str, dict[str, Any]] = {
    "user a string": {"user": "alice"},
    "user missing": {"user": None},
    "container a list": {"container": [1]},
    "channel a string": {"channel": "C0GENERAL"},
    "message a list": {"message": [1]},
    "actions missing": {"actions": None},
}


async def click(slack: Workspace, buttons: Any, **envelope: Any) -> tuple[int, list[Any]]:
    """Post one signed click; (HTTP status, what reached Slack) once the app has settled."""
    body = payload("slack/block_actions")
    body |= {"actions": buttons, "response_url": slack.fake.response_url("odd")}
    body |= envelope
    body = {k: v for k, v in body.items() if v is not None}
    before = len(slack.fake.calls())
    reply = await slack.post(urlencode({"payload": json.dumps(body)}), FORM)
    await slack.settle()
    if reply.status == 200:
        await slack.fake.next_calls(RESPONSE_URL, after=0)  # the polite reply (bounded wait)
    return reply.status, slack.fake.calls()[before:]


def assert_one_calm_line(caplog: pytest.LogCaptureFixture) -> None:
    records = [r for r in caplog.records if r.name != "aiohttp.access"]
    [line] = records
    assert line.levelno == logging.WARNING and line.exc_info is None
    assert line.getMessage().startswith("odd button click refused (")
    assert len(line.getMessage()) < 120


@pytest.mark.parametrize("name", list(ODD_ACTIONS))
async def test_an_odd_button_value_gets_a_polite_private_reply(
    slack: Workspace, feedback: MemoryFeedback, caplog: pytest.LogCaptureFixture, name: str
) -> None:
    caplog.set_level(logging.INFO)

    status, sent = await click(slack, ODD_ACTIONS[name])

    assert status == 200
    [reply] = sent
    assert reply.method == RESPONSE_URL and reply["text"] == messages.ODD_BUTTON
    assert reply["response_type"] == "ephemeral" and reply["replace_original"] is False
    assert_one_calm_line(caplog)
    assert feedback.items == []


@pytest.mark.parametrize("name", list(ODD_ENVELOPES))
async def test_an_odd_click_envelope_gets_a_polite_private_reply(
    slack: Workspace, caplog: pytest.LogCaptureFixture, name: str
) -> None:
    caplog.set_level(logging.INFO)

    status, sent = await click(slack, ask(f="trade_volume"), **ODD_ENVELOPES[name])

    assert status == 200
    assert [(c.method, c["text"]) for c in sent] == [(RESPONSE_URL, messages.ODD_BUTTON)]
    assert_one_calm_line(caplog)


async def test_without_a_usable_response_url_it_is_only_logged(
    slack: Workspace, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    body = payload("slack/block_actions") | {"actions": share(p=1e308), "response_url": {"x": 1}}

    reply = await slack.post(urlencode({"payload": json.dumps(body)}), FORM)
    await slack.settle()

    assert reply.status == 200 and slack.fake.calls() == []
    assert_one_calm_line(caplog)
