"""Parity: the table of tests/parity.py through Slack gives the console's answers."""

from __future__ import annotations

import pytest

import knowledge.loader
from adapters.console import ConsoleChat
from adapters.slack.hygiene import unescape
from bot import Engine, KnowledgeBase
from knowledge.loader import load_knowledge, load_language
from operations.live import Bot
from tests.fakes.slack_workspace import OpenWorkspace
from tests.parity import QUESTIONS, console_answers


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge(knowledge.loader.DEFAULT)


async def test_slack_answers_like_the_console(
    open_workspace: OpenWorkspace, kb: KnowledgeBase
) -> None:
    console = ConsoleChat(Bot(Engine(kb, load_language())))
    expected = console_answers(console)

    got = []
    async with open_workspace(Engine(kb, load_language())) as slack:
        first = await slack.mention(QUESTIONS[0])
        got.append(first)
        for question in QUESTIONS[1:]:
            got.append(await slack.mention(question, thread_ts=first.thread_ts))

    assert all(expected), "every question gets a non-empty answer"
    for question, want, sent in zip(QUESTIONS, expected, got, strict=True):
        assert unescape(" ".join(sent.sections.split())) == " ".join(want.split()), question
        if len(want) < 2900:
            assert unescape(sent.text) == want, question
