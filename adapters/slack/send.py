"""Sending to Slack: the Web API client, chat.postMessage and response_url.

A failure (an API error, HTTP 429 after one retry, a network error) is logged with where the
message was going, never with a token or the message text, and never raised: one message
that cannot be delivered must not take the bot down.
"""

from __future__ import annotations

import logging
from typing import Any, cast

from aiohttp import ClientError
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_bolt.kwargs_injection.async_args import AsyncArgs
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook import WebhookResponse

from adapters.slack.render import Message
from adapters.slack.settings import SlackSettings

log = logging.getLogger("summit_bot.slack")

_SENT_ERRORS = (SlackApiError, ClientError, TimeoutError)


def web_client(settings: SlackSettings) -> AsyncWebClient:
    """The Web API client: SLACK_API_URL if set; a 429 is retried once after its Retry-After."""
    client = AsyncWebClient(
        token=settings.bot_token, base_url=settings.api_url or AsyncWebClient.BASE_URL
    )
    client.retry_handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=1))
    return client


async def post(
    client: AsyncWebClient, message: Message, *, channel: str, thread: str | None
) -> bool:
    """chat.postMessage; a failure is logged with where it went, and False returned."""
    try:
        await client.chat_postMessage(
            channel=channel,
            thread_ts=thread,
            text=message.text,
            blocks=list(message.blocks),
            unfurl_links=False,
            unfurl_media=False,
        )
    except _SENT_ERRORS as exc:
        _log_failure("chat.postMessage", exc, channel=channel, thread_ts=thread)
        return False
    return True


async def ephemeral(
    client: AsyncWebClient, message: Message, *, channel: str, user: str, thread: str | None
) -> bool:
    """chat.postEphemeral: seen by `user` alone; a failure is logged, and False returned."""
    try:
        await client.chat_postEphemeral(
            channel=channel, user=user, thread_ts=thread, text=message.text
        )
    except _SENT_ERRORS as exc:
        _log_failure("chat.postEphemeral", exc, channel=channel, thread_ts=thread)
        return False
    return True


async def respond(args: AsyncArgs, message: Message | None, **options: Any) -> None:
    """Send through the request's response_url (ephemeral answers, sharing, thanks)."""
    content: dict[str, Any] = {}
    if message is not None:
        content = {"text": message.text, "blocks": list(message.blocks) or None}
    channel = args.context.channel_id
    try:
        response = await args.respond(**content, **options)
    except (*_SENT_ERRORS, ValueError) as exc:  # ValueError: the request has no response_url
        _log_failure("response_url", exc, channel=channel)
        return
    _check(response, channel)


async def reply(context: AsyncBoltContext, message: Message) -> None:
    """An ephemeral reply through response_url from a middleware, before any listener runs.

    The request may be odd in any way, so the URL is used only when it is one.
    """
    url = context.response_url
    if not (isinstance(url, str) and url.startswith(("https://", "http://"))):
        return
    channel = context.channel_id
    try:
        respond = cast(AsyncRespond, context.respond)  # there is a response_url: not None
        response = await respond(
            text=message.text, response_type="ephemeral", replace_original=False
        )
    except _SENT_ERRORS as exc:
        _log_failure("response_url", exc, channel=channel)
        return
    _check(response, channel)


def _check(response: WebhookResponse, channel: str | None) -> None:
    if response.status_code != 200:
        log.error(
            "response_url failed: HTTP %s %s (channel %s)",
            response.status_code,
            str(response.body)[:200],
            channel,
        )


def _log_failure(method: str, exc: Exception, **where: Any) -> None:
    place = ", ".join(f"{k} {v}" for k, v in where.items() if v)
    if isinstance(exc, SlackApiError):
        status = exc.response.status_code
        if status == 429:
            retry = exc.response.headers.get("Retry-After", "?")
            log.warning("%s rate-limited by Slack (Retry-After %s s) (%s)", method, retry, place)
        else:
            error = exc.response.get("error") if isinstance(exc.response.data, dict) else None
            log.error("%s failed: %s, HTTP %s (%s)", method, error or "error", status, place)
    else:
        log.error("%s failed: %s (%s)", method, type(exc).__name__, place)
