"""The console adapter: a chat in the terminal, calling the engine in-process.

It is also the reference adapter that parity tests compare Slack and Discord against:
`ConsoleChat(bot).say("who skipped the forum?")` returns what a console user would read.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import TextIO

from adapters import messages
from bot import Answer, Question
from operations.live import Bot
from operations.terminal import printable

log = logging.getLogger("summit_bot.console")

PROMPT = "you> "
QUIT = frozenset({"quit", "exit", ":q", "/quit", "/exit"})


class ConsoleChat:
    """One console conversation: text in, the answer text out."""

    def __init__(self, bot: Bot, *, conversation: str | None = None) -> None:
        self.bot = bot
        self.conversation = conversation or f"console:{os.getpid()}"

    def ask(self, text: str) -> Answer:
        return self.bot.ask(
            Question(text, platform="console", conversation=self.conversation, user="console")
        )

    def say(self, text: str) -> str:
        return self.ask(text).text


def is_interactive(stdin: TextIO, stdout: TextIO) -> bool:
    """A person at a terminal (not a pipe or a file): the console greets and edits lines."""
    return stdin.isatty() and stdout.isatty()


def run(bot: Bot, *, stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    """Read questions line by line until end of input or "quit"; print each answer."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    interactive = is_interactive(stdin, stdout)
    if interactive:
        _enable_line_editing()
        event = printable(bot.knowledge.event.name)
        stdout.write(f"{event}: ask me anything (\"help\", \"quit\").\n")
    chat = ConsoleChat(bot)
    while True:
        try:
            line = input(PROMPT) if interactive else stdin.readline()
        except EOFError:
            break
        if not interactive and not line:
            break
        if line.strip().casefold() in QUIT:
            break
        if not line.strip():
            continue
        stdout.write(printable(_reply(chat, line.rstrip("\n"))) + "\n")
        stdout.flush()
    return 0


def _reply(chat: ConsoleChat, text: str) -> str:
    try:
        return chat.say(text)
    except Exception:  # the engine promises never to raise; if it does, say sorry and go on
        log.exception("engine failed (conversation %s)", chat.conversation)
        return messages.ERROR


def _enable_line_editing() -> None:
    """Arrow keys and history for input(), where the platform has readline."""
    try:
        import readline  # noqa: F401  (importing it is what turns it on)
    except ImportError:  # Windows without pyreadline: plain input still works
        return
