"""Clicks of shapes the bot never made: a polite private reply and one log line, and the bot
stays connected (a click without a custom id used to take the whole gateway connection down)."""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

import pytest

from adapters import messages
from adapters.discord.clicks import odd_click
from tests.discord.doubles import Connect
from tests.fakes.discord_fake import DiscordFake, Sent

TRADE = "how much is the trade worth?"
ODD: dict[str, Any] = {
    "a custom id it never made": {"custom_id": "frobnicate", "component_type": 2},
    "an action it never made": {"custom_id": "summit:delete:trade_volume", "component_type": 2},
    "a fact id of another shape": {"custom_id": "summit:source:Trade Volume!", "component_type": 2},
    "a custom id of 10,000 characters": {"custom_id": "summit:ask:" + "a" * 10_000,
                                         "component_type": 2},
    "a custom id that is an object": {"custom_id": {"id": "summit:ask:x"}, "component_type": 2},
    "no custom id": {"component_type": 2},
    "a component type that is a string": {"custom_id": "summit:ask:trade_volume",
                                          "component_type": "2"},
    "a select menu": {"custom_id": "summit:ask:trade_volume", "component_type": 3,
                      "values": [{"x": 1}]},
    "no data at all": None,
}


def carrying(sent: Sent, data: Any) -> Sent:
    """The bot's message, with the clicked component on it (as Discord only sends clicks on
    components that are there)."""
    custom_id = data.get("custom_id") if isinstance(data, dict) else None
    if not isinstance(custom_id, str):
        return sent
    button = {"type": 2, "style": 2, "label": "?", "custom_id": custom_id}
    message = {**sent.message, "components": [{"type": 1, "components": [button]}]}
    return dataclasses.replace(sent, message=message)


@pytest.mark.parametrize("name", list(ODD))
async def test_an_odd_click_gets_a_polite_private_reply(
    connect: Connect, discord_fake: DiscordFake, caplog: pytest.LogCaptureFixture, name: str
) -> None:
    async with connect():
        answer = await discord_fake.slash("ask", question=TRADE)
        caplog.clear()
        caplog.set_level(logging.INFO)
        reply = await discord_fake.component(ODD[name], on=carrying(answer, ODD[name]))
        after = await discord_fake.mention(TRADE)  # still connected, still answering

    assert reply.content == messages.ODD_BUTTON and reply.ephemeral and not reply.embeds
    odd = [r for r in caplog.records if r.levelno >= logging.WARNING]
    [line] = odd
    assert line.getMessage().startswith("odd button click refused (") and not line.exc_info
    assert len(line.getMessage()) < 120
    assert after.embeds


def test_the_bots_own_buttons_and_other_interactions_are_not_odd() -> None:
    for custom_id in ("summit:ask:trade_volume", "summit:up:forum_skipped", "summit:more:x-1"):
        assert odd_click({"type": 3, "data": {"custom_id": custom_id, "component_type": 2}}) is None
    assert odd_click({"type": 2, "data": {"name": "ask"}}) is None  # a slash command
    assert odd_click({"type": 3, "data": "x"}) == "data: model_type"


@pytest.mark.parametrize(
    "payload",
    [
        {"type": 2, "data": {"name": "ask"}},  # a slash command without id, token, user...
        {"type": 3, "id": "?", "data": {"custom_id": "summit:ask:x", "component_type": 2}},
    ],
)
async def test_an_interaction_discord_py_cannot_read_is_dropped_with_one_line(
    connect: Connect, discord_fake: DiscordFake, caplog: pytest.LogCaptureFixture, payload: Any
) -> None:
    async with connect():
        caplog.set_level(logging.INFO)
        await discord_fake.dispatch("INTERACTION_CREATE", payload)
        after = await discord_fake.mention(TRADE)  # still connected, still answering

    [line] = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert line.getMessage().startswith("odd interaction dropped (") and not line.exc_info
    assert after.embeds
