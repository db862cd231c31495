"""The HTTP door of `slack --http`: a request is signed by Slack and well formed, or turned away.

    web = events_web_app(app, settings.signing_secret)   # Bolt's aiohttp app, behind the door

Bolt parses a request's body before its own signature check, so junk from anyone (a body that
is not JSON, a timestamp that is not a number) used to end in HTTP 500 and a traceback per
request. Here the signature is checked first, on the raw bytes, with slack_sdk's verifier; then
the body must parse as Bolt expects (one JSON object, or a form whose `payload` is one). A
refusal is one short log line: 401 for a missing or wrong signature, 400 for a signed body that
does not parse. Nothing of the body is logged.

Behind the door, each request is handed to Bolt as its aiohttp adapter does, except that a form
is read as a form (`to_bolt_request`).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from urllib.parse import parse_qsl

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware
from slack_bolt.adapter import aiohttp as bolt_aiohttp
from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.request.async_internals import build_async_context
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.signature import SignatureVerifier

from adapters.slack.app import EVENTS_PATH

log = logging.getLogger("summit_bot.slack")

_TIMESTAMP_DIGITS = 12  # seconds since 1970 fit in 10 digits until the year 2286


def events_web_app(
    app: AsyncApp, signing_secret: str, *, path: str = EVENTS_PATH
) -> web.Application:
    """Bolt's aiohttp app for `app` on `path`, with the door in front of every request."""

    async def handle(request: web.Request) -> web.Response:  # as Bolt's AsyncSlackAppServer
        answer = await app.async_dispatch(await to_bolt_request(request))
        return await bolt_aiohttp.to_aiohttp_response(answer)

    web_app = web.Application(middlewares=[_door(SignatureVerifier(signing_secret), path)])
    web_app.router.add_post(path, handle)
    return web_app


async def to_bolt_request(request: web.Request) -> AsyncBoltRequest:
    """The request as Bolt's aiohttp adapter makes it, with a form body read as a form.

    Bolt 1.30 reads a form body with "payload" anywhere in it (a /summit question about a
    rocket's payload, a channel named #payloads) as a click without its `payload` field: {},
    so the command went unanswered (HTTP 404, "dispatch_failed" for the person).
    """
    bolt_request = await bolt_aiohttp.to_bolt_request(request)
    raw = bolt_request.raw_body
    if bolt_request.body or bolt_request.content_type == "application/json" or raw[:1] == "{":
        return bolt_request
    form = dict(parse_qsl(raw, keep_blank_values=True))
    if form and "payload" not in form:
        bolt_request.body = form
        bolt_request.context = build_async_context(AsyncBoltContext(), form)
    return bolt_request


def _door(verifier: SignatureVerifier, path: str) -> Middleware:
    @web.middleware
    async def door(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.method != "POST" or request.path != path:
            return await handler(request)  # /healthz and /metrics when they share the port
        body = await request.read()  # aiohttp keeps it: Bolt's handler reads it again
        if not signed(verifier, body, request.headers):
            return _refuse(401, "bad or missing signature", request)
        if not well_formed(body, request.content_type):
            return _refuse(400, "malformed body", request)
        return await handler(request)

    return door


def signed(verifier: SignatureVerifier, body: bytes, headers: Mapping[str, str]) -> bool:
    """True when Slack signed `body` (v0 HMAC, timestamp within 5 minutes); never raises."""
    timestamp = headers.get("X-Slack-Request-Timestamp", "")
    signature = headers.get("X-Slack-Signature", "")
    if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= _TIMESTAMP_DIGITS):
        return False  # the verifier would int() it: junk must not raise
    try:
        return verifier.is_valid(body.decode("utf-8"), timestamp, signature)
    except UnicodeDecodeError:  # Slack signs UTF-8 text; these bytes cannot be from Slack
        return False


def well_formed(body: bytes, content_type: str) -> bool:
    """True when Bolt can parse `body` into the object it expects (see bolt's parse_body)."""
    try:
        text = body.decode("utf-8")
        if not text:
            return True  # Bolt reads an empty body as {}
        if content_type == "application/json" or text.startswith("{"):
            return isinstance(json.loads(text), dict)
        form = dict(parse_qsl(text, keep_blank_values=True))
        return "payload" not in form or isinstance(json.loads(form["payload"]), dict)
    except (ValueError, RecursionError):  # not UTF-8, not JSON, or nested too deep for it
        return False


def _refuse(status: int, why: str, request: web.Request) -> web.Response:
    log.warning(
        "refused a request to %s: %s (HTTP %d)", request.path, why, status,
        extra={"platform": "slack", "status": status},
    )
    return web.json_response({"error": "invalid request"}, status=status)
