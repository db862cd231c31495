"""Parity: the table of tests/parity.py, asked in order, gets the console's answers on Discord.

The same conversation runs in a DM, as mentions in a channel and as /ask commands, so the
follow-ups in the table ("source?", "more", "2") must refer to the same answers as well.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from adapters.console import ConsoleChat
from adapters.discord import SummitClient
from tests.fakes.discord_fake import DiscordFake, Sent
from tests.parity import QUESTIONS, console_answers


def asker(fake: DiscordFake, channel: str) -> Callable[[str], Awaitable[Sent]]:
    if channel == "dm":
        return fake.dm
    if channel == "mention":
        return fake.mention
    return lambda question: fake.slash("ask", question=question)


@pytest.mark.parametrize("channel", ["dm", "mention", "slash"])
async def test_discord_answers_what_the_console_answers(
    bot: SummitClient, discord_fake: DiscordFake, console: ConsoleChat, channel: str
) -> None:
    ask = asker(discord_fake, channel)
    for question, expected in zip(QUESTIONS, console_answers(console), strict=True):
        sent = await ask(question)
        assert sent.text, question
        assert sent.text == expected, question
