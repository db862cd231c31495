"""What may reach a listener: Slack retries are dropped, button clicks are read and checked.

    app.use(Gate(seen))    # in build_app, before every listener
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from slack_bolt.middleware.async_middleware import AsyncMiddleware
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse

from adapters import messages
from adapters.slack import render as r
from adapters.slack import send
from adapters.slack.actions import OddClick, read_click
from adapters.slack.hygiene import should_ignore
from operations.memory import Seen

log = logging.getLogger("summit_bot.slack")


class Gate(AsyncMiddleware):
    """Acks, and drops before any listener runs, events that must not be answered.

    Slack retries an event (X-Slack-Retry-Num: 1..3) when it was not acked within 3 s; the
    event id is the same, so the first delivery is answered and the retries are not. A button
    click is read here (adapters/slack/actions.py): a listener gets a checked `Click` in
    `context["click"]`, and a click of any other shape gets a polite "can't read that".
    """

    def __init__(self, seen: Seen) -> None:
        self._seen = seen

    async def async_process(
        self,
        *,
        req: AsyncBoltRequest,
        resp: BoltResponse,
        next: Callable[[], Awaitable[BoltResponse]],
    ) -> BoltResponse:
        body = req.body
        if body.get("type") == "block_actions":
            return await self._click(req, next)
        if body.get("type") != "event_callback":
            return await next()
        event_id = str(body.get("event_id") or "")
        if event_id and not self._seen.first(f"slack:event:{event_id}"):
            log.info(
                "event %s already handled: dropped (retry %s, reason %s)",
                event_id,
                _header(req, "x-slack-retry-num") or "?",
                _header(req, "x-slack-retry-reason") or "?",
            )
            return BoltResponse(status=200, body="", headers={"x-slack-no-retry": "1"})
        event = body.get("event") or {}
        if should_ignore(event, bot_user_id=req.context.bot_user_id, bot_id=req.context.bot_id):
            return BoltResponse(status=200, body="")
        return await next()

    async def _click(
        self, req: AsyncBoltRequest, next: Callable[[], Awaitable[BoltResponse]]
    ) -> BoltResponse:
        try:
            req.context["click"] = read_click(req.body)
        except OddClick as odd:
            log.warning("odd button click refused (%s)", odd, extra={"platform": "slack"})
            await send.reply(req.context, r.notice(messages.ODD_BUTTON))
            return BoltResponse(status=200, body="")
        return await next()


def _header(req: AsyncBoltRequest, name: str) -> str:
    values = req.headers.get(name) or []
    return str(values[0]) if values else ""
