"""Parity: one table of questions, asked in order, gets the console's answers on Discord.

The same conversation runs in a DM, as mentions in a channel and as /ask commands, so the
follow-ups in the table ("source?", "more", "2") must refer to the same answers as well.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from adapters.console import ConsoleChat
from adapters.discord import SummitClient
from tests.fakes.discord_fake import DiscordFake, Sent

QUESTIONS = [
    "hello",
    "how much is the trade worth?",
    "source?",
    "more",
    "who skipped the forum?",
    "Did Xi bring pandas to Russia?",
    "what is Huawei doing in Russia?",
    "money",
    "2",
    "what is the weather on Mars?",
    "топики",
    "普京和习近平在哪里见面？",
    "topics",
    "help",
    "thanks",
]


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
    for question in QUESTIONS:
        sent = await ask(question)
        assert sent.text, question
        assert sent.text == console.say(question), question
