"""The Bolt app: Slack events in, questions to the engine, answers out as Slack messages.

    app = build_app(bot, settings)      # an AsyncApp; serve it over HTTP or Socket Mode

Where the bot answers:
- a mention in a channel: in a thread under that message (or in the thread it was asked in);
- every message in its DM, and messages ending in "?" in SLACK_AUTO_CHANNELS;
- `/summit <question>`: privately (ephemeral), with a "Share in channel" button.
Each Slack thread (a DM, one person's /summit in a channel) is one engine conversation, so
"source" and "more" follow on from the last answer there.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace
from typing import Any, cast

from slack_bolt.async_app import AsyncApp
from slack_bolt.kwargs_injection.async_args import AsyncArgs
from slack_sdk.web.async_client import AsyncWebClient

from adapters import messages
from adapters.slack import render as r
from adapters.slack import send
from adapters.slack.actions import ASK_ACTION, AskValue, Click, ShareValue, VoteValue
from adapters.slack.gate import Gate
from adapters.slack.hygiene import is_question, mentions, question_text
from adapters.slack.settings import SlackSettings
from bot import (
    Answer,
    Feedback,
    FeedbackSink,
    MemoryFeedback,
    Outcome,
    Question,
    Vote,
)
from operations.live import Bot
from operations.memory import MemorySeen, Seen
from operations.ratelimit import TokenBucket, refusal
from operations.reload import Admin, is_reload

log = logging.getLogger("summit_bot.slack")

PLATFORM = "slack"
COMMAND = "/summit"
EVENTS_PATH = "/slack/events"  # events, commands and interactions alike (Bolt's default)


def build_app(
    bot: Bot,
    settings: SlackSettings,
    *,
    client: AsyncWebClient | None = None,
    feedback: FeedbackSink | None = None,
    seen: Seen | None = None,
    admin: Admin | None = None,
    limiter: TokenBucket | None = None,
) -> AsyncApp:
    """The Slack app for a bot (operations/live.py). Nothing connects until it is served.

    `seen` remembers handled events (shared in Redis across replicas); `admin` says who may
    `/summit reload`
    (operations/reload.py; without it everyone is politely refused); `limiter` how fast one
    person may ask (operations/ratelimit.py; without it, no limit).
    """
    app = AsyncApp(
        client=client or send.web_client(settings),
        signing_secret=settings.signing_secret,
        name="summit-bot",
    )
    listeners = _Listeners(
        bot,
        settings,
        feedback if feedback is not None else MemoryFeedback(),
        admin if admin is not None else Admin(None, ()),
        limiter if limiter is not None else TokenBucket(seconds=0),
    )
    app.use(Gate(seen if seen is not None else MemorySeen()))
    app.event("app_mention")(listeners.on_mention)
    app.event("message")(listeners.on_message)
    app.command(COMMAND)(listeners.on_command)
    app.action(ASK_ACTION)(listeners.on_ask)
    app.action(re.compile(rf"^({r.VOTE_UP}|{r.VOTE_DOWN})$"))(listeners.on_vote)
    app.action(r.SHARE)(listeners.on_share)
    return app


@dataclass(frozen=True, slots=True)
class _Place:
    """Where a button was clicked: the answer goes back there, in the same conversation."""

    channel: str
    thread: str | None
    conversation: str
    user: str
    ephemeral: bool


class _Listeners:
    def __init__(
        self,
        bot: Bot,
        settings: SlackSettings,
        feedback: FeedbackSink,
        admin: Admin,
        limiter: TokenBucket,
    ) -> None:
        self._bot = bot
        self._settings = settings
        self._feedback = feedback
        self._admin = admin
        self._limiter = limiter

    async def on_mention(self, args: AsyncArgs) -> None:
        event = args.event or {}
        if str(event.get("channel", "")).startswith("D"):
            return  # in the DM every message is answered by on_message
        await self._answer_event(args, event, thread=event.get("thread_ts") or event.get("ts"))

    async def on_message(self, args: AsyncArgs) -> None:
        event = args.event or {}
        text = str(event.get("text") or "")
        if event.get("channel_type") == "im":
            await self._answer_event(args, event, thread=event.get("thread_ts"))
        elif (
            event.get("channel") in self._settings.auto_channels
            and is_question(text)
            and not mentions(text, args.context.bot_user_id)  # on_mention answers those
        ):
            thread = event.get("thread_ts") or event.get("ts")
            await self._answer_event(args, event, thread=thread)

    async def on_command(self, args: AsyncArgs) -> None:
        await args.ack()  # within 3 s; the answer follows through response_url
        command = args.command or {}
        channel, user = str(command.get("channel_id", "")), str(command.get("user_id", ""))
        text = question_text(str(command.get("text") or ""), args.context.bot_user_id) or "help"
        if is_reload(text):  # `/summit reload`: admins only; the reply is theirs alone
            reply = r.notice(await self._admin.reload(user))
            await send.respond(args, reply, response_type="ephemeral")
            return
        if wait := self._limiter.take(_key(user)):
            await send.respond(args, r.notice(refusal(wait)), response_type="ephemeral")
            return
        conversation = _conversation(args.context.team_id, channel, user)
        answer = await self._ask(Question(text, PLATFORM, conversation, user=user))
        message = r.render(answer, question=text, shareable=True)
        await send.respond(args, message, response_type="ephemeral")

    async def on_ask(self, args: AsyncArgs) -> None:
        """A "did you mean" suggestion, "Source" or "More": answer it where it was clicked."""
        await args.ack()
        click, place = _click(args), _place(args)
        value = cast(AskValue, click.value)  # the gate read it by this listener's action id
        if wait := self._limiter.take(_key(place.user)):
            refused = r.notice(refusal(wait))
            await send.respond(args, refused, response_type="ephemeral", replace_original=False)
            return
        text = value.q or ""
        answer = await self._ask(Question(text, PLATFORM, place.conversation, place.user, value.f))
        if place.ephemeral:
            message = r.render(answer, question=text, shareable=True)
            await send.respond(args, message, response_type="ephemeral", replace_original=False)
        else:
            message = r.render(answer)
            await send.post(args.client, message, channel=place.channel, thread=place.thread)

    async def on_vote(self, args: AsyncArgs) -> None:
        await args.ack()
        click, place = _click(args), _place(args)
        fact = cast(VoteValue, click.value).f  # the gate read it by this listener's action id
        vote = Vote.UP if click.action_id == r.VOTE_UP else Vote.DOWN
        self._feedback.record(Feedback(PLATFORM, place.conversation, place.user, fact, vote))
        thanks = r.notice(messages.FEEDBACK_THANKS)
        await send.respond(args, thanks, response_type="ephemeral", replace_original=False)

    async def on_share(self, args: AsyncArgs) -> None:
        """Post a private /summit answer for everyone, then remove the private copy."""
        await args.ack()
        click, place = _click(args), _place(args)
        value = cast(ShareValue, click.value)  # the gate read it by this listener's action id
        conversation = _conversation(args.context.team_id, place.channel, "shared")
        answer = await self._ask(Question(value.q, PLATFORM, conversation, "", value.f))
        if value.f and answer.fact_id == value.f:
            answer = replace(answer, confidence=value.p)  # as sure as when it was asked
        message = r.render(answer, shared_by=click.user.username or click.user.name)
        if not await send.post(args.client, message, channel=place.channel, thread=None):
            # e.g. not_in_channel: the bot may not post there, but response_url may
            await send.respond(args, message, response_type="in_channel", replace_original=False)
        await send.respond(args, None, delete_original=True)

    async def _answer_event(self, args: AsyncArgs, event: dict[str, Any], *, thread: Any) -> None:
        channel, thread = str(event.get("channel", "")), str(thread) if thread else None
        user = str(event.get("user", ""))
        if wait := self._limiter.take(_key(user)):
            if self._limiter.warn(_key(user), wait):  # once per wait, to that person alone
                notice = r.notice(refusal(wait))
                await send.ephemeral(args.client, notice, channel=channel, user=user, thread=thread)
            return
        conversation = _conversation(args.context.team_id, channel, thread)
        text = question_text(str(event.get("text") or ""), args.context.bot_user_id)
        answer = await self._ask(Question(text, PLATFORM, conversation, user))
        await send.post(args.client, r.render(answer), channel=channel, thread=thread)

    async def _ask(self, question: Question) -> Answer:
        try:
            return await self._bot.ask_async(question)
        except Exception:  # the engine promises never to raise; if it does, say sorry
            log.exception("engine failed (conversation %s)", question.conversation)
            return Answer(Outcome.ABSTAINED, messages.ERROR)


def _key(user: str) -> str:
    """A person's rate-limit bucket: one per platform user, whatever they use to ask."""
    return f"{PLATFORM}:{user}"


def _conversation(team: str | None, channel: str, thread: str | None = None) -> str:
    return ":".join(p for p in (PLATFORM, team or "", channel, thread or "") if p)


def _click(args: AsyncArgs) -> Click:
    return cast(Click, args.context["click"])  # set by the Gate for every click


def _place(args: AsyncArgs) -> _Place:
    click, team = _click(args), args.context.team_id
    channel, user = click.channel, click.user.id
    if click.ephemeral:  # a /summit answer: that person's conversation
        return _Place(channel, None, _conversation(team, channel, user), user, ephemeral=True)
    # In channels answers live in threads; in a DM they follow the message where it is.
    thread = click.thread_ts or (None if channel.startswith("D") else click.message_ts or None)
    return _Place(channel, thread, _conversation(team, channel, thread), user, ephemeral=False)
