"""The one parity table: the same questions, in order, through every adapter.

tests/fixtures/parity.json is one conversation: follow-ups ("source", "more", "2") refer to
what came before. tests/slack/test_slack_parity.py and tests/discord/test_discord_parity.py
ask it through the real SDK objects and compare each answer with the console's.
"""

from __future__ import annotations

import json
from pathlib import Path

from adapters.console import ConsoleChat

QUESTIONS: list[str] = json.loads(
    (Path(__file__).parent / "fixtures" / "parity.json").read_text(encoding="utf-8")
)


def console_answers(chat: ConsoleChat) -> list[str]:
    """What a console user reads for each question of the table, asked in order."""
    return [chat.say(question) for question in QUESTIONS]
