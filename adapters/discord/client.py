"""The discord.py client: gateway events and slash commands in, engine answers out.

    client = build_client(bot, settings)        # a SummitClient, sharded if the settings ask
    await client.start(settings.token)          # or client.run(...), see adapters.discord.run

Every message it sends has allowed mentions of none, so no question can make it ping anyone.
The engine answers in milliseconds, in the bot's worker thread (`Bot.ask_async`: the gateway's
heartbeat goes on meanwhile), so an interaction is most often answered directly, inside
Discord's 3-second window. When questions queue up before it (a burst; the large model), an
answer not ready within `DEFER_AFTER` seconds is deferred first ("thinking…") and follows.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from typing import Any

import discord
from discord import app_commands

from adapters import messages
from adapters.discord import hygiene, render
from adapters.discord.clicks import check_clicks
from adapters.discord.commands import slash_commands
from adapters.discord.settings import DiscordSettings
from bot.feedback import Feedback, FeedbackSink, MemoryFeedback, Vote
from bot.types import Answer, Question
from operations.live import Bot
from operations.ratelimit import TokenBucket, refusal
from operations.reload import Admin

log = logging.getLogger(__name__)

PLATFORM = "discord"
NO_MENTIONS = discord.AllowedMentions.none()
_BUTTON_QUESTIONS = {"ask": "", "source": "source", "more": "more"}
DEFER_AFTER = 2.0  # seconds: Discord drops an interaction not responded to within 3


def build_client(
    bot: Bot,
    settings: DiscordSettings,
    *,
    feedback: FeedbackSink | None = None,
    limiter: TokenBucket | None = None,
    admin: Admin | None = None,
) -> SummitClient:
    """The client with its slash commands; `client.tree` holds them, `client.feedback` the votes.

    `limiter` says how fast one person may ask (operations/ratelimit.py; a RedisTokenBucket
    shares it across shards; without one, no limit).
    """
    if settings.api_base_url:
        # discord.py builds every REST URL, interaction callbacks included, from this attribute.
        discord.http.Route.BASE = settings.api_base_url
    kind = ShardedSummitClient if settings.sharded else SummitClient
    return kind(bot, settings, feedback=feedback, limiter=limiter, admin=admin)


def intents(settings: DiscordSettings) -> discord.Intents:
    """Only what the features need: no privileged intent unless the prefix command is on."""
    wanted = discord.Intents.none()
    wanted.guilds = True  # servers, channels and threads (GUILD_CREATE)
    wanted.guild_messages = True  # mentions: Discord sends their content without the intent
    wanted.dm_messages = True  # direct messages, content included
    wanted.message_content = settings.prefix is not None  # privileged: `!ask` in any message
    return wanted


class SummitClient(discord.Client):
    """summit-bot on Discord: /ask, /topics, /help, mentions, DMs and answer buttons."""

    def __init__(
        self,
        bot: Bot,
        settings: DiscordSettings,
        *,
        feedback: FeedbackSink | None = None,
        limiter: TokenBucket | None = None,
        admin: Admin | None = None,
    ) -> None:
        shards: dict[str, Any] = {}
        if settings.sharded:
            ids = list(settings.shard_ids) if settings.shard_ids is not None else None
            shards = {"shard_count": settings.shard_count, "shard_ids": ids}
        super().__init__(
            intents=intents(settings),
            allowed_mentions=NO_MENTIONS,
            max_messages=None,  # no message cache: the bot never looks back at old messages
            chunk_guilds_at_startup=False,
            **shards,
        )
        self.bot = bot
        self.settings = settings
        self.feedback: FeedbackSink = feedback if feedback is not None else MemoryFeedback()
        self.limiter = limiter if limiter is not None else TokenBucket(seconds=0)  # no limit
        self.admin = admin if admin is not None else Admin(None, ())  # /reload only if admins
        self.tree: app_commands.CommandTree[SummitClient] = app_commands.CommandTree(self)
        for command in slash_commands(self):
            self.tree.add_command(command)
        self.tree.error(self._on_command_error)
        check_clicks(self)  # a click on anything but the bot's own buttons: on_odd_click

    async def setup_hook(self) -> None:
        self.add_dynamic_items(render.AnswerButton)
        guild = discord.Object(self.settings.guild_id) if self.settings.guild_id else None
        if guild is not None:
            self.tree.copy_global_to(guild=guild)
        synced = await self.tree.sync(guild=guild)
        where = f"to server {guild.id}" if guild is not None else "globally"
        log.info("synced %d slash commands %s", len(synced), where)

    # -- messages: mentions in servers, every direct message, the optional prefix command -------

    async def on_message(self, message: discord.Message) -> None:
        try:
            await self._on_message(message)
        except Exception:
            log.exception(
                "answering message %s failed (channel %s, user %s)",
                message.id, message.channel.id, message.author.id,
            )
            await self._apologise(message)

    async def _on_message(self, message: discord.Message) -> None:
        me = self.user
        author = message.author
        if me is None or hygiene.should_ignore(
            author_id=author.id, author_is_bot=author.bot, bot_id=me.id
        ):
            return
        text = self._question_in(message, me.id)
        if text is None:
            return
        wait = self.limiter.take(_key(author.id))
        if wait > 0:
            if self.limiter.warn(_key(author.id), wait):  # once per wait, then it vanishes
                await self._send(message, **render.notice(refusal(wait)), delete_after=wait)
            return
        answer = await self._answer(text, message.channel.id, author.id)
        await self._send(message, **render.reply(answer))

    def _question_in(self, message: discord.Message, bot_id: int) -> str | None:
        """The question a message asks the bot, or None when it is not for the bot."""
        names = {user.id: user.display_name for user in message.mentions}
        command = hygiene.prefixed(message.content, self.settings.prefix)
        if command is not None:
            return hygiene.question_text(command, bot_id=bot_id, names=names)
        mentioned = [user.id for user in message.mentions]
        if message.guild is not None and not hygiene.addressed(
            message.content, bot_id=bot_id, mentioned_ids=mentioned
        ):
            return None
        return hygiene.question_text(message.content, bot_id=bot_id, names=names)

    async def _send(self, message: discord.Message, **payload: Any) -> None:
        """Reply to a server message, so it is clear what is answered; simply send in a DM."""
        if message.guild is None:
            await message.channel.send(allowed_mentions=NO_MENTIONS, **payload)
        else:
            await message.reply(mention_author=False, allowed_mentions=NO_MENTIONS, **payload)

    # -- interactions: slash commands and buttons ------------------------------------------------

    async def answer_interaction(
        self,
        interaction: discord.Interaction[Any],
        text: str,
        *,
        fact_id: str | None = None,
        ephemeral: bool,
        limited: bool = True,
    ) -> None:
        """Answer `text` (or the fact `fact_id`) to an interaction; refuse politely when the
        person asks faster than the rate limit allows."""
        wait = self.limiter.take(_key(interaction.user.id)) if limited else 0.0
        if wait > 0:
            await _respond(interaction, **render.notice(refusal(wait)), ephemeral=True)
            return
        asking = self._answer(text, interaction.channel_id, interaction.user.id, fact_id)
        answer = await _in_time(interaction, asking, ephemeral=ephemeral)
        await _respond(interaction, **render.reply(answer), ephemeral=ephemeral)

    async def reload_interaction(self, interaction: discord.Interaction[Any]) -> None:
        """/reload: an admin gets the reload's summary or error; anyone else a polite no."""
        user = str(interaction.user.id)
        if self.admin.allowed(user):  # replaying logged questions may take longer than 3 s
            await interaction.response.defer(ephemeral=True, thinking=True)
        text = await self.admin.reload(user)
        await _respond(interaction, **render.notice(text), ephemeral=True)

    async def on_answer_button(
        self, interaction: discord.Interaction[Any], action: str, fact_id: str
    ) -> None:
        """A click on a did-you-mean, Source, More, 👍 or 👎 button (see render.AnswerButton)."""
        await self.guarded(interaction, self._button(interaction, action, fact_id))

    async def _button(
        self, interaction: discord.Interaction[Any], action: str, fact_id: str
    ) -> None:
        user = interaction.user.id
        if action in (Vote.UP, Vote.DOWN):
            key = hygiene.conversation_key(interaction.channel_id, user)
            self.feedback.record(Feedback(PLATFORM, key, str(user), fact_id, Vote(action)))
            await _respond(interaction, **render.notice(messages.FEEDBACK_THANKS), ephemeral=True)
            return
        # Anyone can click a public answer's buttons: answer the clicker alone, keep channels calm.
        text = _BUTTON_QUESTIONS[action]
        await self.answer_interaction(interaction, text, fact_id=fact_id, ephemeral=True)

    async def on_odd_click(self, payload: Any, reason: str) -> None:
        """A click of a shape the bot never made (see clicks.py): a polite private no."""
        log.warning("odd button click refused (%s)", reason, extra={"platform": PLATFORM})
        try:
            interaction = discord.Interaction(data=payload, state=self._connection)
        except (KeyError, TypeError, ValueError):
            return  # not even an interaction that can be answered
        try:
            await _respond(interaction, **render.notice(messages.ODD_BUTTON), ephemeral=True)
        except discord.HTTPException:
            log.warning("could not answer the odd click either")

    async def guarded(self, interaction: discord.Interaction[Any], work: Awaitable[None]) -> None:
        """Run one interaction's work; on any error log it with context and apologise."""
        try:
            await work
        except Exception:
            log.exception(
                "interaction %s failed (%s, channel %s, user %s)",
                interaction.id, _what(interaction), interaction.channel_id, interaction.user.id,
            )
            await self._apologise(interaction)

    async def _on_command_error(
        self, interaction: discord.Interaction[Any], error: app_commands.AppCommandError
    ) -> None:
        log.error(
            "slash command failed (%s, channel %s, user %s)",
            _what(interaction), interaction.channel_id, interaction.user.id, exc_info=error,
        )
        await self._apologise(interaction)

    async def _apologise(self, target: discord.Message | discord.Interaction[Any]) -> None:
        sorry = render.notice(messages.ERROR)
        try:
            if isinstance(target, discord.Message):
                await self._send(target, **sorry)
            else:
                await _respond(target, **sorry, ephemeral=True)
        except discord.HTTPException:
            log.warning("could not send the apology either", exc_info=True)

    async def _answer(
        self, text: str, channel_id: int | None, user_id: int, fact_id: str | None = None
    ) -> Answer:
        key = hygiene.conversation_key(channel_id, user_id)
        question = Question(text, PLATFORM, key, str(user_id), fact_id)
        return await self.bot.ask_async(question)


class ShardedSummitClient(SummitClient, discord.AutoShardedClient):
    """The same bot over several gateway connections (shards), for big deployments."""


async def _in_time(
    interaction: discord.Interaction[Any], asking: Awaitable[Answer], *, ephemeral: bool
) -> Answer:
    """The answer; deferred first ("thinking…") when it is not ready within DEFER_AFTER, so the
    interaction outlives a queue of questions before it (the answer then comes as a follow-up)."""
    task = asyncio.ensure_future(asking)
    done, _ = await asyncio.wait({task}, timeout=DEFER_AFTER)
    if not done:
        await interaction.response.defer(ephemeral=ephemeral, thinking=True)
    return await task


async def _respond(
    interaction: discord.Interaction[Any], *, ephemeral: bool, **payload: Any
) -> None:
    """The interaction's response, or a follow-up if it was already answered (after an error)."""
    options = {"ephemeral": ephemeral, "allowed_mentions": NO_MENTIONS, **payload}
    if interaction.response.is_done():
        await interaction.followup.send(**options)
    else:
        await interaction.response.send_message(**options)


def _what(interaction: discord.Interaction[Any]) -> str:
    """What was used, for the log: "/ask" or "button summit:source:trade_volume"."""
    data: dict[str, Any] = dict(interaction.data or {})
    return f"/{data['name']}" if "name" in data else f"button {data.get('custom_id', '?')}"


def _key(user_id: int) -> str:
    """A person's rate-limit bucket: one per platform user, whatever they use to ask."""
    return f"{PLATFORM}:{user_id}"
