"""Junk at the HTTP door (`slack --http`): refused with 400 or 401 and one short log line.

Real HTTP requests go to the real Bolt app as `slack --http` serves it; nobody but Slack knows
the signing secret, so anything unsigned is the internet knocking.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Mapping
from urllib.parse import urlencode

import pytest

from tests.fakes.slack_api import RESPONSE_URL
from tests.fakes.slack_workspace import FORM, Workspace, sign
from tests.payloads import payload

JSON = "application/json"
NOW = int(time.time())
WRONG_SECRET = "0123456789abcdef0123456789abcdef"


def unsigned(timestamp: str) -> dict[str, str]:
    return {"X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": "v0=" + "0" * 64}


# (body, content type, headers or None to sign the body with the right secret, status)
JUNK: dict[str, tuple[bytes, str, Mapping[str, str] | None, int]] = {
    "no signature, not JSON": (b"{not json", JSON, {}, 401),
    "no signature, form": (b"payload=%7Bbad", FORM, {}, 401),
    "timestamp not a number": (b"{}", JSON, unsigned("abc"), 401),
    "timestamp in other digits": (b"{}", JSON, unsigned("١٧٠٠٠٠٠٠٠٠"), 401),
    "timestamp of 5000 digits": (b"{}", JSON, unsigned("9" * 5000), 401),
    "not UTF-8": (b"\xff\xfe{}", JSON, unsigned(str(NOW)), 401),
    "wrong secret": (b"{}", JSON, sign("{}", secret=WRONG_SECRET), 401),
    "stale timestamp": (b"{}", JSON, sign("{}", timestamp=NOW - 3600), 401),
    "signed, not JSON": (b"{not json", JSON, None, 400),
    "signed, a JSON list": (b"[1, 2]", JSON, None, 400),
    "signed, a JSON string": (b'"event_callback"', JSON, None, 400),
    "signed, payload not JSON": (b"payload=%7Bbad", FORM, None, 400),
    "signed, payload a list": (b"payload=%5B1%5D", FORM, None, 400),
    "signed, nested 5,000 deep": (b'{"a":' * 5000 + b"1" + b"}" * 5000, JSON, None, 400),
}


@pytest.mark.parametrize("name", list(JUNK))
async def test_junk_is_refused_with_one_short_line_and_no_traceback(
    slack: Workspace, caplog: pytest.LogCaptureFixture, name: str
) -> None:
    body, content_type, headers, status = JUNK[name]
    if headers is None:
        headers = sign(body.decode())
    caplog.set_level(logging.INFO)
    caplog.set_level(logging.WARNING, logger="aiohttp.access")  # as setup_logging sets it

    async with slack._http.post(
        slack.url, data=body, headers={"Content-Type": content_type, **headers}
    ) as response:
        answered = response.status, await response.json()

    assert answered == (status, {"error": "invalid request"})
    [line] = caplog.records
    assert line.levelno == logging.WARNING and line.exc_info is None
    assert len(line.getMessage()) < 100 and f"HTTP {status}" in line.getMessage()
    assert "Traceback" not in caplog.text and "not json" not in caplog.text
    assert slack.fake.calls() == []


async def test_the_bot_answers_as_before_after_the_junk(slack: Workspace) -> None:
    for body, content_type, headers, _ in JUNK.values():
        signed = sign(body.decode()) if headers is None else headers
        async with slack._http.post(
            slack.url, data=body, headers={"Content-Type": content_type, **signed}
        ):
            pass

    reply = await slack.mention("who skipped the forum?")

    assert reply.text.startswith("American business leaders")


async def test_a_signed_event_passes_the_door(slack: Workspace) -> None:
    mention = {**payload("slack/app_mention"), "text": "hi"}
    envelope = {**payload("slack/event_callback"), "event": mention}

    reply = await slack.post(json.dumps(envelope), JSON)

    assert reply.status == 200


@pytest.mark.parametrize(
    "fields",
    [
        {"text": "who skipped the forum? payload"},
        {"text": "who skipped? payload=1"},
        {"text": "who skipped the forum?", "channel_name": "payloads"},
    ],
)
async def test_a_command_with_the_word_payload_in_it_is_answered(
    slack: Workspace, fields: dict[str, str]
) -> None:
    """Bolt 1.30 reads a form body with "payload" anywhere in it (a question, a channel called
    #payloads) as a click without one: {}, HTTP 404, and "dispatch_failed" for the person."""
    form = {**payload("slack/slash_command"), **fields}
    form["response_url"] = slack.fake.response_url("c")

    reply = await slack.post(urlencode(form), FORM)
    [answer] = await slack.fake.next_calls(RESPONSE_URL, after=0)

    assert reply.status == 200
    assert answer["text"].startswith("American business leaders")
