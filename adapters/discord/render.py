"""An engine `Answer` as Discord shows it: an embed, buttons and autocomplete choices, in limits.

    await message.reply(**render.reply(answer))     # embed (+ view when it has buttons)
    await interaction.response.send_message(**render.notice(messages.ERROR), ephemeral=True)

Buttons are `AnswerButton`s: their custom id (`summit:<action>:<fact id>`) carries everything a
click needs, so they keep working after a restart and no view is kept in memory per message.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from re import Match
from typing import Any, Protocol, Self, cast

import discord
from discord import app_commands

from adapters import messages
from adapters.discord.hygiene import clip
from bot.types import Answer, Outcome, Suggestion

# Discord's limits (2025): message content, embed description and footer, autocomplete choices
# (count and characters), button label, component custom id, buttons per message.
CONTENT_LIMIT = 2000
DESCRIPTION_LIMIT = 4096
FOOTER_LIMIT = 2048
CHOICES_LIMIT = 25
CHOICE_LIMIT = 100
LABEL_LIMIT = 80
CUSTOM_ID_LIMIT = 100
SUGGESTIONS_LIMIT = 5

ACTIONS = ("ask", "source", "more", "up", "down")
_COLOURS = {Outcome.ANSWERED: discord.Colour.blurple(), Outcome.SUGGESTED: discord.Colour.gold()}


class ButtonHandler(Protocol):
    """What the client offers buttons: one entry point for every click."""

    async def on_answer_button(
        self, interaction: discord.Interaction[Any], action: str, fact_id: str
    ) -> None: ...


BUTTON_ID = r"summit:(?P<action>ask|source|more|up|down):(?P<fact_id>[a-z0-9][a-z0-9_\-]*)"


class AnswerButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=BUTTON_ID):
    """A did-you-mean, Source, More, 👍 or 👎 button about one fact."""

    def __init__(
        self,
        action: str,
        fact_id: str,
        *,
        label: str | None = None,
        emoji: str | None = None,
        style: discord.ButtonStyle = discord.ButtonStyle.secondary,
    ) -> None:
        custom_id = f"summit:{action}:{fact_id}"
        super().__init__(
            discord.ui.Button(label=label, emoji=emoji, style=style, custom_id=custom_id)
        )
        self.action = action
        self.fact_id = fact_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: Match[str], /
    ) -> Self:
        return cls(match["action"], match["fact_id"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        handler = cast(ButtonHandler, interaction.client)
        await handler.on_answer_button(interaction, self.action, self.fact_id)


def reply(answer: Answer) -> dict[str, Any]:
    """Keyword arguments for `send`/`reply`/`send_message`: the embed, and a view if any buttons."""
    payload: dict[str, Any] = {"embed": embed(answer)}
    buttons = view(answer)
    if buttons is not None:
        payload["view"] = buttons
    return payload


def notice(text: str) -> dict[str, Any]:
    """Keyword arguments for a short plain message (an apology, a rate limit, a thank-you)."""
    return {"content": clip(text, CONTENT_LIMIT)}


def embed(answer: Answer) -> discord.Embed:
    """The answer text as the description; for a matched fact, source and confidence below."""
    colour = _COLOURS.get(answer.outcome, discord.Colour.light_grey())
    card = discord.Embed(description=clip(answer.text, DESCRIPTION_LIMIT), colour=colour)
    if answer.answered and answer.source is not None:
        footer = messages.source_line(answer.source.paragraph, answer.confidence)
        card.set_footer(text=clip(footer, FOOTER_LIMIT))
    return card


def view(answer: Answer) -> discord.ui.View | None:
    """Did-you-mean buttons for a suggestion; Source, More, 👍, 👎 for an answer; else None."""
    buttons = [b for b in _buttons(answer) if len(b.custom_id) <= CUSTOM_ID_LIMIT]
    if not buttons:
        return None
    # No timeout: the buttons are dynamic items, so the view needs no memory after sending.
    card = discord.ui.View(timeout=None)
    for button in buttons:
        card.add_item(button)
    return card


def choices(suggestions: Iterable[Suggestion]) -> list[app_commands.Choice[str]]:
    """Autocomplete choices: at most 25 distinct questions of at most 100 characters each."""
    questions = dict.fromkeys(clip(s.question, CHOICE_LIMIT) for s in suggestions if s.question)
    return [app_commands.Choice(name=q, value=q) for q in list(questions)[:CHOICES_LIMIT]]


def _buttons(answer: Answer) -> Iterator[AnswerButton]:
    if answer.outcome is Outcome.SUGGESTED:
        for s in answer.suggestions[:SUGGESTIONS_LIMIT]:
            label = clip(s.question, LABEL_LIMIT)
            yield AnswerButton("ask", s.fact_id, label=label, style=discord.ButtonStyle.primary)
    if answer.answered and answer.fact_id:
        yield AnswerButton("source", answer.fact_id, label=messages.SOURCE_BUTTON)
        if answer.has_more:
            yield AnswerButton("more", answer.fact_id, label=messages.MORE_BUTTON)
        yield AnswerButton("up", answer.fact_id, emoji=messages.VOTE_UP)
        yield AnswerButton("down", answer.fact_id, emoji=messages.VOTE_DOWN)
