"""The slash commands: /ask with autocomplete, /topics and /help; the client does the answering.

Discord checks the option limits itself (a question of 1 to 2,000 characters); autocomplete
offers at most 25 questions from the fact base, matched fuzzily so typos still find them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from adapters import messages
from adapters.discord import hygiene, render

if TYPE_CHECKING:
    from adapters.discord.client import SummitClient


def slash_commands(client: SummitClient) -> list[app_commands.Command[Any, ..., None]]:
    """/ask (its question autocompleted from the fact base), /topics, /help; /reload for admins."""

    @app_commands.command(name="ask", description=messages.DISCORD_ASK)
    @app_commands.describe(
        question=messages.DISCORD_ASK_QUESTION, private=messages.DISCORD_ASK_PRIVATE
    )
    async def ask(
        interaction: discord.Interaction,
        question: app_commands.Range[str, 1, hygiene.QUESTION_LIMIT],
        private: bool = False,
    ) -> None:
        bot_id = client.user.id if client.user else 0
        text = hygiene.question_text(question, bot_id=bot_id, names={})
        work = client.answer_interaction(interaction, text, ephemeral=private)
        await client.guarded(interaction, work)

    @ask.autocomplete("question")
    async def complete(
        interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return render.choices(client.bot.complete(current, limit=render.CHOICES_LIMIT))

    @app_commands.command(name="topics", description=messages.DISCORD_TOPICS)
    async def topics(interaction: discord.Interaction) -> None:
        work = client.answer_interaction(interaction, "topics", ephemeral=True, limited=False)
        await client.guarded(interaction, work)

    @app_commands.command(name="help", description=messages.DISCORD_HELP)
    async def help_(interaction: discord.Interaction) -> None:
        work = client.answer_interaction(interaction, "help", ephemeral=True, limited=False)
        await client.guarded(interaction, work)

    commands: list[app_commands.Command[Any, ..., None]] = [ask, topics, help_]
    if client.admin.enabled:  # only where ADMIN_USER_IDS names someone

        @app_commands.command(name="reload", description=messages.DISCORD_RELOAD)
        async def reload(interaction: discord.Interaction) -> None:
            await client.guarded(interaction, client.reload_interaction(interaction))

        commands.append(reload)
    return commands
